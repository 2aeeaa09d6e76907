/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the types only, for <asm/kvm_exit_stats.h>. */
#ifndef KES_KSHIM_WORKQUEUE_H
#define KES_KSHIM_WORKQUEUE_H
struct work_struct {
	void *opaque[4];
};

struct delayed_work {
	struct work_struct work;
	void *opaque[6];
};
#endif
