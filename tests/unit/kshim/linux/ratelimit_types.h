/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the type only, for <asm/kvm_exit_stats.h>. */
#ifndef KES_KSHIM_RATELIMIT_TYPES_H
#define KES_KSHIM_RATELIMIT_TYPES_H
struct ratelimit_state {
	int opaque;
};
#endif
