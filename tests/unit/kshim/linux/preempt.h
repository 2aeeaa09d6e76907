/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: one thread, never preempted inside the exit path. */
#ifndef KES_KSHIM_PREEMPT_H
#define KES_KSHIM_PREEMPT_H
#include <linux/compiler.h>
#define preempt_disable()	barrier()
#define preempt_enable()	barrier()
#endif
