// SPDX-License-Identifier: GPL-2.0
/*
 * The exit_stats_hist text format: a file as the kernel writes it parses,
 * its buckets' bounds and percentiles are read right, every kind of
 * malformed or truncated file is refused with the right line, and the lab's
 * recordings agree with the statistics recorded with them.
 *
 * Environment: KES_FIXTURES (tests/unit/fixtures).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "histfile.h"

#define HDR "# isa=svm tsc_khz=2000000 buckets=32\n" \
	    "# reason name kind bucket_0 ... bucket_31: TSC cycles 0, [1,2), [2,4), ..., [2^30,inf)\n"
/* 32 buckets: 3 exits in [512,1024), 1 in [2^30,inf) */
#define B_A "0 0 0 0 0 0 0 0 0 0 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1"
/* 4 exits in [128,256) */
#define B_B "0 0 0 0 0 0 0 0 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"
/* 1 exit of 0 cycles */
#define B_Z "1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"

static void parses_a_kernel_file(void **state)
{
	const char *text = HDR
		"114 cpuid e2e " B_A "\n"
		"114 cpuid kvm " B_B "\n"
		"123 io e2e " B_Z "\n"
		"123 io kvm " B_Z "\n"
		"- other e2e " B_Z "\n"
		"- other kvm " B_Z "\n";
	struct kes_hists h;
	char err[200];
	uint64_t lo, hi;

	(void)state;
	assert_int_equal(kes_hists_parse(text, strlen(text), &h, err, sizeof(err)), 0);
	assert_int_equal(h.isa, KES_ISA_SVM);
	assert_int_equal(h.tsc_khz, 2000000);
	assert_int_equal(h.nrows, 3);
	assert_string_equal(kes_hists_row(&h, 114)->name, "cpuid");
	assert_int_equal(kes_hists_row(&h, 114)->b[KES_HIST_E2E][10], 3);
	assert_int_equal(kes_hists_row(&h, 114)->b[KES_HIST_KVM][8], 4);
	assert_true(h.rows[2].other);
	assert_null(kes_hists_row(&h, 124));
	assert_int_equal(kes_hist_sum(h.rows[0].b[KES_HIST_E2E]), 4);

	/* Percentiles: the bucket the q-th exit in order falls in. */
	assert_true(kes_hist_quantile(h.rows[0].b[KES_HIST_E2E], 0.5, &lo, &hi));
	assert_int_equal(lo, 512);
	assert_int_equal(hi, 1024);
	assert_true(kes_hist_quantile(h.rows[0].b[KES_HIST_E2E], 0.75, &lo, &hi));
	assert_int_equal(hi, 1024);		/* the 3rd of 4 */
	assert_true(kes_hist_quantile(h.rows[0].b[KES_HIST_E2E], 0.76, &lo, &hi));
	assert_int_equal(lo, 1ULL << 30);	/* the 4th: the last bucket, open */
	assert_true(hi == UINT64_MAX);
	assert_true(kes_hist_quantile(h.rows[1].b[KES_HIST_KVM], 0.999, &lo, &hi));
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 1);
	kes_hists_free(&h);
}

static void bounds_and_empty(void **state)
{
	uint64_t b[KES_HIST_BUCKETS] = { 0 }, lo, hi;

	(void)state;
	kes_hist_bounds(0, &lo, &hi);
	assert_true(lo == 0 && hi == 1);
	kes_hist_bounds(1, &lo, &hi);
	assert_true(lo == 1 && hi == 2);
	kes_hist_bounds(11, &lo, &hi);
	assert_true(lo == 1024 && hi == 2048);
	kes_hist_bounds(31, &lo, &hi);
	assert_true(lo == 1ULL << 30 && hi == UINT64_MAX);
	assert_false(kes_hist_quantile(b, 0.5, &lo, &hi));
}

static void refuses_malformed(void **state)
{
	static const char *const bad[][2] = {
		{ "", "empty: expected the header \"# isa=vmx|svm tsc_khz=N buckets=32\"" },
		{ "# isa=svm tsc_khz=2000000\n", "line 1: expected the header \"# isa=vmx|svm tsc_khz=N buckets\"" },
		{ "# isa=svm tsc_khz=2000000 buckets=16\n", "line 1: buckets=16: this reader knows 32" },
		{ HDR "114 cpuid e2e " B_A "\n114 cpuid kvm " B_B,
		  "line 4: no newline at the end: the file is truncated" },
		{ HDR "114 cpuid e2e " B_A "\n", "line 4: the last reason has no kvm line: the file is truncated" },
		{ HDR "114 cpuid kvm " B_A "\n", "line 3: a reason's e2e line comes before its kvm line" },
		{ HDR "114 cpuid e2e " B_A "\n114 cpuid kvm " B_Z "\n",
		  "line 4: cpuid: the e2e buckets add up to 4, the kvm buckets to 1" },
		{ HDR "114 io e2e " B_A "\n", "line 3: reason 114 is cpuid in the svm table, not \"io\"" },
		{ HDR "114 cpuid lat " B_A "\n", "line 3: KIND is neither e2e nor kvm" },
		{ HDR "114 cpuid e2e 1 2 3\n",
		  "line 3: expected 35 fields \"REASON NAME KIND\" and 32 buckets, found 6" },
		{ HDR "114 cpuid e2e " B_A " 0\n",
		  "line 3: expected 35 fields \"REASON NAME KIND\" and 32 buckets, found more than 35" },
		{ HDR "114 cpuid e2e 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		  "line 3: a line of empty buckets: the kernel writes none" },
		{ HDR "114 cpuid e2e " B_A "\n114 cpuid kvm " B_A "\n114 cpuid kvm " B_A "\n",
		  "line 5: a second kvm line of the same reason" },
		{ HDR "123 io e2e " B_Z "\n123 io kvm " B_Z "\n114 cpuid e2e " B_A "\n",
		  "line 5: REASON is not above the previous line's (\"other\" comes last)" },
		{ HDR "- other e2e " B_Z "\n- other kvm " B_Z "\n114 cpuid e2e " B_A "\n",
		  "line 5: REASON is not above the previous line's (\"other\" comes last)" },
		{ HDR "114 cpuid e2e " B_A "\n123 io e2e " B_Z "\n",
		  "line 4: the previous reason has no kvm line" },
		{ HDR "- cpuid e2e " B_Z "\n", "line 3: a line with REASON \"-\" must be named \"other\"" },
		{ HDR "114 cpuid e2e 18446744073709551615 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		  "line 3: bucket 1 is not a decimal number, or the buckets add up to more than 2^64" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kes_hists h;
		char err[200] = "";

		if (kes_hists_parse(bad[i][0], strlen(bad[i][0]), &h, err, sizeof(err)) != -1)
			fail_msg("case %zu was accepted: %s", i, bad[i][0]);
		if (strcmp(err, bad[i][1]))
			fail_msg("case %zu: said \"%s\", expected \"%s\"", i, err, bad[i][1]);
		assert_null(h.rows);
	}
}

static void parses_crlf_and_empty(void **state)
{
	const char *crlf = "# isa=vmx tsc_khz=100000 buckets=32\r\n"
			   "10 CPUID e2e " B_B "\r\n10 CPUID kvm " B_B "\r\n";
	const char *empty = HDR;
	struct kes_hists h;
	char err[200];

	(void)state;
	assert_int_equal(kes_hists_parse(crlf, strlen(crlf), &h, err, sizeof(err)), 0);
	assert_int_equal(h.nrows, 1);
	assert_int_equal(h.isa, KES_ISA_VMX);
	kes_hists_free(&h);
	assert_int_equal(kes_hists_parse(empty, strlen(empty), &h, err, sizeof(err)), 0);
	assert_int_equal(h.nrows, 0);
	kes_hists_free(&h);
}

/*
 * The lab's recordings: the system-wide histograms and statistics of the
 * same moment (the fixtures job), each reason's sums its exits timed.
 */
static void lab_recordings(void **state)
{
	static const char *const pairs[][2] = {
		{ "svm-system-2vms-hist.txt", "svm-system-2vms.txt" },
		{ "vmx-system-hist.txt", "vmx-system.txt" },
	};
	const char *dir = getenv("KES_FIXTURES");
	char path[512], err[300];
	size_t i, j;

	(void)state;
	assert_non_null(dir);
	for (i = 0; i < 2; i++) {
		struct kes_hists h;
		struct kes_stats st;

		snprintf(path, sizeof(path), "%s/%s", dir, pairs[i][0]);
		if (kes_hists_load(path, &h, err, sizeof(err)))
			fail_msg("%s", err);
		snprintf(path, sizeof(path), "%s/%s", dir, pairs[i][1]);
		if (kes_stats_load(path, &st, err, sizeof(err)))
			fail_msg("%s", err);
		assert_int_equal(h.isa, st.isa);
		assert_true(h.nrows > 3);
		for (j = 0; j < st.nrows; j++) {
			const struct kes_hist_row *r = kes_hists_row(&h, st.rows[j].reason);
			uint64_t timed = st.rows[j].s.timed;

			if (!timed) {
				assert_null(r);
				continue;
			}
			assert_non_null(r);
			if (kes_hist_sum(r->b[KES_HIST_E2E]) != timed)
				fail_msg("%s: %s: %llu in the histograms, %llu timed", pairs[i][0],
					 r->name,
					 (unsigned long long)kes_hist_sum(r->b[KES_HIST_E2E]),
					 (unsigned long long)timed);
		}
		kes_hists_free(&h);
		kes_stats_free(&st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_a_kernel_file),
		cmocka_unit_test(bounds_and_empty),
		cmocka_unit_test(refuses_malformed),
		cmocka_unit_test(parses_crlf_and_empty),
		cmocka_unit_test(lab_recordings),
	};

	return cmocka_run_group_tests_name("the exit_stats_hist format", tests, NULL, NULL);
}
