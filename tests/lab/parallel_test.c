// SPDX-License-Identifier: GPL-2.0
/*
 * Several vCPUs on several host CPUs at the same time, exiting as fast as
 * they can: no exit is lost.  The counts equal the workload's own, the
 * kvm_exit tracepoint's and KVM's own "exits" of the VM.
 *
 * That the vCPUs really ran at once is asserted, not assumed: L1 has at
 * least two online CPUs, each vCPU thread (pinned to CPU i) saw only its own
 * CPU, and the threads' time windows overlap for most of their length.  On
 * an emulator that runs the L1 CPUs in turn (QEMU's single-threaded TCG,
 * Bochs) the windows overlap too, but the exits never race: the lab runs
 * this test under multi-threaded TCG, where they do (kes.accel on L1's
 * command line says which), and a build with the course write-ups' design,
 * one array of counters shared by every CPU, loses updates in it
 * (tests/mutants/course-plain.patch; the lab-svm suite shows it).
 *
 * Each vCPU's own file (<pid>-<fd>/vcpu<N>/exit_stats) shows its own N
 * CPUID exits, its TOTAL equals that vCPU's own "exits" in KVM's binary
 * statistics, and the vCPUs' files add up to the VM's file, row by row.
 *
 * Usage: parallel_test [N] [VCPUS]   (default 200000 CPUID exits on each of 2)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lab_test.h"

/* kes.accel=... from the kernel command line, "unknown" if none. */
static const char *accel(void)
{
	static char buf[4096], value[64] = "unknown";
	FILE *f = fopen("/proc/cmdline", "re");
	char *p;

	if (f && fgets(buf, sizeof(buf), f) && (p = strstr(buf, "kes.accel=")))
		sscanf(p + 10, "%63s", value);
	if (f)
		fclose(f);
	return value;
}

/* The vCPU threads ran on distinct CPUs, and at once for most of the time. */
static bool check_really_parallel(const struct wl_vm *vm, unsigned int vcpus, long cpus)
{
	double start = 0, end = 1e300, longest = 0;
	unsigned int i, j;
	bool ok = true;

	ok &= check(cpus >= 2, "L1 has %ld online CPU(s): the vCPUs cannot run at once", cpus);
	for (i = 0; i < vcpus; i++) {
		const struct wl_vcpu_run *r = wl_vcpu_run(vm, i);

		ksft_print_msg("vCPU %u: host CPU %d (CPUs seen %#x), %.3f s to %.3f s\n", i,
			       r->cpu_first, r->cpus_seen, r->t_start, r->t_end);
		ok &= check(r->cpu_first == r->cpu_last && r->cpus_seen == 1u << r->cpu_first,
			    "vCPU %u's thread ran on CPUs %#x, not on one", i, r->cpus_seen);
		for (j = 0; j < i; j++)
			ok &= check(wl_vcpu_run(vm, j)->cpu_first != r->cpu_first,
				    "vCPUs %u and %u ran on the same host CPU %d", j, i, r->cpu_first);
		start = r->t_start > start ? r->t_start : start;
		end = r->t_end < end ? r->t_end : end;
		if (r->t_end - r->t_start > longest)
			longest = r->t_end - r->t_start;
	}
	ksft_print_msg("all %u vCPUs ran at the same time for %.3f s of the longest's %.3f s\n",
		       vcpus, end > start ? end - start : 0, longest);
	ok &= check(end - start >= 0.8 * longest,
		    "the vCPU threads overlapped for %.3f s of %.3f s: not at the same time",
		    end > start ? end - start : 0, longest);
	return ok;
}

#define MAX_VCPUS 8

/* min of the rows that have exits, as the VM's file folds them. */
static void fold_row(struct kes_stat *sum, const struct kes_stat *s)
{
	if (!s->count)
		return;
	if (!sum->count || s->min < sum->min)
		sum->min = s->min;
	if (s->max > sum->max)
		sum->max = s->max;
	sum->count += s->count;
	sum->cycles += s->cycles;
}

static bool same_row(const struct kes_stat *got, const struct kes_stat *want, const char *what)
{
	bool ok = check_u64(got->count, want->count, "%s: count", what);

	ok &= check_u64(got->cycles, want->cycles, "%s: cycles", what);
	ok &= check_u64(got->min, want->min, "%s: min", what);
	ok &= check_u64(got->max, want->max, "%s: max", what);
	return ok;
}

/*
 * The vCPUs' own files: each has its own N CPUID exits and a TOTAL equal to
 * KVM's own "exits" of that vCPU (@exits0: before the run); together they
 * are the VM's file (@vm1, read after the run, the vCPUs stopped).
 */
static bool check_vcpu_files(const struct wl_vm *vm, const struct kes_stats *vm1,
			     const struct kes_stats *v0, const uint64_t *exits0, uint32_t cpuid)
{
	const struct wl_spec *spec = wl_spec(vm);
	struct kes_stats v1[MAX_VCPUS];
	struct kes_stat sum;
	char path[256], what[96];
	unsigned int i;
	bool ok = true;
	size_t r;

	for (i = 0; i < spec->vcpus; i++) {
		snprintf(path, sizeof(path), "%s/vcpu%u/exit_stats", wl_debugfs_dir(vm), i);
		stats_load(path, &v1[i]);
		ok &= check_u64(stats_delta(&v0[i], &v1[i], cpuid), spec->n[WL_CPUID],
				"vCPU %u's file: its CPUID exits, against the workload's", i);
		ok &= check_u64(v1[i].total.count - v0[i].total.count,
				vcpu_get_stat(wl_vcpu(vm, i), "exits") - exits0[i],
				"vCPU %u's file: TOTAL, against KVM's own \"exits\" of the vCPU", i);
	}
	for (r = 0; r < vm1->nrows; r++) {
		memset(&sum, 0, sizeof(sum));
		for (i = 0; i < spec->vcpus; i++) {
			const struct kes_row *row = kes_stats_row(&v1[i], vm1->rows[r].reason);

			if (check(row, "vCPU %u's file has no row %s", i, vm1->rows[r].name))
				fold_row(&sum, &row->s);
			else
				ok = false;
		}
		snprintf(what, sizeof(what), "the vCPUs' files summed, against the VM's: %s",
			 vm1->rows[r].name);
		ok &= same_row(&sum, &vm1->rows[r].s, what);
	}
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < spec->vcpus; i++)
		fold_row(&sum, &v1[i].total);
	ok &= same_row(&sum, &vm1->total, "the vCPUs' files summed, against the VM's: TOTAL");
	for (i = 0; i < spec->vcpus; i++)
		kes_stats_free(&v1[i]);
	return ok;
}

int main(int argc, char **argv)
{
	struct wl_spec spec = { .vcpus = 2, .pin = true };
	struct kes_stats sys0, sys1, vm0, vm1, v0[MAX_VCPUS];
	uint64_t exits0[MAX_VCPUS];
	char path[256];
	unsigned int i;
	struct kvm_counts k0, k1;
	struct timespec t0, t1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct tp_counts tp;
	struct wl_vm *vm;
	uint32_t cpuid;
	bool ok = true;

	spec.n[WL_CPUID] = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000;
	if (argc > 2)
		spec.vcpus = strtoul(argv[2], NULL, 0);
	if (spec.vcpus < 1 || spec.vcpus > MAX_VCPUS) {
		fprintf(stderr, "parallel_test: VCPUS must be 1 to %d, not %s\n", MAX_VCPUS, argv[2]);
		return KSFT_FAIL;
	}

	ksft_print_header();
	ksft_set_plan(4);
	ksft_print_msg("%u vCPUs x %llu CPUID exits, %ld host CPUs, emulator %s\n", spec.vcpus,
		       (unsigned long long)spec.n[WL_CPUID], cpus, accel());
	cpuid = lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid");

	vm = wl_create(&spec);
	stats_load(SYSTEM_STATS, &sys0);
	stats_load_vm(vm, &vm0);
	kvm_counts_load_vm(vm, &k0);
	for (i = 0; i < spec.vcpus; i++) {
		snprintf(path, sizeof(path), "%s/vcpu%u/exit_stats", wl_debugfs_dir(vm), i);
		stats_load(path, &v0[i]);
		exits0[i] = vcpu_get_stat(wl_vcpu(vm, i), "exits");
	}
	tp_start();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wl_run(vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &sys1);
	stats_load_vm(vm, &vm1);
	kvm_counts_load_vm(vm, &k1);
	ksft_print_msg("took %.2f s; CPUID exits counted: %llu system-wide, %llu per VM, %llu by the tracepoint; "
		       "lost: %lld\n",
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		       (unsigned long long)stats_delta(&sys0, &sys1, cpuid),
		       (unsigned long long)stats_delta(&vm0, &vm1, cpuid),
		       (unsigned long long)tp_count(&tp, cpuid),
		       (long long)(spec.vcpus * spec.n[WL_CPUID] - stats_delta(&sys0, &sys1, cpuid)));

	if (cpus < 2 && !strncmp(accel(), "bochs,", 6))
		/* Bochs runs its CPUs in one host thread: a second one adds nothing but time. */
		ksft_test_result_skip("the %u vCPUs take turns on L1's one CPU (Bochs, KES_BOCHS_CPUS=1): "
				      "lab-svm runs them at once under multi-threaded TCG\n", spec.vcpus);
	else
		ksft_test_result(check_really_parallel(vm, spec.vcpus, cpus),
				 "the %u vCPUs ran on distinct host CPUs at the same time\n", spec.vcpus);

	ok &= check_workload_faults(&sys0, &sys1, vm, &tp, "system-wide");
	ok &= check_workload_faults(&vm0, &vm1, vm, &tp, "per-VM");
	ksft_test_result(ok, "%u vCPUs x %llu CPUID: nothing lost\n", spec.vcpus,
			 (unsigned long long)spec.n[WL_CPUID]);

	ok = check_matches_tracepoint(&sys0, &sys1, &tp, "system-wide");
	ok &= check_matches_tracepoint(&vm0, &vm1, &tp, "per-VM");
	ok &= check_kvm_counts(&vm0, &vm1, &k0, &k1, "per-VM");
	ok &= check_cycles_sane(&vm1, "per-VM");
	ksft_test_result(ok, "%u vCPUs: every reason equal to the tracepoint, TOTAL to KVM's own exits\n",
			 spec.vcpus);

	ksft_test_result(check_vcpu_files(vm, &vm1, v0, exits0, cpuid),
			 "each vCPU's own file: its own exits, KVM's own count; together the VM's file\n");

	wl_destroy(vm);
	for (i = 0; i < spec.vcpus; i++)
		kes_stats_free(&v0[i]);
	kes_stats_free(&sys0);
	kes_stats_free(&sys1);
	kes_stats_free(&vm0);
	kes_stats_free(&vm1);
	ksft_finished();
}
