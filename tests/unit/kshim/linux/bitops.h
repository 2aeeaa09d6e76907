/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bitops.h>: what the exit path uses. */
#ifndef KES_KSHIM_BITOPS_H
#define KES_KSHIM_BITOPS_H
/* The 1-based index of the most significant bit set in @x, 0 if none. */
static inline unsigned int fls64(unsigned long long x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}
#endif
