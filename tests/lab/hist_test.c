// SPDX-License-Identifier: GPL-2.0
/*
 * The histograms of the tier "hist" (kvm.exit_stats=hist, the files
 * exit_stats_hist, docs/interfaces.md), against the statistics of the same
 * exits and against what this program measured itself.  A VM with two
 * vCPUs, run one after the other, each doing N CPUIDs and then M port
 * exits after each of which the VMM sleeps SLEEP_NS:
 *   1. in the VM's file and in each vCPU's, each reason's two histograms
 *      (exit-to-entry, in KVM) hold exactly its exits timed, and its
 *      minimum and maximum lie in the first and last buckets that are not
 *      empty; no reason without exits timed has one;
 *   2. the vCPUs' histograms add up to the VM's, bucket by bucket;
 *   3. every port exit timed waited at least one sleep of the VMM: none of
 *      them is in an exit-to-entry bucket below SLEEP_NS (the in-KVM
 *      histogram of the same exits lies far below it);
 *   4. kvm-exitstat --hist shows the port exits' p50 as the file has it;
 *   5. back in the tier "time", a new VM's file has no histograms, and the
 *      parameter reads back as set.
 *
 * Usage: hist_test [N] [M]   (default 2000 CPUIDs, 10 port exits)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"
#include "lab_test.h"
#include "histfile.h"

#define VCPUS		2
#define SLEEP_NS	(2 * 1000 * 1000ULL)

static void guest_code(uint64_t n, uint64_t m)
{
	uint32_t a, b, c, d;
	uint64_t i;

	for (i = 0; i < n; i++)
		cpuid(0, &a, &b, &c, &d);
	for (i = 0; i < m; i++)
		GUEST_SYNC(i);
	GUEST_DONE();
}

static void hists_load(const char *path, struct kes_hists *h)
{
	char err[300];

	TEST_ASSERT(!kes_hists_load(path, h, err, sizeof(err)),
		    "the histograms in %s do not parse: %s", path, err);
}

/* The files of @dir: exit_stats and exit_stats_hist. */
static void load_both(const char *dir, struct kes_stats *st, struct kes_hists *h)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/exit_stats", dir);
	stats_load(path, st);
	snprintf(path, sizeof(path), "%s/exit_stats_hist", dir);
	hists_load(path, h);
}

/* The first (@last: the last) bucket of @b that is not empty. */
static unsigned int edge(const uint64_t *b, bool last)
{
	unsigned int i;

	for (i = 0; i < KES_HIST_BUCKETS; i++)
		if (b[last ? KES_HIST_BUCKETS - 1 - i : i])
			return last ? KES_HIST_BUCKETS - 1 - i : i;
	return 0;
}

static bool in_bucket(uint64_t v, unsigned int i)
{
	uint64_t lo, hi;

	kes_hist_bounds(i, &lo, &hi);
	return v >= lo && (v < hi || hi == UINT64_MAX);
}

/* 1. Each reason's histograms hold its exits timed, min and max in their range. */
static bool check_rows(const struct kes_stats *st, const struct kes_hists *h, const char *what)
{
	size_t i, with = 0;
	bool ok = true;

	for (i = 0; i < st->nrows; i++) {
		const struct kes_row *r = &st->rows[i];
		const struct kes_hist_row *hr = kes_hists_row(h, r->reason);
		const uint64_t *e2e, *kvm;

		if (!r->s.timed) {
			ok &= check(!hr, "%s: %s has no exit timed but a histogram", what, r->name);
			continue;
		}
		with++;
		if (!check(hr != NULL, "%s: %s has %llu exits timed and no histogram", what,
			   r->name, (unsigned long long)r->s.timed)) {
			ok = false;
			continue;
		}
		e2e = hr->b[KES_HIST_E2E];
		kvm = hr->b[KES_HIST_KVM];
		ok &= check_u64(kes_hist_sum(e2e), r->s.timed, "%s: %s exit-to-entry histogram",
				what, r->name);
		ok &= check_u64(kes_hist_sum(kvm), r->s.timed, "%s: %s in-KVM histogram", what,
				r->name);
		ok &= check(in_bucket(r->s.min, edge(kvm, false)) &&
			    in_bucket(r->s.max, edge(kvm, true)),
			    "%s: %s min %llu and max %llu in KVM lie in its first and last buckets, %u and %u",
			    what, r->name, (unsigned long long)r->s.min,
			    (unsigned long long)r->s.max, edge(kvm, false), edge(kvm, true));
		ok &= check(in_bucket(r->s.e2e_max, edge(e2e, true)),
			    "%s: %s's longest exit-to-entry %llu lies in its last bucket, %u", what,
			    r->name, (unsigned long long)r->s.e2e_max, edge(e2e, true));
	}
	ok &= check(h->nrows == with && (!h->nrows || !h->rows[h->nrows - 1].other),
		    "%s: %zu histograms for %zu reasons with exits timed, none of them \"other\"",
		    what, h->nrows, with);
	return ok;
}

/* 2. The vCPUs' histograms, added up, are the VM's. */
static bool check_sum(const struct kes_hists *vm, const struct kes_hists *vcpu)
{
	size_t i, j;
	int k, b;

	for (i = 0; i < vm->nrows; i++) {
		const struct kes_hist_row *r = &vm->rows[i];

		for (k = 0; k < KES_HIST_KINDS; k++)
			for (b = 0; b < KES_HIST_BUCKETS; b++) {
				uint64_t sum = 0;

				for (j = 0; j < VCPUS; j++) {
					const struct kes_hist_row *v = kes_hists_row(&vcpu[j],
										     r->reason);

					sum += v ? v->b[k][b] : 0;
				}
				if (!check_u64(sum, r->b[k][b], "%s bucket %d of kind %d: the vCPUs' against the VM's",
					       r->name, b, k))
					return false;
			}
	}
	return true;
}

/*
 * kvm-exitstat --hist --vm shows @reason's exit-to-entry p50 as the upper
 * bound of the bucket the VM's file puts it in, in microseconds.
 */
static bool tool_agrees(const char *dir, const struct kes_hists *h, uint32_t reason)
{
	const struct kes_hist_row *r = kes_hists_row(h, reason);
	char cmd[160], line[512], want[32], first[16];
	bool found = false;
	uint64_t lo, hi;
	FILE *p;

	kes_hist_quantile(r->b[KES_HIST_E2E], 0.5, &lo, &hi);
	snprintf(want, sizeof(want), " %.2f ", hi * 1000.0 / h->tsc_khz);
	snprintf(first, sizeof(first), h->isa == KES_ISA_SVM ? "0x%03x" : "%u", reason);
	snprintf(cmd, sizeof(cmd), "/tests/kvm-exitstat --hist --vm %s", strrchr(dir, '/') + 1);
	p = popen(cmd, "r");
	TEST_ASSERT(p, "cannot run %s", cmd);
	while (fgets(line, sizeof(line), p)) {
		char *s = line + strspn(line, " ");

		if (!strncmp(s, first, strlen(first)) && s[strlen(first)] == ' ') {
			found = strstr(line, want) != NULL;
			ksft_print_msg("%s: %s", cmd, line);
		}
	}
	return check(pclose(p) == 0 && found,
		     "%s: the line of reason %s shows the file's p50 bound%s", cmd, first, want);
}

static bool histograms(uint64_t n, uint64_t m)
{
	const char *io = lab_isa() == KES_ISA_VMX ? "IO_INSTRUCTION" : "io";
	struct kes_hists vm_h, vcpu_h[VCPUS];
	struct kes_stats vm_st, vcpu_st[VCPUS];
	struct kvm_vcpu *vcpus[VCPUS];
	const struct kes_hist_row *hr;
	uint64_t sleep_cycles, low = 0, lo, hi;
	char dir[64], vdir[96];
	struct kvm_vm *vm;
	struct ucall uc;
	bool ok = true;
	unsigned int i;
	int b;

	set_param("exit_stats", "hist");
	vm = vm_create_with_vcpus(VCPUS, guest_code, vcpus);
	for (i = 0; i < VCPUS; i++) {
		vcpu_args_set(vcpus[i], 2, n, m);
		for (;;) {
			vcpu_run(vcpus[i]);
			if (get_ucall(vcpus[i], &uc) != UCALL_SYNC)
				break;
			usleep(SLEEP_NS / 1000);
		}
		TEST_ASSERT(uc.cmd == UCALL_DONE, "vCPU %u did not finish", i);
	}
	wl_debugfs_dir_of(vm->fd, dir, sizeof(dir));
	load_both(dir, &vm_st, &vm_h);
	ok &= check_rows(&vm_st, &vm_h, "the VM");
	for (i = 0; i < VCPUS; i++) {
		char what[16];

		snprintf(vdir, sizeof(vdir), "%s/vcpu%u", dir, i);
		snprintf(what, sizeof(what), "vcpu%u", i);
		load_both(vdir, &vcpu_st[i], &vcpu_h[i]);
		ok &= check_rows(&vcpu_st[i], &vcpu_h[i], what);
	}
	ok &= check_sum(&vm_h, vcpu_h);

	/* 3. The VMM's sleeps are in the port exits' exit-to-entry. */
	sleep_cycles = SLEEP_NS * vm_st.tsc_khz / 1000000;
	hr = kes_hists_row(&vm_h, lab_reason(io));
	TEST_ASSERT(hr, "no histogram of %s", io);
	for (b = 0; b < KES_HIST_BUCKETS; b++) {
		kes_hist_bounds(b, &lo, &hi);
		if (hi <= sleep_cycles)
			low += hr->b[KES_HIST_E2E][b];
	}
	ok &= check_u64(low, 0, "port exits in exit-to-entry buckets below the VMM's sleep of %llu cycles",
			(unsigned long long)sleep_cycles);
	kes_hist_quantile(hr->b[KES_HIST_E2E], 0.5, &lo, &hi);
	ksft_print_msg("%s: %llu exits timed; exit-to-entry p50 in [%llu, %llu) cycles, a sleep is %llu\n",
		       io, (unsigned long long)kes_hist_sum(hr->b[KES_HIST_E2E]),
		       (unsigned long long)lo, (unsigned long long)hi,
		       (unsigned long long)sleep_cycles);
	kes_hist_quantile(hr->b[KES_HIST_KVM], 0.5, &lo, &hi);
	ok &= check(hi <= sleep_cycles, "%s: in KVM p50 in [%llu, %llu) cycles, below a sleep", io,
		    (unsigned long long)lo, (unsigned long long)hi);
	hr = kes_hists_row(&vm_h, lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid"));
	if (hr) {
		kes_hist_quantile(hr->b[KES_HIST_E2E], 0.99, &lo, &hi);
		ksft_print_msg("%s: %llu exits timed; exit-to-entry p99 in [%llu, %llu) cycles\n",
			       hr->name, (unsigned long long)kes_hist_sum(hr->b[KES_HIST_E2E]),
			       (unsigned long long)lo, (unsigned long long)hi);
	}
	ok &= tool_agrees(dir, &vm_h, lab_reason(io));
	kvm_vm_free(vm);
	kes_stats_free(&vm_st);
	kes_hists_free(&vm_h);
	for (i = 0; i < VCPUS; i++) {
		kes_stats_free(&vcpu_st[i]);
		kes_hists_free(&vcpu_h[i]);
	}
	return ok;
}

/* 5. The tier "time" keeps no histograms. */
static bool time_tier(void)
{
	struct kvm_vcpu *vcpu;
	struct kes_hists h;
	struct kes_stats st;
	const char *tier;
	char dir[64];
	struct kvm_vm *vm;
	struct ucall uc;
	bool ok = true;

	set_param("exit_stats", "time");
	tier = get_param("exit_stats");
	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vcpu_args_set(vcpu, 2, 100, 0);
	vcpu_run(vcpu);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "the guest did not finish");
	wl_debugfs_dir_of(vm->fd, dir, sizeof(dir));
	load_both(dir, &st, &h);
	ok &= check(!strcmp(tier, "time"), "kvm.exit_stats reads back \"%s\", not time", tier);
	ok &= check(st.total.timed > 0, "exits timed: %llu", (unsigned long long)st.total.timed);
	ok &= check_u64(h.nrows, 0, "histograms in the tier time");
	kvm_vm_free(vm);
	kes_stats_free(&st);
	kes_hists_free(&h);
	return ok;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000;
	uint64_t m = argc > 2 ? strtoull(argv[2], NULL, 0) : 10;

	ksft_print_header();
	ksft_set_plan(2);
	ksft_test_result(histograms(n, m),
			 "kvm.exit_stats=hist: %d vCPUs' histograms hold their exits timed, add up to the VM's, and show the VMM's sleeps\n",
			 VCPUS);
	ksft_test_result(time_tier(), "kvm.exit_stats=time: no histograms\n");
	ksft_finished();
}
