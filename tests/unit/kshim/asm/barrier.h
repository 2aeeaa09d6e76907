/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/barrier.h>. */
#ifndef KES_KSHIM_BARRIER_H
#define KES_KSHIM_BARRIER_H
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
