/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-exit-reason VM-exit statistics on Linux 6.1 (Debian 12's default
 * kernel): what the change, written against 6.12, needs of KVM that 6.1
 * spells differently.  Only the 6.1 line has this file
 * (kernel/lines/6.1/files.patch includes it from exit_stats.h).
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_COMPAT_H
#define ARCH_X86_KVM_EXIT_STATS_COMPAT_H

#include <linux/static_call.h>
#include <linux/workqueue.h>
#include <asm/vmx.h>

/* 6.1 spells out static_call(kvm_x86_...): kvm_x86_call() came in 6.10. */
#define kvm_x86_call(func) static_call(kvm_x86_##func)

/* 6.1's vmx.c writes KVM's VMFAIL reason as a bare 0xdead. */
#define EXIT_REASON_UNDEFINED		0xdead

/* 6.1 has no system_dfl_wq (6.12.118 and 7.2 have; 7.2 deprecates the other). */
#define system_dfl_wq			system_unbound_wq

/* 6.1 names the control SECONDARY_EXEC_XSAVES. */
#define SECONDARY_EXEC_ENABLE_XSAVES	SECONDARY_EXEC_XSAVES

#endif /* ARCH_X86_KVM_EXIT_STATS_COMPAT_H */
