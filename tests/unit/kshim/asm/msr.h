/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/msr.h>: the exit path's rdtsc() reads a TSC
 * that the unit tests set (kshim_tsc), so that they decide every delta, and
 * counts the reads.
 */
#ifndef KES_KSHIM_MSR_H
#define KES_KSHIM_MSR_H
#include <linux/types.h>
extern u64 kshim_tsc;
extern unsigned long kshim_tsc_reads;	/* how many times it was read */
static inline u64 rdtsc(void)
{
	kshim_tsc_reads++;
	return kshim_tsc;
}
#endif
