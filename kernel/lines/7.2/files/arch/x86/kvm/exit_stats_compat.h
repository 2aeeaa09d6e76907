/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-exit-reason VM-exit statistics on Linux 7.2 (Debian unstable's
 * linux-source-7.2): what the change, written against 6.12, needs of KVM
 * that 7.2 spells differently.  Only the 7.2 line has this file
 * (kernel/lines/7.2/files.patch includes it from exit_stats.h).
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_COMPAT_H
#define ARCH_X86_KVM_EXIT_STATS_COMPAT_H

#include <asm/vmx.h>

/* 7.2's vmx.c writes KVM's VMFAIL reason as a bare 0xdead again. */
#ifndef EXIT_REASON_UNDEFINED
#define EXIT_REASON_UNDEFINED		0xdead
#endif

#endif /* ARCH_X86_KVM_EXIT_STATS_COMPAT_H */
