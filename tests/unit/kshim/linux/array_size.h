/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the kernel's <linux/array_size.h>. */
#ifndef KES_KSHIM_ARRAY_SIZE_H
#define KES_KSHIM_ARRAY_SIZE_H
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
