/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <linux/build_bug.h>. */
#ifndef KES_KSHIM_BUILD_BUG_H
#define KES_KSHIM_BUILD_BUG_H
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#endif
