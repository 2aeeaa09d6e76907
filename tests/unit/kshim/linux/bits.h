/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <linux/bits.h>. */
#ifndef KES_KSHIM_BITS_H
#define KES_KSHIM_BITS_H
#define BIT(n) (1UL << (n))
#endif
