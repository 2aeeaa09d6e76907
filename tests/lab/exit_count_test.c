// SPDX-License-Identifier: GPL-2.0
/*
 * N exits of each kind raise that reason's count by exactly N, in the
 * system-wide and in the per-VM statistics, and every exit reason agrees
 * with the kernel's own kvm_exit tracepoint counted in the same run.
 *
 * Also a failed VM-entry: counted under its reason like any other exit.
 *
 * Usage: exit_count_test [N]   (default 1000; HLT and timer rounds N/10)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kvm_util.h"
#include "ucall_common.h"
#include "lab_test.h"

static bool run_workload(const struct wl_spec *spec)
{
	struct kes_stats sys0, sys1, vm0, vm1;
	struct wl_vm *vm = wl_create(spec);
	struct tp_counts tp;
	bool ok = true;

	stats_load(SYSTEM_STATS, &sys0);
	stats_load_vm(vm, &vm0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &sys1);
	stats_load_vm(vm, &vm1);

	ok &= check_workload_deltas(&sys0, &sys1, vm, "system-wide");
	ok &= check_workload_deltas(&vm0, &vm1, vm, "per-VM");
	ok &= check_matches_tracepoint(&sys0, &sys1, &tp, "system-wide");
	ok &= check_matches_tracepoint(&vm0, &vm1, &tp, "per-VM");
	ok &= check_cycles_sane(&sys1, "system-wide");
	ok &= check_cycles_sane(&vm1, "per-VM");

	wl_destroy(vm);
	kes_stats_free(&sys0);
	kes_stats_free(&sys1);
	kes_stats_free(&vm0);
	kes_stats_free(&vm1);
	return ok;
}

/*
 * A VM's file counts from the VM's creation: its first exits, among them
 * the EPT violations (VMX) or nested page faults (SVM) of the guest's first
 * touches of its memory, equal the tracepoint's from before the VM existed.
 */
static bool new_vm(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	const char *fault = lab_isa() == KES_ISA_VMX ? "EPT_VIOLATION" : "npf";
	struct kes_stats none = { .isa = lab_isa() }, vm0;
	struct tp_counts tp;
	struct wl_vm *vm;
	bool ok = true;

	tp_start();
	vm = wl_create(&spec);
	tp_read(&tp);
	tp_stop();
	stats_load_vm(vm, &vm0);
	ok &= check(kes_stats_count(&vm0, lab_reason(fault)) > 0,
		    "no %s exit while the guest touched its memory the first time", fault);
	ok &= check_matches_tracepoint(&none, &vm0, &tp, "per-VM, since creation");
	ksft_print_msg("new VM: %llu exits up to its first GUEST_SYNC, %llu of them %s\n",
		       (unsigned long long)vm0.total.count,
		       (unsigned long long)kes_stats_count(&vm0, lab_reason(fault)), fault);
	wl_destroy(vm);
	kes_stats_free(&vm0);
	return ok;
}

static void guest_never_runs(void)
{
	__GUEST_ASSERT(0, "a VM-entry that should have failed succeeded");
}

/*
 * A failed VM-entry, provoked with a guest state that KVM accepts and the
 * processor's consistency checks reject: VMX (unrestricted guest) a CS
 * whose type is a data segment, 1 (KVM sets the accessed bit of the 0 set
 * here), which the SDM allows for CS only as 3, 9, 11, 13 or 15; SVM a 64-bit CS
 * with D set too, which the APM makes VMRUN refuse (EFER.LME, CR0.PG,
 * CR4.PAE, CS.L and CS.D all non-zero).  KVM reports KVM_EXIT_FAIL_ENTRY;
 * the VM's file must show exactly that one exit, under VMX basic reason 33
 * (the exit reason 0x80000021) or SVM code -1, as the tracepoint does.
 */
static bool failed_entry(void)
{
	bool vmx = lab_isa() == KES_ISA_VMX;
	const char *name = vmx ? "INVALID_STATE" : "invalid_guest_state";
	uint64_t hw = vmx ? 0x80000021 : 0xffffffff;	/* SVM: the exit code's low 32 bits */
	struct kes_stats none = { .isa = lab_isa() }, st;
	struct kvm_sregs sregs;
	struct tp_counts tp;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	char dir[64], path[80];
	bool ok = true;

	vm = vm_create_with_one_vcpu(&vcpu, guest_never_runs);
	vcpu_sregs_get(vcpu, &sregs);
	if (vmx)
		sregs.cs.type = 0;
	else
		sregs.cs.db = 1;
	vcpu_sregs_set(vcpu, &sregs);

	tp_start();
	vcpu_run(vcpu);
	tp_read(&tp);
	tp_stop();
	wl_debugfs_dir_of(vm->fd, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/exit_stats", dir);
	stats_load(path, &st);

	ok &= check_u64(vcpu->run->exit_reason, KVM_EXIT_FAIL_ENTRY, "KVM_RUN's exit reason");
	ok &= check_u64(vcpu->run->fail_entry.hardware_entry_failure_reason, hw,
			"the hardware's entry failure reason");
	ok &= check_u64(kes_stats_count(&st, lab_reason(name)), 1, "%s in the VM's file", name);
	ok &= check_u64(st.total.count, 1, "all exits in the VM's file");
	ok &= check_matches_tracepoint(&none, &st, &tp, "per-VM");
	ok &= check_cycles_sane(&st, "per-VM");
	kvm_vm_free(vm);
	kes_stats_free(&st);
	return ok;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000;
	struct wl_spec spec = { .vcpus = 1 };
	int k;

	ksft_print_header();
	ksft_set_plan(WL_NR_KINDS + 3);
	ksft_print_msg("isa=%s, N=%llu\n", kes_isa_name(lab_isa()), (unsigned long long)n);

	for (k = 0; k < WL_NR_KINDS; k++) {
		struct wl_spec one = { .vcpus = 1 };

		one.n[k] = k == WL_HLT || k == WL_TSCDL ? n / 10 : n;
		spec.n[k] = one.n[k];
		ksft_test_result(run_workload(&one), "%s x %llu: exact, and equal to the tracepoint\n",
				 wl_kind_name(k), (unsigned long long)one.n[k]);
	}
	ksft_test_result(run_workload(&spec), "all kinds in one run: exact, and equal to the tracepoint\n");
	ksft_test_result(new_vm(), "a new VM from its first exit: %s, and all, equal to the tracepoint\n",
			 lab_isa() == KES_ISA_VMX ? "EPT violations" : "nested page faults");
	ksft_test_result(failed_entry(), "a failed VM-entry: counted once under its reason, as the tracepoint\n");
	ksft_finished();
}
