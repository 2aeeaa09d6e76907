// SPDX-License-Identifier: GPL-2.0
/*
 * Several vCPUs on several host CPUs, exiting as fast as they can: no exit
 * is lost, and the counts equal the kvm_exit tracepoint's.
 *
 * Usage: parallel_test [N] [VCPUS]   (default 200000 CPUID exits on each of 2)
 */
#include <stdlib.h>
#include <time.h>

#include "lab_test.h"

int main(int argc, char **argv)
{
	struct wl_spec spec = { .vcpus = 2, .pin = true };
	struct kes_stats sys0, sys1, vm0, vm1;
	struct timespec t0, t1;
	struct tp_counts tp;
	struct wl_vm *vm;
	uint32_t cpuid;
	bool ok = true;

	spec.n[WL_CPUID] = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000;
	if (argc > 2)
		spec.vcpus = strtoul(argv[2], NULL, 0);

	ksft_print_header();
	ksft_set_plan(2);
	ksft_print_msg("%u vCPUs x %llu CPUID exits, %ld host CPUs\n", spec.vcpus,
		       (unsigned long long)spec.n[WL_CPUID], sysconf(_SC_NPROCESSORS_ONLN));
	cpuid = lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid");

	vm = wl_create(&spec);
	stats_load(SYSTEM_STATS, &sys0);
	stats_load_vm(vm, &vm0);
	tp_start();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wl_run(vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &sys1);
	stats_load_vm(vm, &vm1);
	ksft_print_msg("took %.2f s; CPUID exits counted: %llu system-wide, %llu per VM, %llu by the tracepoint\n",
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		       (unsigned long long)stats_delta(&sys0, &sys1, cpuid),
		       (unsigned long long)stats_delta(&vm0, &vm1, cpuid),
		       (unsigned long long)tp_count(&tp, cpuid));

	ok &= check_workload_deltas(&sys0, &sys1, vm, "system-wide");
	ok &= check_workload_deltas(&vm0, &vm1, vm, "per-VM");
	ksft_test_result(ok, "%u vCPUs x %llu CPUID: nothing lost\n", spec.vcpus,
			 (unsigned long long)spec.n[WL_CPUID]);

	ok = check_matches_tracepoint(&sys0, &sys1, &tp, "system-wide");
	ok &= check_matches_tracepoint(&vm0, &vm1, &tp, "per-VM");
	ok &= check_cycles_sane(&vm1, "per-VM");
	ksft_test_result(ok, "%u vCPUs: every reason equal to the tracepoint\n", spec.vcpus);

	wl_destroy(vm);
	kes_stats_free(&sys0);
	kes_stats_free(&sys1);
	kes_stats_free(&vm0);
	kes_stats_free(&vm1);
	ksft_finished();
}
