// SPDX-License-Identifier: GPL-2.0
/*
 * N exits of each kind raise that reason's count by exactly N, in the
 * system-wide and in the per-VM statistics, and every exit reason agrees
 * with the kernel's own kvm_exit tracepoint counted in the same run.
 *
 * Usage: exit_count_test [N]   (default 1000; HLT and timer rounds N/10)
 */
#include <stdlib.h>

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

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000;
	struct wl_spec spec = { .vcpus = 1 };
	int k;

	ksft_print_header();
	ksft_set_plan(WL_NR_KINDS + 2);
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
	ksft_finished();
}
