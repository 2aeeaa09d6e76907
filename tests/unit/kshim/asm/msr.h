/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/msr.h>: the exit path's rdtsc() reads a TSC
 * that the unit tests set (kshim_tsc), so that they decide every delta.
 */
#ifndef KES_KSHIM_MSR_H
#define KES_KSHIM_MSR_H
#include <linux/types.h>
extern u64 kshim_tsc;
static inline u64 rdtsc(void)
{
	return kshim_tsc;
}
#endif
