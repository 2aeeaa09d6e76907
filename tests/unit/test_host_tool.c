// SPDX-License-Identifier: GPL-2.0
/*
 * The host tool kvm-exitstat: its report and every output format on files
 * recorded in the lab (tests/unit/fixtures), and the tool itself run as a
 * program on a copy of debugfs made of those files: VMs, errors, exit
 * codes, atomic Prometheus files, interval mode, Ctrl-C, a VM going away.
 *
 * Environment: KES_FIXTURES, KES_HOST_TOOL (the built kvm-exitstat).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "filter.h"
#include "format.h"
#include "guest_name.h"
#include "report.h"
#include "test_util.h"

static struct kes_stats vm_stats;	/* fixtures/svm-vm.txt */

static int load_fixture(void **state)
{
	char err[300], path[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/svm-vm.txt", getenv("KES_FIXTURES"));
	if (kes_stats_load(path, &vm_stats, err, sizeof(err)))
		fail_msg("%s", err);
	return 0;
}

static int free_fixture(void **state)
{
	(void)state;
	kes_stats_free(&vm_stats);
	return 0;
}

static char buf[65536];

/* What a format wrote, as a string. */
static char *capture(void (*print)(FILE *, const struct kes_report *, bool, bool),
		     void (*print_plain)(FILE *, const struct kes_report *),
		     const struct kes_report *rep)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (print)
		print(f, rep, true, false);
	else
		print_plain(f, rep);
	fclose(f);
	return buf;
}

static char *capture_wide(const struct kes_report *rep)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	kes_format_table.report(f, rep, true, true);
	fclose(f);
	return buf;
}

static char *capture_prom(const struct kes_report *reps, size_t n)
{
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	kes_print_prometheus(f, reps, n, true);
	fclose(f);
	return buf;
}

static void print_json(FILE *f, const struct kes_report *rep)
{
	kes_format_json.report(f, rep, true, false);
}

static void print_prom(FILE *f, const struct kes_report *rep)
{
	kes_print_prometheus(f, rep, 1, true);
}

/* -r: names, numbers and patterns keep their rows; TOTAL stays every reason's. */
static void report_filter(void **state)
{
	struct kes_filter f = { 0 };
	struct kes_report rep;
	const char *bad = NULL;

	(void)state;
	assert_int_equal(kes_filter_add(&f, "CPUID,0x7b", &bad), KES_FILTER_OK);
	assert_int_equal(kes_filter_add(&f, "v*", &bad), KES_FILTER_OK);
	assert_int_equal(kes_report_make(&rep, &vm_stats, NULL, 0, false, KES_SORT_COUNT), 0);
	kes_filter_report(&f, &rep);
	assert_int_equal(rep.n, 3);
	assert_string_equal(rep.rows[0].name, "cpuid");
	assert_string_equal(rep.rows[1].name, "io");
	assert_string_equal(rep.rows[2].name, "vintr");
	assert_int_equal(rep.total.count, 15899);
	kes_report_free(&rep);
	assert_int_equal(kes_filter_add(&f, "cpuid,bogus", &bad), KES_FILTER_UNKNOWN);
	assert_string_equal(bad, "bogus");
	assert_int_equal(kes_filter_add(&f, "io,", &bad), KES_FILTER_EMPTY);
	assert_int_equal(kes_filter_add(&f, "", &bad), KES_FILTER_EMPTY);
	assert_true(kes_filter_match(&f, 0x78, "hlt") == false);
	assert_true(kes_filter_match(&(struct kes_filter){ 0 }, 0x78, "hlt"));
}

static void report_sorted_and_shares(void **state)
{
	struct kes_report rep;

	(void)state;
	assert_int_equal(kes_report_make(&rep, &vm_stats, NULL, 0, false, KES_SORT_COUNT), 0);
	assert_int_equal(rep.n, 7);	/* the reasons with exits */
	assert_string_equal(rep.rows[0].name, "cpuid");
	assert_string_equal(rep.rows[1].name, "io");
	assert_string_equal(rep.rows[2].name, "msr");
	assert_string_equal(rep.rows[3].name, "vintr");	/* 200, like hlt: lower reason first */
	assert_string_equal(rep.rows[4].name, "hlt");
	assert_int_equal(rep.total.count, 15899);
	assert_true(rep.rows[0].count_pct > 62.8969 && rep.rows[0].count_pct < 62.8971);
	assert_true(rep.rows[0].avg > 37385.56 && rep.rows[0].avg < 37385.57);
	assert_int_equal(rep.rows[0].min, 27326);
	kes_report_free(&rep);

	assert_int_equal(kes_report_make(&rep, &vm_stats, NULL, 0, true, KES_SORT_NAME), 0);
	assert_int_equal(rep.n, vm_stats.nrows + 1);	/* and the unlisted row */
	assert_string_equal(rep.rows[0].name, "AC_excp");	/* strcmp order */
	assert_int_equal(rep.rows[rep.n - 1].kind, KES_ROW_UNLISTED);
	kes_report_free(&rep);

	assert_int_equal(kes_report_make(&rep, &vm_stats, NULL, 0, false, KES_SORT_AVG), 0);
	assert_string_equal(rep.rows[0].name, "npf");	/* 321493 cycles per exit */
	kes_report_free(&rep);
	assert_int_equal(kes_report_make(&rep, &vm_stats, NULL, 0, false, KES_SORT_TIME), 0);
	assert_string_equal(rep.rows[0].name, "cpuid");
	assert_string_equal(rep.rows[1].name, "msr");
	kes_report_free(&rep);
}

/* @st with 1000 fewer CPUID exits and 37,000,000 fewer cycles: "before". */
static void earlier(struct kes_stats *before)
{
	size_t i;

	*before = vm_stats;
	before->rows = malloc(vm_stats.nrows * sizeof(*before->rows));
	memcpy(before->rows, vm_stats.rows, vm_stats.nrows * sizeof(*before->rows));
	for (i = 0; i < before->nrows; i++)
		if (before->rows[i].reason == 114) {
			before->rows[i].s.count -= 1000;
			before->rows[i].s.cycles -= 37000000;
		}
	before->total.count -= 1000;
	before->total.cycles -= 37000000;
}

static void report_interval(void **state)
{
	struct kes_stats before;
	struct kes_report rep;

	(void)state;
	earlier(&before);
	assert_int_equal(kes_report_make(&rep, &vm_stats, &before, 2.0, false, KES_SORT_COUNT), 0);
	assert_int_equal(rep.n, 1);
	assert_string_equal(rep.rows[0].name, "cpuid");
	assert_int_equal(rep.rows[0].count, 1000);
	assert_int_equal(rep.rows[0].cycles, 37000000);
	assert_true(rep.rows[0].per_second == 500.0);
	assert_false(kes_minmax_known(&rep, &rep.rows[0]));	/* not known per interval */
	assert_int_equal(rep.total.count, 1000);
	kes_report_free(&rep);
	/* the other way round: the statistics went back (a reset) */
	assert_int_equal(kes_report_make(&rep, &before, &vm_stats, 2.0, false, KES_SORT_COUNT), -1);
	free(before.rows);
}

static void report_for(struct kes_report *rep, bool all, const char *vm)
{
	assert_int_equal(kes_report_make(rep, &vm_stats, NULL, 0, all, KES_SORT_COUNT), 0);
	rep->who = (struct kes_scope){ vm ? "vm" : "system", vm, NULL, NULL, NULL, NULL };
	rep->timestamp = 1795302391.5;
}

/* A report of @text (a whole exit_stats file), as of report_for(). */
static void report_of_text(struct kes_report *rep, struct kes_stats *st, const char *text,
			   bool all)
{
	char err[200];

	if (kes_stats_parse(text, strlen(text), st, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(kes_report_make(rep, st, NULL, 0, all, KES_SORT_COUNT), 0);
	rep->who = (struct kes_scope){ "system", NULL, NULL, NULL, NULL, NULL };
	rep->timestamp = 1795302391.5;
}

/* Every line of @out is at most @max columns (all ASCII here). */
static void assert_width(const char *out, size_t max)
{
	const char *l = out;

	while (*l) {
		size_t n = strcspn(l, "\n");

		if (n > max)
			fail_msg("%zu columns, more than %zu: %.*s", n, max, (int)n, l);
		l += n + (l[n] == '\n');
	}
}

static void format_table(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, NULL);
	out = capture(kes_format_table.report, NULL, &rep);
	assert_string_equal(out,
		"# system-wide, isa svm, TSC 2596.119 MHz; times in us\n"
		"    REASON  NAME                             EXITS  EXITS%   TIME%    AVG_us    MIN_us     MAX_us\n"
		"     0x072  cpuid                            10000  62.90%  71.26%     14.40     10.53    1130.79\n"
		"     0x07b  io                                4004  25.18%  10.68%      5.39      3.49     275.04\n"
		"     0x07c  msr                               1410   8.87%  12.01%     17.21     11.26    1380.88\n"
		"     0x064  vintr                              200   1.26%   0.37%      3.77      2.22     167.15\n"
		"     0x078  hlt                                200   1.26%   1.54%     15.55     12.21     201.85\n"
		"     0x060  interrupt                           52   0.33%   2.12%     82.23     36.50     151.14\n"
		"     0x400  npf                                 33   0.21%   2.02%    123.84     13.38    1399.10\n"
		"            TOTAL                            15899 100.00% 100.00%     12.71      2.22    1399.10\n");
	assert_width(out, 100);
	kes_report_free(&rep);
	/* every reason (the longest SVM names, the widest codes) still fits */
	report_for(&rep, true, NULL);
	out = capture(kes_format_table.report, NULL, &rep);
	assert_non_null(strstr(out, "     0x402  avic_unaccelerated_access            0   0.00%   0.00%         -         -          -\n"));
	assert_non_null(strstr(out, "0xffffffff  invalid_guest_state"));
	assert_width(out, 100);
	kes_report_free(&rep);
}

static void format_table_wide(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, "123-4");
	rep.who.scope = "vm";
	rep.who.guest = "web1";
	out = capture_wide(&rep);
	assert_non_null(strstr(out, "# VM 123-4 (guest web1), isa svm, TSC 2596.119 MHz; times in us, cycles are TSC cycles\n"));
	assert_non_null(strstr(out, "     0x072  cpuid                            10000  62.90%        373855638  71.26%"
				    "      37386      27326      2935660     14.40     10.53    1130.79\n"));
	assert_non_null(strstr(out, "            TOTAL                            15899 100.00%        524647890 100.00%"
				    "      32999       5772      3632226     12.71      2.22    1399.10\n"));
	kes_report_free(&rep);
}

/*
 * A file with the time split: exit-to-entry and its parts in the wide
 * table, in the machine formats and in Prometheus; averages per exit timed.
 */
static void format_time_split(void **state)
{
	struct kes_report rep;
	struct kes_stats st;
	char *out;

	(void)state;
	report_of_text(&rep, &st, "# isa=svm tsc_khz=1000000\n"
		       "114 cpuid 3 3000 900 1200 3 3000 1200 0 0 0\n"
		       "123 io 3 1000 500 500 2 9001000 5000500 9000000 0 0\n"
		       "- TOTAL 6 4000 500 1200 5 9004000 5000500 9000000 0 0\n", false);
	assert_true(rep.split);
	out = capture_wide(&rep);
	assert_non_null(strstr(out, "    E2E_us  USER% BLOCK% PREEM%\n"));
	assert_non_null(strstr(out, "     0x07b  io                                   3  50.00%             1000  25.00%"
				    "        500        500          500      0.50      0.50       0.50"
				    "    4500.50  100.0    0.0    0.0\n"));
	out = capture(NULL, print_json, &rep);
	assert_non_null(strstr(out, "\"name\":\"io\",\"count\":3,"));
	assert_non_null(strstr(out, "\"avg_cycles\":500.0,"));
	assert_non_null(strstr(out, "\"timed\":2,\"e2e_cycles\":9001000,\"avg_e2e_cycles\":4500500.0,"
				    "\"max_e2e_cycles\":5000500,\"user_cycles\":9000000,\"blocked_cycles\":0,"
				    "\"preempted_cycles\":0,\"avg_e2e_us\":4500.500,\"since_reset\":3}"));
	out = capture(NULL, print_prom, &rep);
	assert_non_null(strstr(out, "\nkvm_exit_user_cycles_total{isa=\"svm\",reason=\"123\",name=\"io\"} 9000000\n"));
	assert_non_null(strstr(out, "\nkvm_exit_to_entry_cycles_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 3000\n"));
	assert_non_null(strstr(out, "\nkvm_exits_timed_total{isa=\"svm\",reason=\"123\",name=\"io\"} 2\n"));
	kes_report_free(&rep);
	kes_stats_free(&st);
}

/* VMX reasons are decimal, as Intel's manual writes them. */
static void format_table_vmx_decimal(void **state)
{
	struct kes_report rep;
	struct kes_stats st;
	char *out;

	(void)state;
	report_of_text(&rep, &st, "# isa=vmx tsc_khz=2000000\n10 CPUID 3 3000 900 1200\n"
		       "48 EPT_VIOLATION 1 5000 5000 5000\n- TOTAL 4 8000 900 5000\n", false);
	out = capture(kes_format_table.report, NULL, &rep);
	assert_non_null(strstr(out, "\n        10  CPUID                                3  75.00%  37.50%      0.50      0.45       0.60\n"));
	assert_non_null(strstr(out, "\n        48  EPT_VIOLATION                        1  25.00%  62.50%      2.50      2.50       2.50\n"));
	kes_report_free(&rep);
	kes_stats_free(&st);
}

/* The unlisted exits are a row: the rows add up to TOTAL. */
static void report_unlisted_row(void **state)
{
	struct kes_report rep;
	struct kes_stats st;
	uint64_t sum = 0;
	size_t i;
	char *out;

	(void)state;
	report_of_text(&rep, &st, "# isa=vmx tsc_khz=2000000\n10 CPUID 3 3000 900 1200\n"
		       "# unlisted unknown reasons (counted in TOTAL): count=2 cycles=70\n"
		       "- TOTAL 5 3070 30 1200\n", false);
	assert_int_equal(rep.n, 2);
	for (i = 0; i < rep.n; i++)
		sum += rep.rows[i].count;
	assert_int_equal(sum, rep.total.count);
	assert_int_equal(rep.rows[1].kind, KES_ROW_UNLISTED);
	out = capture(kes_format_table.report, NULL, &rep);
	/* 2 of 5 exits, 70 of 3070 cycles, 35 cycles at 2 GHz; no min or max of its own */
	assert_non_null(strstr(out, "\n            unlisted                             2  40.00%   2.28%      0.02         -          -\n"));
	assert_non_null(strstr(out, "# unlisted: exits of reasons the kernel had no row left for (counted in TOTAL)\n"));
	out = capture(NULL, print_json, &rep);
	assert_non_null(strstr(out, "{\"row\":\"unlisted\",\"reason\":null,\"name\":\"unlisted\",\"count\":2,"));
	out = capture(NULL, print_prom, &rep);
	assert_non_null(strstr(out, "\nkvm_exits_total{isa=\"vmx\",reason=\"unlisted\",name=\"unlisted\"} 2\n"));
	kes_report_free(&rep);
	kes_stats_free(&st);
}

/* tsc_khz=0: no times anywhere, rather than zeros. */
static void format_tsc_unknown(void **state)
{
	struct kes_report rep;
	struct kes_stats st;
	char *out;

	(void)state;
	report_of_text(&rep, &st, "# isa=vmx tsc_khz=0\n10 CPUID 3 3000 900 1200\n"
		       "- TOTAL 3 3000 900 1200\n", false);
	out = capture(kes_format_table.report, NULL, &rep);
	assert_non_null(strstr(out, "TSC frequency unknown (tsc_khz=0): no times; -w shows the cycles\n"));
	assert_non_null(strstr(out, "        10  CPUID                                3 100.00% 100.00%         -         -          -\n"));
	out = capture(NULL, print_json, &rep);
	assert_non_null(strstr(out, "\"time_s\":null,\"avg_us\":null,\"min_us\":null,\"max_us\":null,"
				    "\"timed\":3,\"e2e_cycles\":null,\"avg_e2e_cycles\":null,"
				    "\"max_e2e_cycles\":null,\"user_cycles\":null,\"blocked_cycles\":null,"
				    "\"preempted_cycles\":null,\"avg_e2e_us\":null,\"since_reset\":3}"));
	assert_non_null(strstr(out, "\"avg_cycles\":1000.0,\"min_cycles\":900,\"max_cycles\":1200,"));
	out = capture(NULL, print_prom, &rep);
	assert_null(strstr(out, "_seconds_total"));
	assert_non_null(strstr(out, "\nkvm_exit_handling_cycles_total{isa=\"vmx\",reason=\"10\",name=\"CPUID\"} 3000\n"));
	kes_report_free(&rep);
	kes_stats_free(&st);
}

static void format_csv(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, "123-4");
	rep.who.scope = "vm";
	out = capture(kes_format_csv.report, NULL, &rep);
	assert_non_null(strstr(out, "timestamp,interval_s,scope,vm,vcpu,guest,file,before_file,isa,tsc_khz,row,reason,"
				    "name,count,count_pct,count_per_s,cycles,time_pct,avg_cycles,min_cycles,"
				    "max_cycles,time_s,avg_us,min_us,max_us,timed,e2e_cycles,avg_e2e_cycles,"
				    "max_e2e_cycles,user_cycles,blocked_cycles,preempted_cycles,avg_e2e_us,since_reset\n"));
	assert_non_null(strstr(out, "\n1795302391.500,,vm,123-4,,,,,svm,2596119,reason,114,cpuid,10000,62.8970,,"
				    "373855638,71.2584,37385.6,27326,2935660,0.144005586,14.401,10.526,1130.788,"
				    "10000,,,,,,,,10000\n"));
	assert_non_null(strstr(out, "\n1795302391.500,,vm,123-4,,,,,svm,2596119,total,,TOTAL,15899,100.0000,,"));
	kes_report_free(&rep);
}

static void format_json(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, NULL);
	out = capture(NULL, print_json, &rep);
	assert_non_null(strstr(out, "{\"event\":\"report\",\"timestamp\":1795302391.500,\"interval_s\":null,"
				    "\"scope\":\"system\",\"vm\":null,\"vcpu\":null,\"guest\":null,\"file\":null,"
				    "\"before_file\":null,\"isa\":\"svm\",\"tsc_khz\":2596119,\"reasons\":["
				    "{\"row\":\"reason\",\"reason\":114,\"name\":\"cpuid\",\"count\":10000,"
				    "\"count_pct\":62.8970,\"count_per_s\":null,\"cycles\":373855638,"
				    "\"time_pct\":71.2584,\"avg_cycles\":37385.6,\"min_cycles\":27326,"
				    "\"max_cycles\":2935660,\"time_s\":0.144005586,\"avg_us\":14.401,"
				    "\"min_us\":10.526,\"max_us\":1130.788,\"timed\":10000,\"e2e_cycles\":null,"
				    "\"avg_e2e_cycles\":null,\"max_e2e_cycles\":null,\"user_cycles\":null,"
				    "\"blocked_cycles\":null,\"preempted_cycles\":null,\"avg_e2e_us\":null,"
				    "\"since_reset\":10000},"));
	assert_non_null(strstr(out, "],\"total\":{\"row\":\"total\",\"reason\":null,\"name\":\"TOTAL\",\"count\":15899,"));
	assert_int_equal(out[strlen(out) - 2], '}');
	kes_report_free(&rep);
}

static void format_prometheus(void **state)
{
	struct kes_report rep[2];
	char *out;

	(void)state;
	report_for(&rep[0], true, NULL);
	report_for(&rep[1], false, "123-4");
	rep[1].who.scope = "vm";
	rep[1].who.guest = "web1";
	out = capture_prom(rep, 2);
	assert_non_null(strstr(out, "# TYPE kvm_exits_total counter\n"));
	assert_non_null(strstr(out, "\nkvm_exits_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000\n"));
	assert_non_null(strstr(out, "\nkvm_exits_total{isa=\"svm\",reason=\"0\",name=\"read_cr0\"} 0\n"));
	assert_non_null(strstr(out, "\nkvm_exits_total{isa=\"svm\",reason=\"unlisted\",name=\"unlisted\"} 0\n"));
	/* 373855638 cycles at 2596.119 MHz */
	assert_non_null(strstr(out, "\nkvm_exit_handling_seconds_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 0.144005586\n"));
	assert_non_null(strstr(out, "\nkvm_exit_handling_cycles_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 373855638\n"));
	assert_non_null(strstr(out, "\nkvm_exit_stats_tsc_hertz{isa=\"svm\"} 2596119000\n"));
	/* the VM's own families, with its labels, only its reasons with exits */
	assert_non_null(strstr(out, "# TYPE kvm_vm_exits_total counter\n"));
	assert_non_null(strstr(out, "\nkvm_vm_exits_total{vm=\"123-4\",guest=\"web1\",isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000\n"));
	assert_null(strstr(out, "kvm_vm_exits_total{vm=\"123-4\",guest=\"web1\",isa=\"svm\",reason=\"0\","));
	kes_report_free(&rep[0]);
	kes_report_free(&rep[1]);
}

/* Names from outside (reasons, guests, files) cannot break a format. */
static void formats_escape(void **state)
{
	struct kes_report rep;
	struct kes_stats st;
	char *out;

	(void)state;
	report_of_text(&rep, &st, "# isa=vmx tsc_khz=2000000\n10 CPUID 1 10 10 10\n"
		       "- TOTAL 1 10 10 10\n", false);
	rep.rows[0].name = "ev\"il\\,x";	/* (a parsed file has the table's names only) */
	rep.who = (struct kes_scope){ "vm", "1-2", "a\"b\\c,d\ne\x01\xff", NULL, NULL, NULL };
	out = capture(NULL, print_json, &rep);
	assert_non_null(strstr(out, "\"guest\":\"a\\\"b\\\\c,d\\ne\\u0001\xef\xbf\xbd\""));
	assert_non_null(strstr(out, "\"name\":\"ev\\\"il\\\\,x\""));
	out = capture(kes_format_csv.report, NULL, &rep);
	assert_non_null(strstr(out, ",vm,1-2,,\"a\"\"b\\c,d\ne\x01\xef\xbf\xbd\",,,vmx,"));
	assert_non_null(strstr(out, ",reason,10,\"ev\"\"il\\,x\",1,"));
	out = capture_prom(&rep, 1);
	assert_non_null(strstr(out, "\nkvm_vm_exits_total{vm=\"1-2\",guest=\"a\\\"b\\\\c,d\\ne\x01\xef\xbf\xbd\",isa=\"vmx\","
				    "reason=\"10\",name=\"ev\\\"il\\\\,x\"} 1\n"));
	out = capture(kes_format_table.report, NULL, &rep);
	assert_non_null(strstr(out, "# VM 1-2 (guest a\"b\\c,d?e?\xef\xbf\xbd), isa vmx,"));
	kes_report_free(&rep);
	kes_stats_free(&st);
}

/*
 * A reset before the first report: the table still starts with its title
 * and the columns of interval mode (CSV: its header), once.
 */
static void format_reset_first(void **state)
{
	struct kes_report rep;
	FILE *f;
	char *hdr;

	(void)state;
	report_for(&rep, false, NULL);
	f = fmemopen(buf, sizeof(buf), "w");
	kes_format_table.reset(f, &rep, rep.timestamp, true, false);
	kes_format_table.reset(f, &rep, rep.timestamp, false, false);
	fclose(f);
	hdr = "# system-wide, isa svm, TSC 2596.119 MHz; times in us\n"
	      "    REASON  NAME                             EXITS     EXITS/s SINCE_RESET  EXITS%   TIME%    AVG_us\n# ";
	if (strncmp(buf, hdr, strlen(hdr)))
		fail_msg("the table began \"%s\"", buf);
	assert_null(strstr(buf + 1, "# system-wide"));
	assert_non_null(strstr(buf, ": the statistics went back (a reset?): this interval shows the exits "
				    "since the reset\n# "));
	f = fmemopen(buf, sizeof(buf), "w");
	kes_format_table.reset(f, &rep, rep.timestamp, true, true);
	fclose(f);
	assert_non_null(strstr(buf, "cycles are TSC cycles\n    REASON  NAME                             EXITS     EXITS/s SINCE_RESET  EXITS%"
				    "           CYCLES   TIME%        AVG    AVG_us\n# "));
	f = fmemopen(buf, sizeof(buf), "w");
	kes_format_csv.reset(f, &rep, rep.timestamp, true, false);
	fclose(f);
	assert_true(!strncmp(buf, "timestamp,interval_s,", 21));
	kes_report_free(&rep);
}

/* QEMU's -name, as kvm_stat reads it, and QEMU's ",," for a comma. */
static void guest_names(void **state)
{
#define C(s) s, sizeof(s) - 1
	static const struct { const char *cmdline; size_t len; const char *name; } cases[] = {
		{ C("qemu\0-name\0web1\0"), "web1" },
		{ C("qemu\0-name\0guest=web1,debug-threads=on\0"), "web1" },
		{ C("qemu\0-name\0web1,process=qemu-web1\0"), "web1" },
		{ C("qemu\0-name\0debug-threads=on,guest=db\0"), "db" },
		{ C("qemu\0--name\0a,,b\0"), "a,b" },
		{ C("qemu\0-name\0first\0-m\0128\0-name\0second\0"), "second" },
		{ C("qemu\0-name\0process=x\0"), NULL },
		{ C("qemu\0-m\0128\0"), NULL },
		{ C("qemu\0-name\0"), NULL },
		{ C("qemu\0-name\0trunc"), NULL },
		{ C("qemu\0-nameless\0x\0"), NULL },
	};
	char name[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = kes_guest_name(cases[i].cmdline, cases[i].len, name, sizeof(name));

		if (!cases[i].name && r != -1)
			fail_msg("case %zu: found a name, \"%s\"", i, name);
		if (cases[i].name && (r || strcmp(name, cases[i].name)))
			fail_msg("case %zu: \"%s\", expected \"%s\"", i, r ? "(none)" : name,
				 cases[i].name);
	}
	/* a long name is cut to the buffer */
	assert_int_equal(kes_guest_name("q\0-name\0abcdefghijk\0", 21, name, sizeof(name)), 0);
	assert_string_equal(name, "abcdefg");
}

/*
 * A copy of debugfs, procfs and securityfs made of the fixtures, in a
 * temporary folder, and some broken ones beside it.
 */
static char tree[64];

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void write_bytes(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

static void copy_fixture(const char *name, const char *to)
{
	size_t n;
	char *text = read_data("KES_FIXTURES", name, &n);

	write_text(to, text, 0400);
	free(text);
}

/* TREE/REL */
static const char *in_tree(const char *rel)
{
	static char p[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tree, rel);
	return p[i];
}

static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("failed: %s", cmd);
}

static int make_tree(void **state)
{
	static const char *const vms[] = { "123-4", "123-7", "456-3" };
	char p[512];
	size_t i;

	(void)state;
	snprintf(tree, sizeof(tree), "/tmp/kes-host-tool-XXXXXX");
	assert_non_null(mkdtemp(tree));
	chmod(tree, 0755);
	sh("cd %s && mkdir -p debug/kvm proc/123 proc/456 security nokvm/kvm noload isdir/kvm/exit_stats "
	   "eio/kvm old/kvm && ln -s /proc/self/mem eio/kvm/exit_stats", tree);
	copy_fixture("svm-system.txt", in_tree("debug/kvm/exit_stats"));
	write_text(in_tree("debug/kvm/exit_stats_control"), "", 0200);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "debug/kvm/%s", vms[i]);
		mkdir(in_tree(p), 0755);
		snprintf(p, sizeof(p), "debug/kvm/%s/exit_stats", vms[i]);
		copy_fixture("svm-vm.txt", in_tree(p));
		snprintf(p, sizeof(p), "debug/kvm/%s/exit_stats_control", vms[i]);
		write_text(in_tree(p), "", 0200);
	}
	copy_fixture("svm-system-2vms-hist.txt", in_tree("debug/kvm/exit_stats_hist"));
	copy_fixture("svm-system-2vms-hist.txt", in_tree("debug/kvm/123-4/exit_stats_hist"));
	copy_fixture("svm-system.txt", in_tree("old/kvm/exit_stats"));
	write_text(in_tree("proc/123/comm"), "qemu-system-x86\n", 0644);
	write_bytes(in_tree("proc/123/cmdline"), "qemu-system-x86_64\0-name\0guest=web1,debug-threads=on\0", 53);
	write_bytes(in_tree("proc/456/cmdline"), "qemu\0-name\0db,,2\0", 17);
	write_text(in_tree("security/lockdown"), "none integrity [confidentiality]\n", 0444);
	/*
	 * Another user runs a copy: the build folder may be where only root
	 * can reach it (a clone in /root).
	 */
	sh("mkdir -p %s/bin && cp %s %s/bin/kvm-exitstat", tree, getenv("KES_HOST_TOOL"), tree);
	sh("find %s -type d -exec chmod go+rx {} + && chmod 755 %s/bin/kvm-exitstat", tree, tree);
	return 0;
}

static int remove_tree(void **state)
{
	(void)state;
	sh("rm -rf %s", tree);
	return 0;
}

struct run {
	int status;
	char out[65536], err[8192];
};

static struct run r;

/* Runs "ENV kvm-exitstat ARGS" (as @user if not NULL), into r. */
static void run_tool(const char *user, const char *env, const char *args)
{
	char cmd[8192], errfile[96], copy[96];
	FILE *p, *e;
	size_t n;

	snprintf(errfile, sizeof(errfile), "%s/stderr", tree);
	snprintf(copy, sizeof(copy), "%s/bin/kvm-exitstat", tree);
	snprintf(cmd, sizeof(cmd), "%s%s%s %s %s </dev/null %s 2>%s",
		 user ? "runuser -u " : "", user ? user : "", user ? " --" : "", env ? env : "",
		 user ? copy : getenv("KES_HOST_TOOL"), args, errfile);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(r.out, 1, sizeof(r.out) - 1, p);
	r.out[n] = '\0';
	r.status = WEXITSTATUS(pclose(p));
	e = fopen(errfile, "r");
	n = e ? fread(r.err, 1, sizeof(r.err) - 1, e) : 0;
	r.err[n] = '\0';
	if (e)
		fclose(e);
}

/* "kvm-exitstat --debugfs TREE/debug --proc TREE/proc ARGS", maybe as @user, with @env. */
static void tool_env(const char *user, const char *env, const char *fmt, ...)
{
	char args[6000], all[6400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(all, sizeof(all), "--debugfs %s/debug --proc %s/proc %s", tree, tree, args);
	run_tool(user, env, all);
}

#define tool(...) tool_env(NULL, NULL, __VA_ARGS__)

/* "kvm-exitstat ARGS", nothing added. */
static void bare(const char *fmt, ...)
{
	char args[6000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	run_tool(NULL, NULL, args);
}

#define expect(code, part) do {							\
	if (r.status != (code) || !strstr(r.err, (part)))			\
		fail_msg("exit %d, expected %d; stderr \"%s\" should have \"%s\"",	\
			 r.status, (code), r.err, (part));			\
} while (0)

static void cli_default_and_vms(void **state)
{
	(void)state;
	tool("");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# system-wide, isa svm"));
	assert_non_null(strstr(r.out, "     0x072  cpuid                            10000  62.90%"));
	assert_width(r.out, 100);
	tool("--list-vms");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "VM                    PID     FD COMMAND                   EXITS  GUEST\n"
				   "123-4                 123      4 qemu-system-x86           15899  web1\n"
				   "123-7                 123      7 qemu-system-x86           15899  web1\n"
				   "456-3                 456      3 ?                         15899  db,2\n");
	tool("--list-vms --json");
	assert_string_equal(r.out, "[{\"vm\":\"123-4\",\"pid\":123,\"fd\":4,\"comm\":\"qemu-system-x86\",\"guest\":\"web1\",\"exits\":15899},"
				   "{\"vm\":\"123-7\",\"pid\":123,\"fd\":7,\"comm\":\"qemu-system-x86\",\"guest\":\"web1\",\"exits\":15899},"
				   "{\"vm\":\"456-3\",\"pid\":456,\"fd\":3,\"comm\":null,\"guest\":\"db,2\",\"exits\":15899}]\n");
	tool("--list-vms --csv");
	assert_string_equal(r.out, "vm,pid,fd,comm,guest,exits\n"
				   "123-4,123,4,qemu-system-x86,web1,15899\n"
				   "123-7,123,7,qemu-system-x86,web1,15899\n"
				   "456-3,456,3,,\"db,2\",15899\n");
	tool("-p 456 --csv");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, ",vm,456-3,,\"db,2\",,,svm,2596119,reason,114,cpuid,10000,"));
	tool("--vm 123-7");
	assert_non_null(strstr(r.out, "# VM 123-7 (guest web1), isa svm"));
	tool("-g db,2");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# VM 456-3 (guest db,2), isa svm"));
	tool("-g web1");
	expect(2, "-g web1 matches 2 VMs: say which with --vm PID-FD");
	tool("-g nosuch");
	expect(7, "no VM is named \"nosuch\"");
	tool("-p 123");
	expect(2, "-p 123 matches 2 VMs: say which with --vm PID-FD");
	tool("-p 999");
	expect(7, "no VM of process 999: see kvm-exitstat --list-vms");
	tool("--vm 999-1");
	expect(7, "no VM 999-1");
	tool("-p 12x");
	expect(2, "-p takes one process id, not \"12x\"");
	/* what "-p $(pidof qemu-system-x86_64)" gives with two QEMUs */
	tool("-p 123 456");
	expect(2, "unexpected argument \"456\" (-p takes process ids separated by commas: -p 123,456)");
}

/*
 * PID-FD is two numbers as KVM writes them: anything else, on the command
 * line or in debugfs, is not a VM (and a number never wraps around).
 */
static void cli_vm_ids_strict(void **state)
{
	static const char *const bad[] = { "'100- 12'", "123-+4", "' 123-4'", "123-4x", "0123-4",
					   "4294967419-4", "99999999999999999999-4", "0-4",
					   "123--4", "123-" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tool("--vm %s", bad[i]);
		if (r.status != 2 || !strstr(r.err, "--vm takes PID-FD, as --list-vms shows"))
			fail_msg("--vm %s: exit %d, \"%s\"", bad[i], r.status, r.err);
	}
	/* folders that are not KVM's are not VMs: not listed, not twice */
	sh("cd %s/debug/kvm && mkdir '123- 5' 123-+9 0456-3 4294967419-4 99999999999999999999-1",
	   tree);
	tool("--list-vms");
	sh("cd %s/debug/kvm && rmdir '123- 5' 123-+9 0456-3 4294967419-4 99999999999999999999-1",
	   tree);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "VM                    PID     FD COMMAND                   EXITS  GUEST\n"
				   "123-4                 123      4 qemu-system-x86           15899  web1\n"
				   "123-7                 123      7 qemu-system-x86           15899  web1\n"
				   "456-3                 456      3 ?                         15899  db,2\n");
}

/* Options that do not go together are refused, each with a message. */
static void cli_conflicts(void **state)
{
	static const struct { const char *args, *err; } bad[] = {
		{ "--csv --json", "--csv and --json do not go together: give one" },
		{ "--json --prometheus", "--json and --prometheus do not go together" },
		{ "-w --csv", "-w and --csv do not go together" },
		{ "-p 123 --vm 123-4", "-p and --vm do not go together: give one" },
		{ "-g web1 -p 456", "-p and -g do not go together" },
		{ "--list-vms -i 1", "--list-vms does not go with -i" },
		{ "--list-vms -a", "--list-vms does not go with -a" },
		{ "--list-vms --prometheus", "--list-vms does not go with --prometheus" },
		{ "--list-vms -p 456", "--list-vms does not go with -p" },
		{ "--reset --dump", "--reset does not go with --dump" },
		{ "--reset -p 456", "--reset zeroes every scope, system-wide and every VM's: it takes no -p" },
		{ "--dump -i 1", "--dump does not go with -i" },
		{ "--guest-access vm", "--guest-access is set per VM: say which with -p PID, --vm PID-FD or -g NAME" },
		{ "--guest-access all -p 456", "--guest-access takes off, vm, vm,user, system or system,user, not \"all\"" },
		{ "--guest-access vm -p 456 --reset", "--reset zeroes every scope" },
		{ "-f x -p 456", "-f does not go with -p" },
		{ "-f x -i 1", "-f does not go with -i" },
		{ "-f x -f y -f z", "-f takes one file, or two to compare, not three" },
		{ "-f - -f -", "-f - reads standard input, which can be read once" },
		{ "-f x -f y --prometheus", "--prometheus exports totals, not the difference of two files" },
		{ "--prometheus -a", "--prometheus exports every reason, unsorted: it takes no -a" },
		{ "--prometheus -s time", "it takes no -s" },
		{ "--json -o x", "-o is for --prometheus" },
		{ "-n 3", "-n needs -i" },
		/* (without -i: the tool as it was would not stop) */
		{ "-n 99999999999999999999999", "--count takes a number from 1 to 9223372036854775807, not \"99999999999999999999999\"" },
		{ "-n 9223372036854775808", "--count takes a number from 1 to" },
		{ "-i 1 -n 0", "--count takes a number from 1 to 9223372036854775807, not \"0\"" },
		{ "-i 0.05", "--interval takes seconds from 0.1 to 86400, not \"0.05\"" },
		{ "--sort size", "--sort takes count, time, avg or name, not \"size\"" },
		{ "--vcpu", "--vcpu shows one VM's vCPUs: say which VM with -p PID, --vm PID-FD or -g NAME" },
		{ "--vcpu=x -p 456", "--vcpu=N takes a vCPU id, 0 or more, not \"x\"" },
		{ "--vcpu=-1 -p 456", "--vcpu=N takes a vCPU id, 0 or more, not \"-1\"" },
		{ "--vcpu -p 456 -i 1", "--vcpu does not go with -i" },
		{ "--vcpu -p 456 --prometheus", "--vcpu does not go with --prometheus" },
		{ "--vcpu -f x", "--vcpu does not go with -f" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bare("%s", bad[i].args);
		if (r.status != 2 || !strstr(r.err, bad[i].err) || !strstr(r.err, "see kvm-exitstat --help"))
			fail_msg("\"%s\": exit %d, \"%s\"; expected 2, \"%s\"", bad[i].args, r.status,
				 r.err, bad[i].err);
		assert_string_equal(r.out, "");
	}
}

/* How often @what is in @text. */
static size_t count_of(const char *text, const char *what)
{
	size_t n = 0;

	while ((text = strstr(text, what))) {
		n++;
		text += strlen(what);
	}
	return n;
}

/* The number that the shell command @cmd prints. */
static size_t number_from(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	unsigned long n = 0;

	assert_non_null(p);
	assert_int_equal(fscanf(p, "%lu", &n), 1);
	pclose(p);
	return n;
}

/*
 * A fleet's budget: a host of 50 VMs, each with 14 reasons (a busy Linux
 * guest has about 12), with histograms, exports at most 2,000 series by
 * default; the count is printed for the record.
 */
static void cli_prometheus_fleet_budget(void **state)
{
	const char *dir = getenv("KES_FIXTURES");
	size_t fleet, all;
	char cmd[256];
	int i;

	(void)state;
	/* system-wide: a file and its histograms, recorded together */
	sh("rm -rf %s/fleet && mkdir -p %s/fleet/kvm && cp %s/svm-system-2vms.txt %s/fleet/kvm/exit_stats && "
	   "cp %s/svm-system-2vms-hist.txt %s/fleet/kvm/exit_stats_hist", tree, tree, dir, tree, dir, tree);
	sh("awk -v n=7 -f %s/../more_reasons.awk %s/svm-system-split.txt > %s/fleet/vm.txt", dir, dir,
	   tree);
	for (i = 0; i < 50; i++)
		sh("mkdir %s/fleet/kvm/%d-12 && cp %s/fleet/vm.txt %s/fleet/kvm/%d-12/exit_stats",
		   tree, 1000 + i, tree, tree, 1000 + i);
	tool("--debugfs %s/fleet --prometheus -o %s/fleet/default.prom", tree, tree);
	assert_int_equal(r.status, 0);
	tool("--debugfs %s/fleet --prometheus --all-series -o %s/fleet/all.prom", tree, tree);
	assert_int_equal(r.status, 0);
	snprintf(cmd, sizeof(cmd), "grep -vc '^#' %s/fleet/default.prom", tree);
	fleet = number_from(cmd);
	snprintf(cmd, sizeof(cmd), "grep -vc '^#' %s/fleet/all.prom", tree);
	all = number_from(cmd);
	snprintf(cmd, sizeof(cmd), "grep -c '^kvm_vm_info{' %s/fleet/default.prom", tree);
	assert_int_equal(number_from(cmd), 50);
	sh("grep -qx 'kvm_vm_info{vm=\"1000-12\",guest=\"\",pid=\"1000\"} 1' %s/fleet/default.prom"
	   " && grep -q '^kvm_exit_to_entry_seconds_bucket{' %s/fleet/default.prom"
	   " && ! grep -q '^kvm_exit_in_kvm_seconds_bucket{' %s/fleet/default.prom"
	   " && ! grep -q '^kvm_vm_exit_handling_cycles_total{' %s/fleet/default.prom"
	   " && grep -q '^kvm_vm_exit_handling_cycles_total{' %s/fleet/all.prom", tree, tree, tree,
	   tree, tree);
	printf("# a host with 50 VMs of 14 reasons each: %zu series (--all-series: %zu)\n", fleet, all);
	if (fleet > 2000)
		fail_msg("%zu series for 50 VMs: more than the budget of 2,000", fleet);
	assert_true(all > fleet);
	sh("rm -rf %s/fleet", tree);
}

static void cli_prometheus(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/kvm.prom", tree);
	tool("--prometheus -o %s", path);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	sh("grep -q '^kvm_exits_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000$' %s"
	   " && ! ls %s/kvm.prom.tmp.* 2>/dev/null", path, tree);
	/* the fleet: every VM's series too, with its vm and guest labels */
	sh("grep -q '^kvm_vm_exits_total{vm=\"123-4\",guest=\"web1\",isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000$' %s"
	   " && grep -q '^kvm_vm_exits_total{vm=\"456-3\",guest=\"db,2\",isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000$' %s"
	   " && [ $(grep -c '^kvm_vm_exits_total{' %s) = 21 ]", path, path, path);
	/* one VM: only its series */
	tool("--prometheus --vm 123-7");
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "\nkvm_exits_total"));
	assert_null(strstr(r.out, "vm=\"123-4\""));
	assert_non_null(strstr(r.out, "\nkvm_vm_exits_total{vm=\"123-7\",guest=\"web1\",isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000\n"));
	/*
	 * A failed write leaves the file as it was, and says so: files of at
	 * most 4096 bytes (ulimit -f 8), for an export of 6 kB.  With one VM,
	 * the export's last buffer is empty by then: fclose() alone does not see
	 * the failure.
	 */
	sh("mkdir -p %s/full/kvm/1-2 && cp %s/debug/kvm/exit_stats %s/full/kvm/ && "
	   "cp %s/debug/kvm/123-4/exit_stats %s/full/kvm/1-2/", tree, tree, tree, tree, tree);
	write_text(path, "old\n", 0644);
	tool_env(NULL, "trap '' XFSZ; ulimit -f 8;", "--debugfs %s/full --prometheus --all-series -o %s",
		 tree, path);
	expect(8, "kvm.prom: File too large; it is left as it was\n");
	sh("[ \"$(cat %s)\" = old ] && ! ls %s/kvm.prom.tmp.* 2>/dev/null", path, tree);
	write_text(path, "old\n", 0644);
	tool_env(NULL, "trap '' XFSZ; ulimit -f 8;", "--prometheus --all-series -o %s", path);
	expect(8, "kvm.prom: File too large; it is left as it was\n");
	sh("[ \"$(cat %s)\" = old ] && ! ls %s/kvm.prom.tmp.* 2>/dev/null", path, tree);
	/* no folder for the export: an output error too, nothing written */
	tool("--prometheus -o %s/nowhere/kvm.prom", tree);
	expect(8, "nowhere/kvm.prom.tmp.");
	expect(8, ": No such file or directory; is its folder there and writable?\n");
	sh("! [ -e %s/nowhere ]", tree);
	/* -n N: N exports, as the table gives N reports */
	tool("--prometheus --vm 123-7 -i 0.1 -n 2");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "# TYPE kvm_vm_exits_total counter\n"), 2);
	tool("--prometheus --vm 123-7 -i 0.1 -n 1");
	assert_int_equal(count_of(r.out, "# TYPE kvm_vm_exits_total counter\n"), 1);
}

/* -f: saved files, one, two (the exits between), or standard input. */
static void cli_files(void **state)
{
	const char *dir = getenv("KES_FIXTURES");
	char *text, *p;
	size_t n;

	(void)state;
	bare("-f %s/svm-vm.txt", dir);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# file "));
	assert_non_null(strstr(r.out, "/svm-vm.txt, isa svm, TSC 2596.119 MHz; times in us\n"));
	assert_non_null(strstr(r.out, "     0x072  cpuid                            10000  62.90%  71.26%     14.40     10.53    1130.79\n"));
	run_tool(NULL, NULL, "-f - --json < /dev/null");
	expect(1, "not an exit_stats file: standard input: empty");
	snprintf(buf, sizeof(buf), "-f - --csv < %s/svm-vm.txt", dir);
	run_tool(NULL, NULL, buf);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, ",file,,,,-,,svm,2596119,reason,114,cpuid,10000,"));

	/* a later file: 500 more CPUID exits, 20,000,000 more cycles */
	text = read_data("KES_FIXTURES", "svm-vm.txt", &n);
	p = strstr(text, "114 cpuid 10000 373855638");
	assert_non_null(p);
	memcpy(p, "114 cpuid 10500 393855638", 25);
	p = strstr(text, "- TOTAL 15899 524647890");
	memcpy(p, "- TOTAL 16399 544647890", 23);
	write_text(in_tree("later.txt"), text, 0644);
	free(text);
	bare("-f %s/svm-vm.txt -f %s", dir, in_tree("later.txt"));
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# from file "));
	/* 20,000,000 cycles / 500 exits = 40,000 cycles = 15.41 us; min and max unknown */
	assert_non_null(strstr(r.out, "     0x072  cpuid                              500 100.00% 100.00%     15.41         -          -\n"));
	assert_non_null(strstr(r.out, "            TOTAL                              500 100.00% 100.00%     15.41         -          -\n"));
	bare("-f %s/svm-vm.txt -f %s --json", dir, in_tree("later.txt"));
	assert_non_null(strstr(r.out, "\"count\":500,\"count_pct\":100.0000,\"count_per_s\":null,\"cycles\":20000000,"
				      "\"time_pct\":100.0000,\"avg_cycles\":40000.0,\"min_cycles\":null,\"max_cycles\":null,"));
	bare("-f %s -f %s/svm-vm.txt", in_tree("later.txt"), dir);
	expect(1, "has fewer exits than");
	assert_non_null(strstr(r.err, "(-f EARLIER -f LATER)"));
	bare("-f %s", in_tree("nosuch.txt"));
	expect(1, "cannot read ");
	bare("-f %s", in_tree("isdir"));
	expect(9, "isdir is a directory, not an exit_stats file\n");
	/* a name's control characters do not reach the terminal */
	bare("-f \"$(printf '%s/no\\033]0;x\\007such')\"", tree);
	expect(1, "/no?]0;x?such: No such file or directory\n");
	assert_null(strchr(r.err, '\033'));
	bare("--debugfs \"$(printf '%s/de\\033[2Jbug')\"", tree);
	expect(5, "/de?[2Jbug does not exist: say where debugfs is mounted with --debugfs DIR");
	assert_null(strchr(r.err, '\033'));
	bare("--sort \"$(printf 'a\\033b')\"");
	expect(2, "--sort takes count, time, avg or name, not \"a?b\"");
	bare("-f %s --prometheus", in_tree("later.txt"));
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\nkvm_exits_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10500\n"));
}

/* --hist: the percentiles of exit_stats_hist (a lab recording), or one reason's histograms. */
static void cli_hist(void **state)
{
	const char *dir = getenv("KES_FIXTURES");

	(void)state;
	tool("--hist");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# system-wide, isa svm, TSC 2596.149 MHz; percentiles as the upper bound of their log2 bucket, in us\n"));
	/* 7,003 CPUIDs: the 3,502nd exit-to-entry in [2^17, 2^18) cycles, below 100.97 us */
	assert_non_null(strstr(r.out, "   0x072  cpuid                          7003     50.49    100.97    403.90   6462.35     50.49"));
	tool("--hist=io --vm 123-4");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# VM 123-4, io (0x07b), 5006 exits timed; TSC 2596.149 MHz\n"));
	assert_non_null(strstr(r.out, "    3231.17 - 6462.35     #                           51                               0\n"));
	tool("--hist=0x7c");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "msr (0x07c), 1261 exits timed"));
	tool("--hist=bogus");
	expect(2, "--hist: svm has no exit reason \"bogus\"");
	tool("--hist=read_cr0");
	expect(1, "--hist: no exits of read_cr0 timed in system-wide");
	tool("--hist -p 456");
	expect(6, "456-3/exit_stats_hist is missing: this kernel keeps no histograms");
	tool("--hist -i 1");
	expect(2, "--hist does not go with -i");
	bare("--hist -f %s/svm-system-2vms-hist.txt -f %s/svm-system-2vms-hist.txt", dir, dir);
	expect(2, "--hist shows one file's histograms: give one -f");
	bare("--hist -f %s/svm-vm.txt", dir);
	expect(1, "not an exit_stats_hist file: ");
	bare("--hist -f %s/vmx-system-hist.txt", dir);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# file, isa vmx, TSC 100.000 MHz"));
}

/* Several VMs named: one report each, in the order named, once or every interval. */
static void cli_several_vms(void **state)
{
	(void)state;
	tool("--vm 456-3,123-4");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# VM 456-3 (guest db,2), isa svm"));
	assert_non_null(strstr(r.out, "# VM 123-4 (guest web1), isa svm"));
	assert_true(strstr(r.out, "# VM 456-3") < strstr(r.out, "# VM 123-4"));
	tool("--vm 123-4 --vm 456-3 --csv");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "scope,vm,"), 1);	/* one header */
	assert_int_equal(count_of(r.out, ",vm,123-4,"), count_of(r.out, ",vm,456-3,"));
	tool("--vm 123-4,456-3 -i 0.1 -n 2");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "# VM 123-4"), 2);
	assert_int_equal(count_of(r.out, "# VM 456-3"), 2);
	assert_non_null(strstr(r.out, "# 2 intervals, "));
	tool("--vm 123-4,999-1");
	expect(7, "no VM 999-1");
	tool("-p 456,");
	expect(2, "-p \"456,\": an empty item");
	tool("-p 456 -p 456 --prometheus");
	expect(2, "--prometheus is for one VM: name one, not several");
	tool("--vm 123-4,456-3 --vcpu");
	expect(2, "--vcpu is for one VM");
}

/* -r and -z: the rows kept, and bad lists refused with exit 2. */
static void cli_reason(void **state)
{
	(void)state;
	tool("-r cpuid,0x7c");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "  cpuid  "));
	assert_non_null(strstr(r.out, "  msr  "));
	assert_null(strstr(r.out, "  io  "));
	assert_non_null(strstr(r.out, "TOTAL"));
	tool("-r 'i*' -r hlt");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "  io  "));
	assert_non_null(strstr(r.out, "  hlt  "));
	assert_null(strstr(r.out, "  cpuid  "));
	tool("-r bogus");
	expect(2, "--reason: neither vmx nor svm has an exit reason named \"bogus\"");
	tool("-r cpuid,,io");
	expect(2, "has an empty item");
	tool("-r cpuid --prometheus");
	expect(2, "--prometheus exports every reason, unsorted: it takes no -r");
	tool("-a -z -r 'read_cr*'");
	assert_int_equal(r.status, 0);
	assert_null(strstr(r.out, "read_cr0"));	/* no exits: -z wins over -a */
	tool("-a -r 'read_cr*'");
	assert_non_null(strstr(r.out, "read_cr0"));
}

/* --reset, --dump and --guest-access write their word to the control files. */
static void cli_controls(void **state)
{
	size_t n;
	char *text;

	(void)state;
	setenv("KES_TREE", tree, 1);
	tool("--reset");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "reset: the system-wide statistics and every VM's are zero\n");
	text = read_data("KES_TREE", "debug/kvm/exit_stats_control", &n);
	assert_string_equal(text, "reset");
	free(text);
	tool("--dump -g db,2");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "dumped to the kernel log: VM 456-3\n");
	text = read_data("KES_TREE", "debug/kvm/456-3/exit_stats_control", &n);
	assert_string_equal(text, "dump");
	free(text);
	tool("--guest-access vm,user --vm 123-7");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "VM 123-7: its guest may read its own statistics through CPUID "
				   "(in its kernel and its user space)\n");
	text = read_data("KES_TREE", "debug/kvm/123-7/exit_stats_control", &n);
	assert_string_equal(text, "cpuid=vm,user");
	free(text);
	tool("--guest-access off --vm 123-4");
	assert_int_equal(r.status, 0);
	text = read_data("KES_TREE", "debug/kvm/123-4/exit_stats_control", &n);
	assert_string_equal(text, "cpuid=off");
	free(text);
	/* the statistics files themselves are never written */
	text = read_data("KES_TREE", "debug/kvm/exit_stats", &n);
	assert_non_null(strstr(text, "- TOTAL 15899 "));
	free(text);
	/* a kernel with the older change: no control files */
	tool("--reset --debugfs %s", in_tree("old"));
	expect(6, "exit_stats_control is missing: this kernel's exit statistics are an older version");
	tool("--dump --vm 999-1");
	expect(7, "no VM 999-1");
}

/* Each way of failing has its message and its exit code (kvm-exitstat --help). */
static void cli_exit_codes(void **state)
{
	char env[1024], want[1024];

	(void)state;
	/* 1: a malformed file, with the line */
	write_text(in_tree("debug/kvm/456-3/exit_stats"), "# isa=svm tsc_khz=1\n114 cpuid 1 1 1 1\n", 0400);
	tool("-p 456");
	expect(1, "not an exit_stats file: ");
	assert_non_null(strstr(r.err, "/456-3/exit_stats: line 3: the TOTAL row is missing: the file is truncated\n"));
	copy_fixture("svm-vm.txt", in_tree("debug/kvm/456-3/exit_stats"));
	tool("");	/* as root: fine */
	assert_int_equal(r.status, 0);
	/* 3: not root */
	tool_env("nobody", NULL, "");
	expect(3, "permission denied:");
	assert_non_null(strstr(r.err, "run kvm-exitstat as root"));
	tool_env("nobody", NULL, "--reset");
	expect(3, "exit_stats_control is for root only");
	/* 4: lockdown: debugfs refuses the file (the shim stands in for it) */
	snprintf(env, sizeof(env), "ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=%s "
		 "KES_SHIM_EPERM=%s", getenv("KES_SHIM"), in_tree("debug/kvm/exit_stats_control"));
	/* no lockdown file to say which mode: said so (and no mode made up) */
	tool_env(NULL, env, "--reset --securityfs %s", in_tree("nosecurity"));
	expect(4, "cannot write ");
	snprintf(want, sizeof(want), "exit_stats_control: the kernel is most likely in lockdown "
		 "(%s/lockdown, which would say, cannot be read), and debugfs refuses every file "
		 "that can be written there; reading the statistics still works", in_tree("nosecurity"));
	assert_non_null(strstr(r.err, want));
	tool_env(NULL, env, "--reset --securityfs %s", in_tree("security"));
	expect(4, "the kernel is in lockdown (confidentiality), and debugfs");
	tool_env(NULL, env, "");	/* reading is not refused */
	assert_int_equal(r.status, 0);
	snprintf(env, sizeof(env), "ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=%s "
		 "KES_SHIM_EPERM=%s", getenv("KES_SHIM"), in_tree("debug/kvm/exit_stats"));
	tool_env(NULL, env, "--securityfs %s", in_tree("security"));
	expect(4, "cannot read ");
	assert_non_null(strstr(r.err, "the kernel is in lockdown (confidentiality), and debugfs refuses files that can "
				      "be written there: this kernel's exit_stats is writable, an older version"));
	/* EPERM while not in lockdown is another refusal: 3 */
	write_text(in_tree("security/lockdown"), "[none] integrity confidentiality\n", 0444);
	tool_env(NULL, env, "--securityfs %s", in_tree("security"));
	expect(3, "operation not permitted, though the kernel is not in lockdown");
	write_text(in_tree("security/lockdown"), "none integrity [confidentiality]\n", 0444);
	/* 5: debugfs not mounted (a folder, but no debugfs) */
	bare("--debugfs %s", in_tree("noload"));
	expect(5, "debugfs is not mounted at ");
	assert_non_null(strstr(r.err, "mount it with: mount -t debugfs none "));
	bare("--list-vms --debugfs %s", in_tree("noload"));
	expect(5, "debugfs is not mounted at ");
	/* 6: debugfs mounted (so the shim says), but no kvm folder: KVM not loaded */
	snprintf(env, sizeof(env), "ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=%s "
		 "KES_SHIM_DEBUGFS=%s", getenv("KES_SHIM"), in_tree("noload"));
	tool_env(NULL, env, "--debugfs %s", in_tree("noload"));
	expect(6, "KVM is not loaded: debugfs has no ");
	assert_non_null(strstr(r.err, "(modprobe kvm_intel or kvm_amd)"));
	/* 6: KVM, but no exit statistics */
	bare("--debugfs %s", in_tree("nokvm"));
	expect(6, "this kernel has no per-exit-reason statistics");
	assert_non_null(strstr(r.err, "CONFIG_KVM_EXIT_STATS=y"));
	/* 7: no such VM: see cli_default_and_vms and cli_ctrl_c_and_vm_gone */
	/* 8: an I/O error (a read of /proc/self/mem at 0 fails with EIO) */
	bare("--debugfs %s", in_tree("eio"));
	expect(8, "Input/output error (an I/O error)");
	/* 8: every output that cannot be written, --list-vms's too */
	tool("--list-vms >/dev/full");
	expect(8, "cannot write the output: No space left on device");
	tool("--list-vms --json >/dev/full");
	expect(8, "cannot write the output: No space left on device");
	tool("-p 456 >/dev/full");
	expect(8, "cannot write the output: No space left on device");
	/* 9: a directory where the file should be */
	bare("--debugfs %s", in_tree("isdir"));
	expect(9, "exit_stats is a directory, not an exit_stats file: is --debugfs right?");
	/* --help lists them all */
	bare("--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Exit status: 0 success; 1 a malformed file, or another failure; 2 bad usage;\n"
				      "3 permission denied (run as root), or --guest-access beyond what the host's\n"
				      "kvm.exit_stats_cpuid allows; 4 the kernel is in lockdown; 5 debugfs is not\n"
				      "mounted; 6 no exit statistics in this kernel, or KVM is not loaded; 7 no such\n"
				      "VM; 8 an I/O error; 9 a directory where a file was expected.\n"));
}

/*
 * A --guest-access beyond the host's cap kvm.exit_stats_cpuid (the kernel
 * says EPERM to the write; the shim stands in for it): the cap is named,
 * with how to raise it, unless the kernel is in lockdown.
 */
static void cli_guest_access_cap(void **state)
{
	char env[1024], want[1024];
	const char *cap = in_tree("sys/module/kvm/parameters/exit_stats_cpuid");

	(void)state;
	sh("mkdir -p %s/sys/module/kvm/parameters %s/security-none", tree, tree);
	write_text(in_tree("security-none/lockdown"), "[none] integrity confidentiality\n", 0444);
	write_text(cap, "off\n", 0644);
	snprintf(env, sizeof(env), "ASAN_OPTIONS=verify_asan_link_order=0 LD_PRELOAD=%s "
		 "KES_SHIM_EPERM_WRITE=%s", getenv("KES_SHIM"),
		 in_tree("debug/kvm/123-4/exit_stats_control"));
	tool_env(NULL, env, "--guest-access vm --vm 123-4 --sysfs %s/sys --securityfs %s/nosecurity",
		 tree, tree);
	snprintf(want, sizeof(want), "kvm-exitstat: cannot set --guest-access vm for VM 123-4: the host "
		 "allows at most 'off' (kvm.exit_stats_cpuid); raise it: echo vm > %s\n", cap);
	expect(3, want);
	assert_null(strstr(r.err, "lockdown"));
	assert_string_equal(r.out, "");
	write_text(cap, "vm\n", 0644);
	tool_env(NULL, env, "--guest-access system,user --vm 123-4 --sysfs %s/sys --securityfs %s/security-none",
		 tree, tree);
	snprintf(want, sizeof(want), "cannot set --guest-access system,user for VM 123-4: the host "
		 "allows at most 'vm' (kvm.exit_stats_cpuid); raise it: echo system > %s\n", cap);
	expect(3, want);
	/* the cap cannot be read */
	tool_env(NULL, env, "--guest-access vm --vm 123-4 --sysfs %s/nosys --securityfs %s/nosecurity",
		 tree, tree);
	snprintf(want, sizeof(want), "cannot set --guest-access vm for VM 123-4: the host allows less "
		 "(kvm.exit_stats_cpuid, which %s/nosys/module/kvm/parameters/exit_stats_cpuid would say, "
		 "cannot be read); raise it: echo vm > %s/nosys/module/kvm/parameters/exit_stats_cpuid\n",
		 tree, tree);
	expect(3, want);
	/* in lockdown: that is the reason */
	tool_env(NULL, env, "--guest-access vm --vm 123-4 --sysfs %s/sys --securityfs %s/security",
		 tree, tree);
	expect(4, "the kernel is in lockdown (confidentiality), and debugfs refuses every file");
}

static void cli_interval(void **state)
{
	(void)state;
	tool("-i 0.1 -n 3");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "EXITS/s"));
	assert_non_null(strstr(r.out, "# 3 intervals, "));
	assert_non_null(strstr(r.out, " s: 0 exits, 0.0 exits/s, 0 cycles\n"));
	assert_width(r.out, 100);
	tool("-i 0.1 -n 2 --json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"interval_s\":0.1"));
	assert_non_null(strstr(r.out, "\"min_cycles\":null,\"max_cycles\":null,"));
	assert_non_null(strstr(r.err, "# 2 intervals,"));
}

/* Starts the tool in the background; returns its pid, output in TREE/bg.out. */
static pid_t start(const char *args)
{
	char cmd[1024];
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		snprintf(cmd, sizeof(cmd), "exec %s --debugfs %s/debug --proc %s/proc %s >%s/bg.out 2>%s/bg.err",
			 getenv("KES_HOST_TOOL"), tree, tree, args, tree, tree);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void sleep_s(double s)
{
	struct timespec t = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&t, NULL);
}

static char *bg_file(const char *name)
{
	static char text[65536];
	size_t n;
	char *t;

	t = read_data("KES_TREE", name, &n);
	snprintf(text, sizeof(text), "%s", t);
	free(t);
	return text;
}

static void cli_ctrl_c_and_vm_gone(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	setenv("KES_TREE", tree, 1);
	pid = start("-i 0.2");
	sleep_s(0.7);
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(bg_file("bg.out"), " intervals, "));

	pid = start("--vm 456-3 -i 0.1");
	sleep_s(0.35);
	sh("rm -rf %s/debug/kvm/456-3", tree);
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 7);
	assert_non_null(strstr(bg_file("bg.err"), "no VM 456-3: it has gone away"));
	assert_non_null(strstr(bg_file("bg.out"), " intervals, "));	/* the summary still */
}

/* @text with the line that starts with @start replaced by @line. */
static char *replace_line(char *text, const char *start, const char *line)
{
	char *p = strstr(text, start), *out;
	size_t n;

	assert_non_null(p);
	n = strcspn(p, "\n");
	out = malloc(strlen(text) + strlen(line) + 1);
	assert_non_null(out);
	sprintf(out, "%.*s%s%s", (int)(p - text), text, line, p + n);
	free(text);
	return out;
}

/* Replaces the system-wide file with the fixture's, CPUID and TOTAL changed. */
static void system_file_with(const char *cpuid_row, const char *total_row)
{
	char tmp[160];
	size_t n;
	char *text;

	text = read_data("KES_FIXTURES", "svm-system.txt", &n);
	text = replace_line(text, "114 cpuid ", cpuid_row);
	text = replace_line(text, "- TOTAL ", total_row);
	snprintf(tmp, sizeof(tmp), "%s/new", tree);
	write_text(tmp, text, 0400);
	free(text);
	assert_int_equal(rename(tmp, in_tree("debug/kvm/exit_stats")), 0);
}

/*
 * "kvm-exitstat ARGS" watching the statistics from the fixture, 5000 more
 * CPUID exits written 0.3 s in (cpuid 10000 -> 15000, TOTAL 15899 -> 20899):
 * its standard output, once it ended with status 0.
 */
static char *watch_5000_more(const char *args)
{
	pid_t pid;
	int status;

	pid = start(args);
	sleep_s(0.3);
	system_file_with("114 cpuid 15000 473855638 27326 2935660", "- TOTAL 20899 624647890 5772 3632226");
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	return bg_file("bg.out");
}

/* The interval deltas are the change of the file, and add up to it. */
static void cli_interval_deltas(void **state)
{
	char *text, *line;

	(void)state;
	text = watch_5000_more("-i 0.6 -n 2 --csv");
	line = strstr(text, ",system,,,,,,svm,2596119,reason,114,cpuid,5000,100.0000,");
	assert_non_null(line);
	/* the last column, since_reset: the later reading's own count */
	assert_memory_equal(strchr(line, '\n') - 6, ",15000", 6);
	assert_non_null(strstr(text, ",system,,,,,,svm,2596119,total,,TOTAL,5000,"));
	assert_non_null(strstr(text, ",system,,,,,,svm,2596119,total,,TOTAL,0,"));
	assert_non_null(strstr(bg_file("bg.err"), " s: 5000 exits, "));
	copy_fixture("svm-system.txt", in_tree("debug/kvm/exit_stats"));
}

/* The table of an interval has each reason's exits since boot or reset beside it. */
static void cli_interval_since_reset(void **state)
{
	char *text;

	(void)state;
	text = watch_5000_more("-i 0.6 -n 1");
	assert_non_null(strstr(text, "EXITS/s SINCE_RESET"));
	assert_non_null(strstr(text, "  5000 "));
	assert_non_null(strstr(text, "       15000 "));
	assert_non_null(strstr(text, "       20899 "));
	copy_fixture("svm-system.txt", in_tree("debug/kvm/exit_stats"));
}

/*
 * "kvm-exitstat ARGS" watching the statistics from the fixture, reset a
 * quarter second in (3 CPUID exits since): its standard output, once it
 * ended with status 0.
 */
static char *watch_a_reset(const char *args)
{
	pid_t pid;
	int status;

	copy_fixture("svm-system.txt", in_tree("debug/kvm/exit_stats"));
	pid = start(args);
	sleep_s(0.25);
	system_file_with("114 cpuid 3 123456 1 9999", "- TOTAL 5902 150915708 1 3632226");
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	return bg_file("bg.out");
}

/*
 * A reset while watching: the interval is marked and shows the exits since
 * the reset, the next one counts from that reading, and the tool goes on
 * to the end.
 */
static void cli_interval_reset(void **state)
{
	pid_t pid;
	int status;
	char *text, *mark, *after;

	(void)state;
	pid = start("-i 0.5 -n 3");
	sleep_s(0.25);
	/* a reset, then 3 CPUID exits: 10000 -> 3 */
	system_file_with("114 cpuid 3 123456 1 9999", "- TOTAL 5902 150915708 1 3632226");
	sleep_s(0.5);
	/* 7 more */
	system_file_with("114 cpuid 10 1234567 1 999", "- TOTAL 5909 152026819 1 3632226");
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	text = bg_file("bg.out");
	mark = strstr(text, ": the statistics went back (a reset?): this interval shows the exits "
		      "since the reset\n");
	assert_non_null(mark);
	after = strstr(mark, "     0x072  cpuid                                7");
	assert_non_null(after);
	/* 5902 exits since the reset (3 of CPUID), then 7, then none */
	assert_non_null(strstr(text, "# 3 intervals, "));
	assert_non_null(strstr(text, " s: 5909 exits, "));
	assert_non_null(strstr(text, "; 1 reset\n"));
	/* a reset in the first interval: the title and the columns all the same */
	text = watch_a_reset("-i 0.5 -n 2");
	if (strncmp(text, "# system-wide, isa svm, TSC 2596.119 MHz; times in us\n    REASON  NAME ", 70) ||
	    !strstr(text, " EXITS/s "))
		fail_msg("no title or columns: \"%s\"", text);
	assert_non_null(strstr(text, "; 1 reset\n"));
	/* JSON and CSV mark it too */
	text = watch_a_reset("-i 0.5 -n 2 --json");
	assert_non_null(strstr(text, "{\"event\":\"reset\",\"timestamp\":"));
	assert_non_null(strstr(text, ",\"interval_s\":null,\"scope\":\"system\",\"vm\":null,"
						  "\"vcpu\":null,\"guest\":null,\"file\":null,\"before_file\":null,"
						  "\"isa\":\"svm\",\"tsc_khz\":2596119}\n"));
	text = watch_a_reset("-i 0.5 -n 1 --csv");
	assert_non_null(strstr(text, ",,system,,,,,,svm,2596119,reset,,,,,,,,,,,,,,,,,,,,,,,\n"));
	copy_fixture("svm-system.txt", in_tree("debug/kvm/exit_stats"));
}

/*
 * -f A -f -: the report's time is the later reading's, standard input's
 * (the modification time of the file it is, or, from a pipe, when it was
 * read), never A's.
 */
static void cli_files_later_reading_time(void **state)
{
	char early[600], late[600];
	double t;
	size_t n;
	char *text;

	(void)state;
	setenv("KES_TREE", tree, 1);
	snprintf(early, sizeof(early), "%s/early.txt", tree);
	snprintf(late, sizeof(late), "%s/late.txt", tree);
	copy_fixture("svm-vm.txt", early);
	copy_fixture("svm-vm.txt", late);
	sh("touch -d @1000000000 %s && touch -d @1500000000 %s", early, late);
	bare("-f %s -f - --csv < %s", early, late);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\n1500000000.000,,file,,,,-,"));
	assert_null(strstr(r.out, "1000000000.000,"));
	bare("-f - -f %s --csv < %s", late, early);
	assert_non_null(strstr(r.out, "\n1500000000.000,,file,,,"));
	bare("-f - --csv < %s", late);
	assert_non_null(strstr(r.out, "\n1500000000.000,,file,,,,-,,svm,"));
	/* a pipe has no file's time: the time it was read */
	sh("cat %s | %s -f %s -f - --csv > %s/pipe.csv", late, getenv("KES_HOST_TOOL"), early, tree);
	text = read_data("KES_TREE", "pipe.csv", &n);
	t = strtod(strchr(text, '\n') + 1, NULL);
	free(text);
	if (t < (double)time(NULL) - 600 || t > (double)time(NULL) + 1)
		fail_msg("the time of a reading from a pipe is %.3f, not about now", t);
}

/*
 * -f A -f B of two hosts (another ISA, another TSC frequency): refused as
 * that, neither taken for a difference nor blamed on a reset.
 */
static void cli_files_of_two_hosts(void **state)
{
	const char *dir = getenv("KES_FIXTURES");
	char other[600], want[1400];
	size_t n;
	char *text = read_data("KES_FIXTURES", "svm-vm.txt", &n);

	(void)state;
	/* more exits than svm-vm.txt, at another TSC frequency */
	snprintf(other, sizeof(other), "%s/other-host.txt", tree);
	text = replace_line(text, "# isa=", "# isa=svm tsc_khz=2994000");
	text = replace_line(text, "114 cpuid ", "114 cpuid 10500 393855638 27326 2935660");
	text = replace_line(text, "- TOTAL ", "- TOTAL 16399 544647890 5772 3632226");
	write_text(other, text, 0644);
	free(text);
	bare("-f %s/svm-vm.txt -f %s", dir, other);
	snprintf(want, sizeof(want), "kvm-exitstat: %s/svm-vm.txt (isa=svm tsc_khz=2596119) and %s "
		 "(isa=svm tsc_khz=2994000) come from different hosts or ISAs (or boots): the exits "
		 "from one file to the other need two readings of one host\n", dir, other);
	expect(1, want);
	assert_string_equal(r.out, "");
	/* another ISA, which has fewer exits too: not a reset */
	bare("-f %s/svm-vm.txt -f %s/vmx-vm.txt --json", dir, dir);
	snprintf(want, sizeof(want), "%s/svm-vm.txt (isa=svm tsc_khz=2596119) and %s/vmx-vm.txt "
		 "(isa=vmx tsc_khz=100000) come from different hosts or ISAs", dir, dir);
	expect(1, want);
	assert_null(strstr(r.err, "reset"));
	assert_string_equal(r.out, "");
}

/*
 * --debugfs DIR that is not there, or not a folder: said so, rather than
 * how to mount debugfs there.
 */
static void cli_debugfs_not_a_folder(void **state)
{
	char want[700];

	(void)state;
	write_text(in_tree("afile"), "x\n", 0644);
	bare("--debugfs %s", in_tree("nosuchdir"));
	snprintf(want, sizeof(want), "kvm-exitstat: %s does not exist: say where debugfs is mounted "
		 "with --debugfs DIR (usually /sys/kernel/debug)\n", in_tree("nosuchdir"));
	expect(5, want);
	assert_null(strstr(r.err, "mount it"));
	bare("--list-vms --debugfs %s", in_tree("nosuchdir"));
	expect(5, want);
	bare("--debugfs %s/afile/x", tree);
	expect(5, "/afile/x does not exist: say where debugfs is mounted");
	bare("--debugfs %s", in_tree("afile"));
	snprintf(want, sizeof(want), "kvm-exitstat: %s is not a directory: say where debugfs is "
		 "mounted with --debugfs DIR (usually /sys/kernel/debug)\n", in_tree("afile"));
	expect(5, want);
	assert_null(strstr(r.err, "mount it"));
	bare("--reset --debugfs %s", in_tree("afile"));
	expect(5, want);
	bare("-p 1 --debugfs %s", in_tree("afile"));
	expect(5, want);
}

/* "/" and @len - 1 bytes of @c into @p (a path component). */
static void component(char *p, char c, size_t len)
{
	*p = '/';
	memset(p + 1, c, len - 1);
	p[len] = '\0';
}

/*
 * Paths longer than the buffers the tool once had (300, 512, 600 bytes)
 * are used whole; one longer than any path can be (PATH_MAX) is refused
 * with a message that says so.
 */
static void cli_long_paths(void **state)
{
	char dir[1024], huge[4400], want[1200];
	size_t n, i;
	char *text;

	(void)state;
	setenv("KES_TREE", tree, 1);
	n = (size_t)snprintf(dir, sizeof(dir), "%s/long", tree);
	for (i = 0; i < 5; i++, n += 140)
		component(dir + n, 'd', 140);
	assert_true(strlen(dir) > 700);
	sh("mkdir -p %s", dir);
	/* debugfs as make_tree() makes it (tests before may have changed TREE/debug) */
	sh("cd %s && mkdir -p kvm/123-4 kvm/123-7 kvm/456-3 && cp -r %s/proc . && "
	   "cp %s/svm-system.txt kvm/exit_stats && touch kvm/exit_stats_control && "
	   "for vm in 123-4 123-7 456-3; do cp %s/svm-vm.txt kvm/$vm/exit_stats && "
	   "touch kvm/$vm/exit_stats_control; done", dir, tree, getenv("KES_FIXTURES"),
	   getenv("KES_FIXTURES"));
	tool("--debugfs %s", dir);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "     0x072  cpuid                            10000  62.90%"));
	tool("--debugfs %s --proc %s/proc --list-vms", dir, dir);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "VM                    PID     FD COMMAND                   EXITS  GUEST\n"
				   "123-4                 123      4 qemu-system-x86           15899  web1\n"
				   "123-7                 123      7 qemu-system-x86           15899  web1\n"
				   "456-3                 456      3 ?                         15899  db,2\n");
	tool("--debugfs %s --proc %s/proc -g db,2 --csv", dir, dir);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, ",vm,456-3,,\"db,2\",,,svm,2596119,reason,114,cpuid,10000,"));
	tool("--debugfs %s --prometheus", dir);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\nkvm_vm_exits_total{vm=\"123-7\",guest=\"web1\",isa=\"svm\","
				      "reason=\"114\",name=\"cpuid\"} 10000\n"));
	tool("--debugfs %s --dump --vm 123-7", dir);
	assert_int_equal(r.status, 0);
	tool("--debugfs %s --reset", dir);
	assert_int_equal(r.status, 0);
	snprintf(huge, sizeof(huge), "%s/kvm/exit_stats_control", dir + strlen(tree) + 1);
	text = read_data("KES_TREE", huge, &n);
	assert_string_equal(text, "reset");
	free(text);
	snprintf(huge, sizeof(huge), "%s/kvm/123-7/exit_stats_control", dir + strlen(tree) + 1);
	text = read_data("KES_TREE", huge, &n);
	assert_string_equal(text, "dump");
	free(text);
	/* more than PATH_MAX (4096) bytes: no file has such a path */
	for (n = 0; n < 4200; n += 100)
		component(huge + n, 'x', 100);
	bare("--debugfs %s", huge);
	snprintf(want, sizeof(want), "kvm-exitstat: the path %.60s... is too long: 4215 bytes, and "
		 "a path has at most 4095\n", huge);
	expect(1, want);
	bare("--debugfs %s --list-vms", huge);
	expect(1, "... is too long: 4204 bytes, and a path has at most 4095\n");
	bare("--debugfs %s --reset", huge);
	expect(1, "... is too long: 4223 bytes, and a path has at most 4095\n");
	tool("--prometheus -o %s/kvm.prom", huge);
	expect(1, "... is too long: ");
	tool("--debugfs %s --proc %s --list-vms", dir, huge);
	expect(1, "... is too long: ");
}

/*
 * A reset while watching: the interval it falls in shows, after the mark,
 * the exits of the new reading (those since the reset), and counts them
 * in the summary.
 */
static void cli_interval_exits_since_reset(void **state)
{
	char *text, *mark;

	(void)state;
	setenv("KES_TREE", tree, 1);
	text = watch_a_reset("-i 0.5 -n 1 --csv");
	mark = strstr(text, ",system,,,,,,svm,2596119,reset,,,,,,,,,,,,,,,,,,,,,,,\n");
	assert_non_null(mark);
	assert_non_null(strstr(mark, ",system,,,,,,svm,2596119,reason,114,cpuid,3,"));
	assert_non_null(strstr(mark, ",system,,,,,,svm,2596119,total,,TOTAL,5902,"));
	text = watch_a_reset("-i 0.5 -n 1 --json");
	mark = strstr(text, "{\"event\":\"reset\",");
	assert_non_null(mark);
	mark = strstr(mark, "\n{\"event\":\"report\",");
	assert_non_null(mark);
	assert_non_null(strstr(mark, "{\"row\":\"reason\",\"reason\":114,\"name\":\"cpuid\",\"count\":3,"));
	text = watch_a_reset("-i 0.5 -n 1");
	mark = strstr(text, ": the statistics went back (a reset?): this interval shows the exits "
		      "since the reset\n");
	assert_non_null(mark);
	assert_non_null(strstr(mark, "\n     0x072  cpuid                                3 "));
	assert_non_null(strstr(mark, "\n            TOTAL                             5902 "));
	assert_non_null(strstr(mark, "# 1 interval, "));
	assert_non_null(strstr(mark, " s: 5902 exits, "));
	assert_non_null(strstr(mark, "; 1 reset\n"));
	copy_fixture("svm-system.txt", in_tree("debug/kvm/exit_stats"));
}

/*
 * --vcpu: one report per vCPU folder (vcpuN, in the order of N; no other
 * folder), or one vCPU; a vCPU or folders that are not there say so.
 */
static void cli_vcpus(void **state)
{
	const char *p, *q;

	(void)state;
	sh("mkdir -p %s/debug/kvm/123-4/vcpu0 %s/debug/kvm/123-4/vcpu1 %s/debug/kvm/123-4/vcpu10 "
	   "%s/debug/kvm/123-4/vcpux %s/debug/kvm/123-4/vcpu01", tree, tree, tree, tree, tree);
	copy_fixture("svm-vm-a.txt", in_tree("debug/kvm/123-4/vcpu0/exit_stats"));
	copy_fixture("svm-vm-b.txt", in_tree("debug/kvm/123-4/vcpu1/exit_stats"));
	copy_fixture("svm-vm-a.txt", in_tree("debug/kvm/123-4/vcpu10/exit_stats"));
	copy_fixture("svm-vm-a.txt", in_tree("debug/kvm/123-4/vcpux/exit_stats"));
	tool("--vm 123-4 --vcpu");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "# VM 123-4 vCPU "), 3);
	p = strstr(r.out, "# VM 123-4 vCPU 0 (guest web1), isa svm,");
	q = p ? strstr(p, "\n\n# VM 123-4 vCPU 1 (guest web1), isa svm,") : NULL;
	assert_non_null(q);
	assert_non_null(strstr(q, "\n\n# VM 123-4 vCPU 10 (guest web1), isa svm,"));
	tool("--vm 123-4 --vcpu=1 --json");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "\n"), 1);
	assert_non_null(strstr(r.out, "\"scope\":\"vcpu\",\"vm\":\"123-4\",\"vcpu\":1,\"guest\":\"web1\","));
	tool("--vm 123-4 --vcpu --csv");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "timestamp,"), 1);
	assert_int_equal(count_of(r.out, ",vcpu,123-4,10,web1,"), count_of(r.out, ",vcpu,123-4,0,web1,"));
	tool("--vm 123-4 --vcpu=5");
	expect(7, "VM 123-4 has no vCPU 5 (--vcpu without =N shows the ones it has)\n");
	tool("--vm 123-7 --vcpu");
	expect(6, "VM 123-7 has no vCPU folders with exit statistics in ");
	sh("rm -rf %s/debug/kvm/123-4/vcpu*", tree);
}

int main(void)
{
	const struct CMUnitTest report_tests[] = {
		cmocka_unit_test(report_sorted_and_shares),
		cmocka_unit_test(report_filter),
		cmocka_unit_test(report_interval),
		cmocka_unit_test(report_unlisted_row),
		cmocka_unit_test(format_table),
		cmocka_unit_test(format_table_wide),
		cmocka_unit_test(format_time_split),
		cmocka_unit_test(format_table_vmx_decimal),
		cmocka_unit_test(format_tsc_unknown),
		cmocka_unit_test(format_csv),
		cmocka_unit_test(format_json),
		cmocka_unit_test(format_prometheus),
		cmocka_unit_test(formats_escape),
		cmocka_unit_test(format_reset_first),
		cmocka_unit_test(guest_names),
	};
	const struct CMUnitTest cli_tests[] = {
		cmocka_unit_test(cli_default_and_vms),
		cmocka_unit_test(cli_vm_ids_strict),
		cmocka_unit_test(cli_conflicts),
		cmocka_unit_test(cli_prometheus),
		cmocka_unit_test(cli_prometheus_fleet_budget),
		cmocka_unit_test(cli_files),
		cmocka_unit_test(cli_hist),
		cmocka_unit_test(cli_reason),
		cmocka_unit_test(cli_several_vms),
		cmocka_unit_test(cli_controls),
		cmocka_unit_test(cli_exit_codes),
		cmocka_unit_test(cli_guest_access_cap),
		cmocka_unit_test(cli_interval),
		cmocka_unit_test(cli_ctrl_c_and_vm_gone),
		cmocka_unit_test(cli_interval_deltas),
		cmocka_unit_test(cli_interval_since_reset),
		cmocka_unit_test(cli_interval_reset),
		cmocka_unit_test(cli_files_later_reading_time),
		cmocka_unit_test(cli_files_of_two_hosts),
		cmocka_unit_test(cli_debugfs_not_a_folder),
		cmocka_unit_test(cli_long_paths),
		cmocka_unit_test(cli_interval_exits_since_reset),
		cmocka_unit_test(cli_vcpus),
	};

	return cmocka_run_group_tests_name("host tool: report and formats", report_tests,
					   load_fixture, free_fixture) |
	       cmocka_run_group_tests_name("host tool: the program", cli_tests, make_tree,
					   remove_tree);
}
