/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: x86's cache line. */
#ifndef KES_KSHIM_CACHE_H
#define KES_KSHIM_CACHE_H
#define L1_CACHE_BYTES		64
#define ____cacheline_aligned	__attribute__((__aligned__(L1_CACHE_BYTES)))
#endif
