/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: a seqcount's writer side, one thread, as the exit path uses it. */
#ifndef KES_KSHIM_SEQLOCK_H
#define KES_KSHIM_SEQLOCK_H
#include <linux/compiler.h>
#include <linux/seqlock_types.h>

#define raw_write_seqcount_begin(s)	do { (s)->sequence++; barrier(); } while (0)
#define raw_write_seqcount_end(s)	do { barrier(); (s)->sequence++; } while (0)
#endif
