// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which SVM exit codes KVM enables for a vCPU, for the guest ABI of the exit
 * statistics (CPUID answers all zeros for a code KVM does not enable).
 * Decided from the intercepts KVM set in the vCPU's VMCB: in the intercept
 * vector of the VMCB, the bit of exit code N (0x000-0x0a6) is bit N (AMD APM
 * Vol. 2, Appendix B and C).  Nested page faults need nested paging, the
 * AVIC exits an active AVIC, VMGEXIT an SEV-ES guest; VMEXIT_INVALID can
 * always happen.
 */
#include "lapic.h"
#include "svm.h"
#include "exit_stats.h"

static bool svm_exit_stats_enabled(struct kvm_vcpu *vcpu, u32 code)
{
	struct vmcb_control_area *control = &to_svm(vcpu)->vmcb01.ptr->control;

	BUILD_BUG_ON(INTERCEPT_INTR != SVM_EXIT_INTR);
	BUILD_BUG_ON(INTERCEPT_VMRUN != SVM_EXIT_VMRUN);
	BUILD_BUG_ON(TRAP_EFER_WRITE != SVM_EXIT_EFER_WRITE_TRAP);
	BUILD_BUG_ON(INTERCEPT_INVPCID != SVM_EXIT_INVPCID);
	BUILD_BUG_ON(INTERCEPT_EXCEPTION_OFFSET != SVM_EXIT_EXCP_BASE);

	switch (code) {
	case SVM_EXIT_NPF:
		return npt_enabled;
	case SVM_EXIT_AVIC_INCOMPLETE_IPI:
	case SVM_EXIT_AVIC_UNACCELERATED_ACCESS:
		return kvm_vcpu_apicv_active(vcpu);
	case SVM_EXIT_VMGEXIT:
		return sev_es_guest(vcpu->kvm);
	case SVM_EXIT_ERR:
		return true;
	}
	return code < MAX_INTERCEPT * 32 && vmcb_is_intercept(control, code);
}

void svm_exit_stats_init(void)
{
	kvm_exit_stats_init(KVM_EXIT_STATS_SVM, svm_exit_stats_enabled);
}
