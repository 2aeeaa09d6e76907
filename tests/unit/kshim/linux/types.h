/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/types.h>, for compiling the
 * kernel's pure exit-statistics code (exit_stats_abi.c) in the unit tests.
 */
#ifndef KES_KSHIM_TYPES_H
#define KES_KSHIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

struct list_head {
	struct list_head *next, *prev;
};

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define fallthrough __attribute__((__fallthrough__))

#endif
