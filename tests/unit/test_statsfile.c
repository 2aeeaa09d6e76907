// SPDX-License-Identifier: GPL-2.0
/*
 * The exit_stats text format: files recorded in the lab parse, and every
 * kind of malformed or truncated file is refused with the right line.
 *
 * Environment: KES_FIXTURES (tests/unit/fixtures).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "statsfile.h"
#include "test_util.h"

#define HDR "# isa=vmx tsc_khz=2000000\n"

static void parses_minimal(void **state)
{
	const char *text = HDR
		"# a comment\n"
		"10 CPUID 3 3000 900 1200\n"
		"12 HLT 0 0 0 0\n"
		"4294967295 UNKNOWN 1 5 5 5\n"
		"- TOTAL 4 3005 5 1200\n";
	struct kes_stats st;
	char err[200];

	(void)state;
	assert_int_equal(kes_stats_parse(text, strlen(text), &st, err, sizeof(err)), 0);
	assert_int_equal(st.isa, KES_ISA_VMX);
	assert_int_equal(st.tsc_khz, 2000000);
	assert_int_equal(st.nrows, 3);
	assert_int_equal(st.rows[0].reason, 10);
	assert_string_equal(st.rows[0].name, "CPUID");
	assert_int_equal(st.rows[0].s.count, 3);
	assert_int_equal(st.rows[0].s.cycles, 3000);
	assert_int_equal(st.rows[0].s.min, 900);
	assert_int_equal(st.rows[0].s.max, 1200);
	assert_int_equal(st.rows[2].reason, 4294967295u);
	assert_int_equal(st.total.count, 4);
	assert_int_equal(st.total.max, 1200);
	assert_int_equal(kes_stats_count(&st, 10), 3);
	assert_int_equal(kes_stats_count(&st, 11), 0);
	assert_null(kes_stats_row(&st, 11));
	assert_string_equal(kes_stats_row(&st, 12)->name, "HLT");
	kes_stats_free(&st);
}

static void parses_unlisted(void **state)
{
	const char *text = HDR
		"10 CPUID 3 3000 900 1200\n"
		"# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		"- TOTAL 5 3070 30 1200\n";
	struct kes_stats st;
	char err[200];

	(void)state;
	assert_int_equal(kes_stats_parse(text, strlen(text), &st, err, sizeof(err)), 0);
	assert_int_equal(st.unlisted.count, 2);
	assert_int_equal(st.unlisted.cycles, 70);
	kes_stats_free(&st);
}

/*
 * What a live read can give, as docs/interfaces.md allows it: a max read
 * after the exit it comes from (beyond cycles_total), every exit unlisted.
 */
static void parses_live_reads(void **state)
{
	const char *text = HDR
		"10 CPUID 1 900 900 5000\n"
		"12 HLT 0 0 0 0\n"
		"- TOTAL 1 900 900 5000\n";
	const char *unlisted = HDR
		"10 CPUID 0 0 0 0\n"
		"# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		"- TOTAL 2 70 30 40\n";
	struct kes_stats st;
	char err[200];

	(void)state;
	if (kes_stats_parse(text, strlen(text), &st, err, sizeof(err)))
		fail_msg("%s", err);
	kes_stats_free(&st);
	if (kes_stats_parse(unlisted, strlen(unlisted), &st, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(st.total.min, 30);
	kes_stats_free(&st);
}

static void check_fixture(const char *name, enum kes_isa isa)
{
	struct kes_stats st;
	char err[300], path[1024];
	size_t i, ntable, known = 0;
	uint64_t sum = 0;
	const char *dir = getenv("KES_FIXTURES");

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kes_stats_load(path, &st, err, sizeof(err)))
		fail_msg("the fixture %s: %s (record it in the lab: lab/record-fixtures.sh)", name, err);
	assert_int_equal(st.isa, isa);
	assert_true(st.tsc_khz > 0);
	kes_reasons(isa, &ntable);
	for (i = 0; i < st.nrows; i++) {
		const char *manual = kes_reason_name(isa, st.rows[i].reason);

		sum += st.rows[i].s.count;
		if (manual) {
			known++;
			assert_string_equal(st.rows[i].name, manual);
		} else {
			assert_string_equal(st.rows[i].name, "UNKNOWN");
		}
	}
	/* Every reason the manual defines has a row, zeros included. */
	assert_int_equal(known, ntable);
	assert_int_equal(sum + st.unlisted.count, st.total.count);
	assert_true(st.total.count > 0);
	kes_stats_free(&st);
}

static void parses_lab_files(void **state)
{
	(void)state;
	check_fixture("svm-system.txt", KES_ISA_SVM);
	check_fixture("svm-vm.txt", KES_ISA_SVM);
	check_fixture("vmx-system.txt", KES_ISA_VMX);
	check_fixture("vmx-vm.txt", KES_ISA_VMX);
	check_fixture("svm-vm-a.txt", KES_ISA_SVM);
	check_fixture("svm-vm-b.txt", KES_ISA_SVM);
	check_fixture("svm-system-2vms.txt", KES_ISA_SVM);
	check_fixture("svm-system-split.txt", KES_ISA_SVM);	/* with the time split */
}

struct bad {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *err;	/* the message starts with this */
};

static void refuses_malformed(void **state)
{
	static const struct bad bad[] = {
		{ "", 0, "empty" },
		{ "\n", 0, "line 1: expected the header" },
		{ "# isa=arm tsc_khz=1\n- TOTAL 0 0 0 0\n", 0, "line 1: unknown isa \"arm\"" },
		{ "# isa=vmx tsc_khz=x\n- TOTAL 0 0 0 0\n", 0, "line 1: tsc_khz is not" },
		{ "# isa=vmx\n- TOTAL 0 0 0 0\n", 0, "line 1: expected the header" },
		{ "10 CPUID 1 1 1 1\n- TOTAL 1 1 1 1\n", 0, "line 1: expected the header" },
		{ HDR "10 CPUID 1 1 1 1\n- TOTAL 1 1 1 1", 0, "line 3: no newline at the end" },
		{ HDR "10 CPUID 1 1 1 1\n", 0, "line 3: the TOTAL row is missing" },
		{ HDR "10 CPUID 1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: expected 12 fields" },
		{ HDR "10 CPUID 1 1 1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: expected 12 fields" },
		/* the time split: 12 fields, as many in every row */
		{ HDR "10 CPUID 1 1 1 1\n- TOTAL 1 1 1 1 1 1 1 0 0 0\n", 0,
		  "line 3: expected 6 fields \"REASON NAME COUNT CYCLES_TOTAL CYCLES_MIN CYCLES_MAX\" as the file's first row" },
		{ HDR "10 CPUID 1 1 1 1 1 1 1 0 0 0\n- TOTAL 1 1 1 1\n", 0,
		  "line 3: expected 12 fields" },
		{ HDR "10 CPUID 1 1 1 1 2 1 1 0 0 0\n- TOTAL 1 1 1 1 2 1 1 0 0 0\n", 0,
		  "line 2: timed 2 is above count 1" },
		{ HDR "10 CPUID 1 1 1 1 0 1 1 0 0 0\n- TOTAL 1 1 1 1 0 1 1 0 0 0\n", 0,
		  "line 2: no exit timed but the times are not 0" },
		{ HDR "10 CPUID 1 5 5 5 1 9 9 3 0 0\n- TOTAL 1 5 5 5 1 9 9 3 0 0\n", 0,
		  "line 2: e2e_total 9 is not cycles_total + user_total + blocked_total + preempted_total" },
		{ HDR "10 CPUID 1 5 5 5 1 9 4 2 1 1\n- TOTAL 1 5 5 5 1 9 4 2 1 1\n", 0,
		  "line 2: e2e_max 4 is below cycles_max 5" },
		{ HDR "10 CPUID 2 5 5 5 1 9 9 2 1 1\n- TOTAL 2 5 5 5 3 9 9 2 1 1\n", 0,
		  "line 3: timed 3 is above count 2" },
		{ HDR "10 CPUID 2 5 5 5 1 9 9 2 1 1\n12 HLT 1 0 0 0 0 0 0 0 0 0\n- TOTAL 3 5 5 5 1 8 9 2 1 0\n", 0,
		  "line 4: TOTAL's timed, e2e_total, user_total, blocked_total or preempted_total is not the sum" },
		{ HDR "10 CPUID 2 5 5 5 1 9 9 2 1 1\n- TOTAL 2 5 5 5 1 9 8 2 1 1\n", 0,
		  "line 3: TOTAL e2e_max 8 is not the rows' 9" },
		{ HDR "10 CPUID 2 5 5 5 1 9 9 2 1 1\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=1 cycles=1\n- TOTAL 3 6 1 5 2 12 9 3 1 1\n", 0,
		  "line 3: malformed unlisted line: expected count=N cycles=N timed=N user=N blocked=N preempted=N" },
		{ HDR "10  CPUID 1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: empty NAME" },
		{ HDR "10 CPUID 1x 1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: count is not" },
		{ HDR "10 CPUID 1 -1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: cycles_total is not" },
		{ HDR "10 CPUID 1 1 +1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: cycles_min is not" },
		{ HDR "10 CPUID 1 1 1 18446744073709551616\n- TOTAL 0 0 0 0\n", 0,
		  "line 2: cycles_max is not a decimal number below 2^64" },
		{ HDR "-3 CPUID 1 1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: REASON is not" },
		{ HDR "4294967296 X 1 1 1 1\n- TOTAL 0 0 0 0\n", 0,
		  "line 2: REASON is not a decimal number below 2^32" },
		{ HDR "0x10 CPUID 1 1 1 1\n- TOTAL 0 0 0 0\n", 0, "line 2: REASON is not" },
		{ HDR "11 GETSEC 1 1 1 1\n10 CPUID 1 1 1 1\n- TOTAL 2 2 1 1\n", 0,
		  "line 3: REASON 10 is not above the previous row's 11" },
		{ HDR "10 CPUID 1 1 1 1\n10 CPUID 1 1 1 1\n- TOTAL 2 2 1 1\n", 0,
		  "line 3: REASON 10 is not above" },
		{ HDR "10 CPUID 0 5 0 0\n- TOTAL 0 5 0 0\n", 0, "line 2: count is 0 but" },
		{ HDR "10 CPU\tID 1 1 1 1\n- TOTAL 1 1 1 1\n", 0, "line 2: NAME has a character" },
		{ HDR "10 CPUID 1 1 1 1\n- TOTAL 2 1 1 1\n", 0,
		  "line 3: TOTAL count 2 is not the sum of the rows, 1" },
		{ HDR "10 CPUID 1 1 1 1\n- TOTAL 1 7 1 1\n", 0, "line 3: TOTAL cycles 7" },
		{ HDR "10 CPUID 1 1 1 1\n- FOO 1 1 1 1\n", 0, "line 3: a row with REASON \"-\"" },
		{ HDR "- TOTAL 0 0 0 0\n10 CPUID 1 1 1 1\n", 0, "line 3: text after the TOTAL row" },
		{ HDR "- TOTAL 0 0 0 0\n\n", 0, "line 3: text after the TOTAL row" },
		{ HDR "10 CPUID 1 1 1 1\x00\n- TOTAL 1 1 1 1\n", sizeof(HDR) + 17 + 16,
		  "line 2: contains a NUL byte" },
		{ HDR "# unlisted unknown reasons (counted in TOTAL): count=x cycles=1\n- TOTAL 0 0 0 0\n",
		  0, "line 2: malformed unlisted line" },
		{ HDR "10 " "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" " 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  0, "line 2: NAME longer than" },
		/* a TOTAL that matches only because the sum wrapped around 2^64 */
		{ HDR "10 CPUID 18446744073709551615 1 1 1\n12 HLT 2 2 1 1\n- TOTAL 1 3 1 1\n", 0,
		  "line 4: the rows' counts add up to more than 2^64" },
		{ HDR "10 CPUID 1 18446744073709551615 1 1\n12 HLT 1 2 1 1\n- TOTAL 2 1 1 1\n", 0,
		  "line 4: the rows' cycles add up to more than 2^64" },
		{ HDR "10 CPUID 1 18446744073709551615 1 1\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=1 cycles=1\n- TOTAL 2 0 1 1\n", 0,
		  "line 4: the rows' cycles add up to more than 2^64" },
		/* TOTAL's min and max are the rows' */
		{ HDR "10 CPUID 1 1 1 1\n12 HLT 1 5 5 5\n- TOTAL 2 6 1 9\n", 0,
		  "line 4: TOTAL min 1 and max 9 are not the rows' min 1 and max 5" },
		{ HDR "10 CPUID 1 1 1 1\n12 HLT 1 5 5 5\n- TOTAL 2 6 2 5\n", 0,
		  "line 4: TOTAL min 2 and max 5 are not the rows' min 1 and max 5" },
		{ HDR "10 CPUID 3 3000 900 1200\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		  "- TOTAL 5 3070 901 1200\n", 0,
		  "line 4: TOTAL min 901 and max 1200 do not cover the rows' min 900 and max 1200" },
		{ HDR "10 CPUID 3 3000 900 1200\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=0 cycles=70\n"
		  "- TOTAL 3 3070 900 1200\n", 0, "line 4: the unlisted line has cycles but no exits" },
		/* one exit's cycles: min <= max, min <= the row's cycles */
		{ HDR "10 CPUID 2 3000 1200 900\n- TOTAL 2 3000 1200 900\n", 0,
		  "line 2: cycles_min 1200 is above cycles_max 900" },
		{ HDR "10 CPUID 2 800 900 1200\n- TOTAL 2 800 900 1200\n", 0,
		  "line 2: cycles_min 900 is above cycles_total 800" },
		/* every exit unlisted: TOTAL's own min and max are checked too */
		{ HDR "10 CPUID 0 0 0 0\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		  "- TOTAL 2 70 50 20\n", 0, "line 4: cycles_min 50 is above cycles_max 20" },
		{ HDR "10 CPUID 0 0 0 0\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		  "- TOTAL 2 70 90 99\n", 0, "line 4: cycles_min 90 is above cycles_total 70" },
		/* one unlisted line at most: a second one does not replace the first */
		{ HDR "10 CPUID 3 3000 900 1200\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		  "# unlisted unknown reasons (counted in TOTAL): count=1 cycles=30\n"
		  "- TOTAL 4 3030 30 1200\n", 0, "line 4: a second unlisted line: there is one at most" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		struct kes_stats st;
		char err[200] = "";

		if (kes_stats_parse(bad[i].text, len, &st, err, sizeof(err)) != -1)
			fail_msg("case %zu was accepted: %s", i, bad[i].text);
		if (strncmp(err, bad[i].err, strlen(bad[i].err)))
			fail_msg("case %zu: said \"%s\", expected \"%s...\"", i, err, bad[i].err);
		assert_null(st.rows);
	}
}

/*
 * A file saved with CRLF line ends (an editor, a mail, Windows): a '\r'
 * before a line's '\n' is not part of the line, with or without it on the
 * other lines; a real file so converted reads the same.
 */
static void parses_crlf(void **state)
{
	const char *text = "# isa=vmx tsc_khz=2000000\r\n"
		"# reason name count cycles_total cycles_min cycles_max\r\n"
		"10 CPUID 3 3000 900 1200\r\n"
		"12 HLT 0 0 0 0\n"
		"# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\r\n"
		"- TOTAL 5 3070 30 1200\r\n";
	struct kes_stats st, lf;
	char err[200], *crlf, *p;
	size_t n, i;
	char *orig = read_data("KES_FIXTURES", "svm-system.txt", &n);

	(void)state;
	if (kes_stats_parse(text, strlen(text), &st, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(st.tsc_khz, 2000000);
	assert_int_equal(st.nrows, 2);
	assert_string_equal(st.rows[0].name, "CPUID");
	assert_int_equal(st.rows[0].s.max, 1200);
	assert_int_equal(st.unlisted.cycles, 70);
	assert_int_equal(st.total.max, 1200);
	kes_stats_free(&st);

	crlf = malloc(2 * n + 1);
	assert_non_null(crlf);
	for (p = crlf, i = 0; i < n; i++) {
		if (orig[i] == '\n')
			*p++ = '\r';
		*p++ = orig[i];
	}
	if (kes_stats_parse(orig, n, &lf, err, sizeof(err)))
		fail_msg("%s", err);
	if (kes_stats_parse(crlf, (size_t)(p - crlf), &st, err, sizeof(err)))
		fail_msg("svm-system.txt with CRLF line ends: %s", err);
	assert_int_equal(st.nrows, lf.nrows);
	for (i = 0; i < lf.nrows; i++) {
		assert_int_equal(st.rows[i].reason, lf.rows[i].reason);
		assert_string_equal(st.rows[i].name, lf.rows[i].name);
		assert_memory_equal(&st.rows[i].s, &lf.rows[i].s, sizeof(lf.rows[i].s));
	}
	assert_memory_equal(&st.total, &lf.total, sizeof(st.total));
	kes_stats_free(&st);
	kes_stats_free(&lf);
	free(crlf);
	free(orig);
}

/* The messages of the texts that must be refused, case by case. */
static void expect_refused(const char *const (*cases)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct kes_stats st;
		char err[200] = "";

		if (kes_stats_parse(cases[i][0], strlen(cases[i][0]), &st, err, sizeof(err)) != -1)
			fail_msg("case %zu was accepted: %s", i, cases[i][0]);
		if (strcmp(err, cases[i][1]))
			fail_msg("case %zu: said \"%s\", expected \"%s\"", i, err, cases[i][1]);
		assert_null(st.rows);
	}
}

/*
 * A row's NAME is its REASON's name in the table of the file's ISA, as the
 * kernel writes it; UNKNOWN is the name of a reason the table lacks, and
 * only of such a reason.
 */
static void refuses_names_not_of_the_table(void **state)
{
	static const char *const bad[][2] = {
		{ HDR "10 HLT 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  "line 2: reason 10 is CPUID in the vmx table, not \"HLT\"" },
		{ HDR "10 CPUID 1 1 1 1\n12 cpuid 1 1 1 1\n- TOTAL 2 2 1 1\n",
		  "line 3: reason 12 is HLT in the vmx table, not \"cpuid\"" },
		{ HDR "10 cpuid 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  "line 2: reason 10 is CPUID in the vmx table, not \"cpuid\"" },
		{ "# isa=svm tsc_khz=2000000\n114 CPUID 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  "line 2: reason 114 is cpuid in the svm table, not \"CPUID\"" },
		{ HDR "10 UNKNOWN 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  "line 2: reason 10 is CPUID in the vmx table, not \"UNKNOWN\"" },
		{ HDR "35 RESERVED 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  "line 2: reason 35 is not in the vmx table: its row is named UNKNOWN, not \"RESERVED\"" },
		{ HDR "# a comment\n4294967295 invalid_guest_state 1 1 1 1\n- TOTAL 1 1 1 1\n",
		  "line 3: reason 4294967295 is not in the vmx table: its row is named UNKNOWN, not "
		  "\"invalid_guest_state\"" },
	};
	const char *ok = HDR "35 UNKNOWN 1 1 1 1\n57005 VMFAIL 1 1 1 1\n- TOTAL 2 2 1 1\n";
	struct kes_stats st;
	char err[200];

	(void)state;
	expect_refused(bad, sizeof(bad) / sizeof(bad[0]));
	if (kes_stats_parse(ok, strlen(ok), &st, err, sizeof(err)))
		fail_msg("%s", err);
	kes_stats_free(&st);
}

/*
 * tsc_khz is a TSC's frequency: up to 100 GHz (100,000,000 kHz); 0 is the
 * kernel's "unknown" (docs/interfaces.md).
 */
static void refuses_absurd_tsc_khz(void **state)
{
	static const char *const bad[][2] = {
		{ "# isa=vmx tsc_khz=100000001\n- TOTAL 0 0 0 0\n",
		  "line 1: tsc_khz=100000001 is no TSC frequency: more than 100 GHz (100000000 kHz)" },
		{ "# isa=svm tsc_khz=18446744073709551615\n- TOTAL 0 0 0 0\n",
		  "line 1: tsc_khz=18446744073709551615 is no TSC frequency: more than 100 GHz "
		  "(100000000 kHz)" },
		{ "# isa=svm tsc_khz=18446744073709551616\n- TOTAL 0 0 0 0\n",
		  "line 1: tsc_khz is not a decimal number" },
	};
	static const char *const good[] = {
		"# isa=vmx tsc_khz=100000000\n- TOTAL 0 0 0 0\n",
		"# isa=vmx tsc_khz=1\n- TOTAL 0 0 0 0\n",
		"# isa=vmx tsc_khz=0\n- TOTAL 0 0 0 0\n",
	};
	struct kes_stats st;
	char err[200];
	size_t i;

	(void)state;
	expect_refused(bad, sizeof(bad) / sizeof(bad[0]));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (kes_stats_parse(good[i], strlen(good[i]), &st, err, sizeof(err)))
			fail_msg("case %zu: %s", i, err);
		kes_stats_free(&st);
	}
}

static void every_truncation_refused(void **state)
{
	size_t len, n;
	char *text = read_data("KES_FIXTURES", "svm-system.txt", &n);

	(void)state;
	/* Any cut of a real file before its end is refused: never a crash. */
	for (len = 0; len < n; len++) {
		struct kes_stats st;
		char err[200];

		if (!kes_stats_parse(text, len, &st, err, sizeof(err)))
			fail_msg("the file cut at byte %zu of %zu was accepted", len, n);
	}
	free(text);
}

static void load_errors(void **state)
{
	struct kes_stats st;
	char err[300];

	(void)state;
	assert_int_equal(kes_stats_load("/nonexistent/exit_stats", &st, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/exit_stats: No such file"));
	assert_int_equal(kes_stats_load("/", &st, err, sizeof(err)), -EISDIR);
	assert_int_equal(kes_stats_load("/proc/self/status", &st, err, sizeof(err)), KES_STATS_MALFORMED);
	assert_non_null(strstr(err, "/proc/self/status: line 1: expected the header"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_minimal),
		cmocka_unit_test(parses_unlisted),
		cmocka_unit_test(parses_live_reads),
		cmocka_unit_test(parses_lab_files),
		cmocka_unit_test(refuses_malformed),
		cmocka_unit_test(parses_crlf),
		cmocka_unit_test(refuses_names_not_of_the_table),
		cmocka_unit_test(refuses_absurd_tsc_khz),
		cmocka_unit_test(every_truncation_refused),
		cmocka_unit_test(load_errors),
	};

	return cmocka_run_group_tests_name("stats file format", tests, NULL, NULL);
}
