// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which VMX exit reasons KVM enables for a vCPU, for the guest ABI of the
 * exit statistics (CPUID answers all zeros for a reason KVM does not
 * enable).  Decided from the VM-execution controls in the vCPU's VMCS, by
 * the rules of the Intel SDM Vol. 3C, chapter 26 ("VMX Non-Root
 * Operation"): an exit is enabled if it is unconditional in VMX non-root
 * operation, if the control that causes it is set, or if KVM sets that
 * control itself whenever it needs it (interrupt and NMI windows, MOV-DR
 * exiting, which KVM clears only while the guest owns the debug registers).
 */
#include "vmx.h"
#include "exit_stats.h"

static bool vmx_exit_enabled(struct vcpu_vmx *vmx, u32 reason)
{
	u32 pin = pin_controls_get(vmx);
	u32 exec = exec_controls_get(vmx);
	u32 exec2 = cpu_has_secondary_exec_ctrls() ? secondary_exec_controls_get(vmx) : 0;

	switch (reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		return (pin & PIN_BASED_NMI_EXITING) || vmcs_read32(EXCEPTION_BITMAP);
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		return pin & PIN_BASED_EXT_INTR_MASK;
	case EXIT_REASON_TRIPLE_FAULT:
	case EXIT_REASON_INIT_SIGNAL:
	case EXIT_REASON_TASK_SWITCH:
	case EXIT_REASON_CPUID:
	case 11:	/* GETSEC */
	case EXIT_REASON_INVD:
	case EXIT_REASON_VMCALL ... EXIT_REASON_VMON:
	case EXIT_REASON_CR_ACCESS:	/* KVM always owns some CR0/CR4 bits */
	case EXIT_REASON_MSR_READ:	/* MSR bitmaps, or none: some MSRs exit */
	case EXIT_REASON_MSR_WRITE:
	case EXIT_REASON_INVALID_STATE:
	case EXIT_REASON_MSR_LOAD_FAIL:
	case EXIT_REASON_MCE_DURING_VMENTRY:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_XSETBV:
		return true;
	case EXIT_REASON_INTERRUPT_WINDOW:
	case EXIT_REASON_DR_ACCESS:
		return true;	/* KVM sets the control whenever it needs it */
	case EXIT_REASON_NMI_WINDOW:
		return pin & PIN_BASED_VIRTUAL_NMIS;
	case EXIT_REASON_HLT:
		return exec & CPU_BASED_HLT_EXITING;
	case EXIT_REASON_INVLPG:
		return exec & CPU_BASED_INVLPG_EXITING;
	case EXIT_REASON_RDPMC:
		return exec & CPU_BASED_RDPMC_EXITING;
	case EXIT_REASON_RDTSC:
		return exec & CPU_BASED_RDTSC_EXITING;
	case EXIT_REASON_IO_INSTRUCTION:
		return exec & (CPU_BASED_UNCOND_IO_EXITING | CPU_BASED_USE_IO_BITMAPS);
	case EXIT_REASON_MWAIT_INSTRUCTION:
		return exec & CPU_BASED_MWAIT_EXITING;
	case EXIT_REASON_MONITOR_TRAP_FLAG:
		return exec & CPU_BASED_MONITOR_TRAP_FLAG;
	case EXIT_REASON_MONITOR_INSTRUCTION:
		return exec & CPU_BASED_MONITOR_EXITING;
	case EXIT_REASON_PAUSE_INSTRUCTION:
		return (exec & CPU_BASED_PAUSE_EXITING) ||
		       (exec2 & SECONDARY_EXEC_PAUSE_LOOP_EXITING);
	case EXIT_REASON_TPR_BELOW_THRESHOLD:
		return exec & CPU_BASED_TPR_SHADOW;
	case EXIT_REASON_APIC_ACCESS:
		return exec2 & SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES;
	case EXIT_REASON_EOI_INDUCED:
		return exec2 & SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	case EXIT_REASON_GDTR_IDTR:
	case EXIT_REASON_LDTR_TR:
		return exec2 & SECONDARY_EXEC_DESC;
	case EXIT_REASON_EPT_VIOLATION:
	case EXIT_REASON_EPT_MISCONFIG:
		return exec2 & SECONDARY_EXEC_ENABLE_EPT;
	case EXIT_REASON_RDTSCP:
		return (exec2 & SECONDARY_EXEC_ENABLE_RDTSCP) &&
		       (exec & CPU_BASED_RDTSC_EXITING);
	case EXIT_REASON_PREEMPTION_TIMER:
		return pin & PIN_BASED_VMX_PREEMPTION_TIMER;
	case EXIT_REASON_WBINVD:
		return exec2 & SECONDARY_EXEC_WBINVD_EXITING;
	case EXIT_REASON_APIC_WRITE:
		return exec2 & (SECONDARY_EXEC_APIC_REGISTER_VIRT |
				SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY);
	case EXIT_REASON_RDRAND:
		return exec2 & SECONDARY_EXEC_RDRAND_EXITING;
	case EXIT_REASON_INVPCID:
		return (exec2 & SECONDARY_EXEC_ENABLE_INVPCID) &&
		       (exec & CPU_BASED_INVLPG_EXITING);
	case EXIT_REASON_VMFUNC:
		return exec2 & SECONDARY_EXEC_ENABLE_VMFUNC;
	case EXIT_REASON_ENCLS:
		return exec2 & SECONDARY_EXEC_ENCLS_EXITING;
	case EXIT_REASON_RDSEED:
		return exec2 & SECONDARY_EXEC_RDSEED_EXITING;
	case EXIT_REASON_PML_FULL:
		return exec2 & SECONDARY_EXEC_ENABLE_PML;
	case EXIT_REASON_XSAVES:
	case EXIT_REASON_XRSTORS:
		return (exec2 & SECONDARY_EXEC_ENABLE_XSAVES) &&
		       vmcs_read64(XSS_EXIT_BITMAP);
	case EXIT_REASON_UMWAIT:
	case EXIT_REASON_TPAUSE:
		return (exec2 & SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE) &&
		       (exec & CPU_BASED_RDTSC_EXITING);
	case EXIT_REASON_BUS_LOCK:
		return exec2 & SECONDARY_EXEC_BUS_LOCK_DETECTION;
	case EXIT_REASON_NOTIFY:
		return exec2 & SECONDARY_EXEC_NOTIFY_VM_EXITING;
	default:
		/*
		 * SIPI (KVM never leaves a vCPU in wait-for-SIPI), SMIs and RSM
		 * (no SMM dual-monitor treatment), and controls KVM does not
		 * set: SPP, LOADIWKEY, ENCLV, PCONFIG, PASID translation,
		 * MSR lists; SEAMCALL and TDCALL, which 6.12 does not handle.
		 */
		return false;
	}
}

static bool vmx_exit_stats_enabled(struct kvm_vcpu *vcpu, u32 reason)
{
	BUILD_BUG_ON(KVM_EXIT_STATS_VMX_VMFAIL != EXIT_REASON_UNDEFINED);

	/* KVM's VMFAIL, a VMLAUNCH/VMRESUME that failed, can always happen. */
	if (reason == KVM_EXIT_STATS_VMX_VMFAIL)
		return true;
	return reason < KVM_EXIT_STATS_VMX_BASIC && vmx_exit_enabled(to_vmx(vcpu), reason);
}

void vmx_exit_stats_init(void)
{
	kvm_exit_stats_init(KVM_EXIT_STATS_VMX, vmx_exit_stats_enabled);
}
