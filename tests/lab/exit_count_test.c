// SPDX-License-Identifier: GPL-2.0
/*
 * N exits of each kind raise that reason's count by exactly N, in the
 * system-wide and in the per-VM statistics; every exit reason agrees with
 * the kernel's own kvm_exit tracepoint counted in the same run, and the
 * VM's TOTAL (and its port I/O, interrupt, HLT and interrupt-window exits)
 * with KVM's own statistics of the VM, which KVM counts elsewhere.  The
 * truths: the workload's own count of what it did (lab/workload), the
 * tracepoint, KVM's counters.
 *
 * Also a failed VM-entry, a VMLAUNCH that fails (VMX), and a triple fault:
 * each counted under its reason like any other exit.
 *
 * Usage: exit_count_test [N]   (default 1000; HLT and timer rounds N/10)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "lab_test.h"

static bool run_workload(const struct wl_spec *spec)
{
	struct kes_stats sys0, sys1, vm0, vm1;
	struct wl_vm *vm = wl_create(spec);
	struct kvm_counts k0, k1;
	struct tp_counts tp;
	bool ok = true;

	stats_load(SYSTEM_STATS, &sys0);
	stats_load_vm(vm, &vm0);
	kvm_counts_load_vm(vm, &k0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &sys1);
	stats_load_vm(vm, &vm1);
	kvm_counts_load_vm(vm, &k1);

	ok &= check_workload_faults(&sys0, &sys1, vm, &tp, "system-wide");
	ok &= check_workload_faults(&vm0, &vm1, vm, &tp, "per-VM");
	ok &= check_matches_tracepoint(&sys0, &sys1, &tp, "system-wide");
	ok &= check_matches_tracepoint(&vm0, &vm1, &tp, "per-VM");
	ok &= check_kvm_counts(&vm0, &vm1, &k0, &k1, "per-VM");
	ok &= check_u64(k1.v[KVM_MMIO_EXITS] - k0.v[KVM_MMIO_EXITS],
			spec->vcpus * spec->n[WL_MMIO], "KVM's own mmio_exits");
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
	struct kvm_counts k0 = { { 0 } }, k1;
	struct tp_counts tp;
	struct wl_vm *vm;
	bool ok = true;

	tp_start();
	vm = wl_create(&spec);
	tp_read(&tp);
	tp_stop();
	stats_load_vm(vm, &vm0);
	kvm_counts_load_vm(vm, &k1);
	ok &= check(kes_stats_count(&vm0, lab_reason(fault)) > 0,
		    "no %s exit while the guest touched its memory the first time", fault);
	ok &= check_matches_tracepoint(&none, &vm0, &tp, "per-VM, since creation");
	ok &= check_kvm_counts(&none, &vm0, &k0, &k1, "per-VM, since creation");
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
	uint64_t hw = vmx ? 0x80000021 : 0xffffffff;	/* SVM: the code's low 32 bits */
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
	/* SVM: all 64 bits of the code -1 where SVM_EXIT_ERR is -1ull (7.2). */
	if (!vmx && vcpu->run->fail_entry.hardware_entry_failure_reason == UINT64_MAX)
		hw = UINT64_MAX;
	ok &= check_u64(vcpu->run->fail_entry.hardware_entry_failure_reason, hw,
			"the hardware's entry failure reason");
	ok &= check_u64(kes_stats_count(&st, lab_reason(name)), 1, "%s in the VM's file", name);
	ok &= check_u64(st.total.count, 1, "all exits in the VM's file");
	ok &= check_matches_tracepoint(&none, &st, &tp, "per-VM");
	ok &= check_cycles_sane(&st, "per-VM");
	ok &= check_u64(vcpu_get_stat(vcpu, "exits"), 1, "KVM's own exits of the vCPU");
	kvm_vm_free(vm);
	kes_stats_free(&st);
	return ok;
}

/*
 * VMX: a VMLAUNCH that fails (VMfailValid), which is no VM-exit: KVM marks
 * it with exit reason 0xdead and counts it in its own "exits"; so do we, as
 * VMFAIL; the kvm_exit tracepoint does not fire.  Provoked with an event
 * KVM injects as userspace asked: a #UD with an error code, which the VM
 * entry's checks of the injection field refuse (Intel SDM 27.2.1.3: only
 * #DF, #TS, #NP, #SS, #GP, #PF, #AC and #CP deliver one); KVM reports
 * KVM_EXIT_FAIL_ENTRY with the VM-instruction error 7, "VM entry with
 * invalid control field(s)".  SVM has no such failure: EVENTINJ takes it.
 */
static void vmfail(void)
{
	struct kes_stats none = { .isa = lab_isa() }, st;
	struct kvm_vcpu_events events;
	struct kvm_vcpu *vcpu;
	struct tp_counts tp;
	struct kvm_vm *vm;
	char dir[64], path[80];
	bool ok = true;

	if (lab_isa() != KES_ISA_VMX) {
		ksft_test_result_skip("VMFAIL: VMX only (SVM's VMRUN takes any event to inject)\n");
		return;
	}
	vm = vm_create_with_one_vcpu(&vcpu, guest_never_runs);
	vcpu_events_get(vcpu, &events);
	events.exception.injected = 1;
	events.exception.nr = UD_VECTOR;
	events.exception.has_error_code = 1;
	events.exception.error_code = 0;
	vcpu_events_set(vcpu, &events);

	tp_start();
	vcpu_run(vcpu);
	tp_read(&tp);
	tp_stop();
	wl_debugfs_dir_of(vm->fd, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/exit_stats", dir);
	stats_load(path, &st);
	ksft_print_msg("VMFAIL: KVM_RUN's exit reason %u, hardware reason %llu; the tracepoint saw %llu exits\n",
		       vcpu->run->exit_reason,
		       (unsigned long long)vcpu->run->fail_entry.hardware_entry_failure_reason,
		       (unsigned long long)tp_total(&tp));
	ok &= check_u64(vcpu->run->exit_reason, KVM_EXIT_FAIL_ENTRY, "KVM_RUN's exit reason");
	ok &= check_u64(vcpu->run->fail_entry.hardware_entry_failure_reason, 7,
			"the VM-instruction error (7: invalid control field)");
	ok &= check_u64(kes_stats_count(&st, lab_reason("VMFAIL")), 1, "VMFAIL in the VM's file");
	ok &= check_u64(st.total.count, 1, "all exits in the VM's file");
	ok &= check_u64(vcpu_get_stat(vcpu, "exits"), 1, "KVM's own exits of the vCPU");
	ok &= check_u64(tp_total(&tp), 0, "exits the tracepoint saw (it does not fire for VMfail)");
	ok &= check_cycles_sane(&st, "per-VM");
	(void)none;
	kvm_vm_free(vm);
	kes_stats_free(&st);
	ksft_test_result(ok, "VMX VMFAIL (a VMLAUNCH that failed): counted once, as KVM counts it\n");
}

/*
 * A triple fault: the guest loads an empty IDT and raises #BP, whose
 * delivery faults until the processor shuts down (VMX TRIPLE_FAULT, SVM
 * shutdown); KVM reports KVM_EXIT_SHUTDOWN.  Exactly one exit, of that
 * reason.
 */
static void guest_triple_fault(void)
{
	static const struct desc_ptr empty = { .size = 0, .address = 0 };

	asm volatile("lidt %0\n\tint3" : : "m"(empty));
}

static bool triple_fault(void)
{
	bool vmx = lab_isa() == KES_ISA_VMX;
	const char *name = vmx ? "TRIPLE_FAULT" : "shutdown";
	struct kes_stats none = { .isa = lab_isa() }, st;
	struct kvm_vcpu *vcpu;
	struct tp_counts tp;
	struct kvm_vm *vm;
	char dir[64], path[80];
	bool ok = true;

	vm = vm_create_with_one_vcpu(&vcpu, guest_triple_fault);
	tp_start();
	vcpu_run(vcpu);
	tp_read(&tp);
	tp_stop();
	wl_debugfs_dir_of(vm->fd, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/exit_stats", dir);
	stats_load(path, &st);
	ok &= check_u64(vcpu->run->exit_reason, KVM_EXIT_SHUTDOWN, "KVM_RUN's exit reason");
	ok &= check_u64(kes_stats_count(&st, lab_reason(name)), 1, "%s in the VM's file", name);
	ok &= check_matches_tracepoint(&none, &st, &tp, "per-VM, since creation");
	ok &= check_u64(st.total.count, vcpu_get_stat(vcpu, "exits"),
			"the VM's TOTAL against KVM's own exits");
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
	ksft_set_plan(WL_NR_KINDS + 5);
	ksft_print_msg("isa=%s, N=%llu\n", kes_isa_name(lab_isa()), (unsigned long long)n);

	for (k = 0; k < WL_NR_KINDS; k++) {
		struct wl_spec one = { .vcpus = 1 };

		one.n[k] = k == WL_HLT || k == WL_TSCDL ? n / 10 : n;
		if (one.n[k] > WL_FRESH_MAX && k == WL_FRESH)
			one.n[k] = WL_FRESH_MAX;
		spec.n[k] = one.n[k];
		ksft_test_result(run_workload(&one), "%s x %llu: %s, equal to the tracepoint and to KVM's own counts\n",
				 wl_kind_name(k), (unsigned long long)one.n[k],
				 k == WL_PAUSE ? "as the tracepoint says (PAUSE exits are the CPU's call)" :
				 "exact");
	}
	ksft_test_result(run_workload(&spec), "all kinds in one run: exact, equal to the tracepoint and to KVM's own counts\n");
	ksft_test_result(new_vm(), "a new VM from its first exit: %s, and all, equal to the tracepoint\n",
			 lab_isa() == KES_ISA_VMX ? "EPT violations" : "nested page faults");
	ksft_test_result(failed_entry(), "a failed VM-entry: counted once under its reason, as the tracepoint and KVM\n");
	vmfail();
	ksft_test_result(triple_fault(), "a triple fault: one %s exit, as the tracepoint and KVM\n",
			 lab_isa() == KES_ISA_VMX ? "TRIPLE_FAULT" : "shutdown");
	ksft_finished();
}
