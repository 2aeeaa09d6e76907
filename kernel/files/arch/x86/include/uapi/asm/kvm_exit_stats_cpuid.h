/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The guest ABI of the per-exit-reason VM-exit statistics
 * (CONFIG_KVM_EXIT_STATS): CPUID leaves 0x4ffffff0-0x4fffffff, for code that
 * runs in a guest.  Leaves 0x4ffffffc-0x4fffffff follow one of three
 * layouts (kvm.exit_stats_cpuid_layout); leaves 0x4ffffff0-0x4ffffff7 are
 * the same in every layout.  A per-reason leaf answers EDX = 0xffffffff for
 * a reason the ISA's manual does not define, and all zeros for one that KVM
 * does not enable on the host.
 *
 * A guest sees the leaves only if its VM was opted in: by the VMM, with
 * KVM_ENABLE_CAP(KVM_CAP_X86_EXIT_STATS_CPUID), args[0] = the scope
 * (KVM_EXIT_STATS_SCOPE_*), args[1] = 0 or KVM_EXIT_STATS_CPUID_USER; or by
 * the host, through the VM's debugfs exit_stats_control file.  Without that,
 * or from guest user space without KVM_EXIT_STATS_CPUID_USER, the leaves
 * answer what KVM answers without the statistics.
 */
#ifndef _UAPI_ASM_X86_KVM_EXIT_STATS_CPUID_H
#define _UAPI_ASM_X86_KVM_EXIT_STATS_CPUID_H

#define KVM_EXIT_STATS_CPUID_FIRST		0x4ffffff0
#define KVM_EXIT_STATS_CPUID_SIGNATURE		0x4ffffff0
#define KVM_EXIT_STATS_CPUID_INFO		0x4ffffff1
#define KVM_EXIT_STATS_CPUID_REASON_COUNT	0x4ffffff2
#define KVM_EXIT_STATS_CPUID_REASON_CYCLES	0x4ffffff3
#define KVM_EXIT_STATS_CPUID_TOTAL_COUNT	0x4ffffff4
#define KVM_EXIT_STATS_CPUID_TOTAL_CYCLES	0x4ffffff5
#define KVM_EXIT_STATS_CPUID_DUMP		0x4ffffff6
#define KVM_EXIT_STATS_CPUID_REASON_INFO	0x4ffffff7
#define KVM_EXIT_STATS_CPUID_LAST		0x4fffffff

/*
 * The layouts' leaves.  COUNT32: EAX = the low 32 bits of a count; CYCLES:
 * EBX:ECX = 64 bits of cycles; A_TOTALS: both, for all reasons.  A REASON
 * leaf takes the exit reason in ECX.
 */
#define KVM_EXIT_STATS_CPUID_A_TOTALS		0x4fffffff
#define KVM_EXIT_STATS_CPUID_A_REASON_COUNT32	0x4ffffffe
#define KVM_EXIT_STATS_CPUID_B_TOTAL_COUNT32	0x4fffffff
#define KVM_EXIT_STATS_CPUID_B_TOTAL_CYCLES	0x4ffffffe
#define KVM_EXIT_STATS_CPUID_B_REASON_COUNT32	0x4ffffffd
#define KVM_EXIT_STATS_CPUID_B_REASON_CYCLES	0x4ffffffc
#define KVM_EXIT_STATS_CPUID_C_TOTAL_COUNT32	0x4ffffffc
#define KVM_EXIT_STATS_CPUID_C_TOTAL_CYCLES	0x4ffffffd
#define KVM_EXIT_STATS_CPUID_C_REASON_COUNT32	0x4ffffffe
#define KVM_EXIT_STATS_CPUID_C_REASON_CYCLES	0x4fffffff

/* SIGNATURE: EAX = the last leaf; "KVMExitStats" in EBX, ECX, EDX. */
#define KVM_EXIT_STATS_SIGNATURE_EBX	0x454d564b	/* "KVME" */
#define KVM_EXIT_STATS_SIGNATURE_ECX	0x53746978	/* "xitS" */
#define KVM_EXIT_STATS_SIGNATURE_EDX	0x73746174	/* "tats" */

/* INFO: EAX = the ABI version, EBX = the ISA, ECX = the layout, EDX = flags. */
#define KVM_EXIT_STATS_ABI_VERSION	1
#define KVM_EXIT_STATS_ISA_VMX		1	/* reasons: Intel SDM basic exit reasons */
#define KVM_EXIT_STATS_ISA_SVM		2	/* reasons: AMD APM exit codes */
#define KVM_EXIT_STATS_LAYOUT_A		0xa
#define KVM_EXIT_STATS_LAYOUT_B		0xb
#define KVM_EXIT_STATS_LAYOUT_C		0xc
#define KVM_EXIT_STATS_SCOPE_OFF	0	/* EDX bits 7:0 */
#define KVM_EXIT_STATS_SCOPE_VM		1
#define KVM_EXIT_STATS_SCOPE_SYSTEM	2
#define KVM_EXIT_STATS_INFO_SCOPE_MASK	0xff
#define KVM_EXIT_STATS_INFO_DUMP_ON	0x100	/* the DUMP leaf is on */
#define KVM_EXIT_STATS_INFO_USER	0x200	/* user-space access allowed */

/* KVM_ENABLE_CAP(KVM_CAP_X86_EXIT_STATS_CPUID) args[1]: answer CPL > 0 too. */
#define KVM_EXIT_STATS_CPUID_USER	0x1

/* DUMP: EAX = 1 if the host dumped; else EBX says why not. */
#define KVM_EXIT_STATS_DUMP_OFF		1
#define KVM_EXIT_STATS_DUMP_LIMITED	2

/* A per-reason leaf's EDX for a reason the manual does not define. */
#define KVM_EXIT_STATS_UNDEFINED	0xffffffff

#endif /* _UAPI_ASM_X86_KVM_EXIT_STATS_CPUID_H */
