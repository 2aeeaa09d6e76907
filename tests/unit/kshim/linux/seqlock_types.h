/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the type only, for <asm/kvm_exit_stats.h>. */
#ifndef KES_KSHIM_SEQLOCK_TYPES_H
#define KES_KSHIM_SEQLOCK_TYPES_H
typedef struct seqcount {
	unsigned int sequence;
} seqcount_t;
#endif
