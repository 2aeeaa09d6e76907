/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the type only, for <asm/kvm_exit_stats.h>. */
#ifndef KES_KSHIM_WORKQUEUE_TYPES_H
#define KES_KSHIM_WORKQUEUE_TYPES_H
struct work_struct {
	void *opaque[4];
};
#endif
