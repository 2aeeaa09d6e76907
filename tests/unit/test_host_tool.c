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

#include "format.h"
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

/* What a format wrote, as a string. */
static char *capture(void (*print)(FILE *, const struct kes_report *, bool),
		     void (*print_plain)(FILE *, const struct kes_report *),
		     const struct kes_report *rep)
{
	static char buf[65536];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (print)
		print(f, rep, true);
	else
		print_plain(f, rep);
	fclose(f);
	return buf;
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
	assert_int_equal(rep.n, vm_stats.nrows);
	assert_string_equal(rep.rows[0].name, "AC_excp");	/* strcmp order */
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
	assert_int_equal(rep.rows[0].min, 0);	/* not known per interval */
	assert_int_equal(rep.total.count, 1000);
	kes_report_free(&rep);
	/* the other way round: the statistics went back (a reset) */
	assert_int_equal(kes_report_make(&rep, &before, &vm_stats, 2.0, false, KES_SORT_COUNT), -1);
	free(before.rows);
}

static void report_for(struct kes_report *rep, bool all, const char *vm)
{
	assert_int_equal(kes_report_make(rep, &vm_stats, NULL, 0, all, KES_SORT_COUNT), 0);
	rep->scope = vm ? "vm" : "system";
	rep->vm = vm;
	rep->timestamp = 1795302391.5;
}

static void format_table(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, NULL);
	out = capture(kes_print_table, NULL, &rep);
	assert_non_null(strstr(out, "# system-wide, isa svm, TSC 2596.119 MHz;"));
	assert_non_null(strstr(out, "       114  cpuid                             10000   62.90%"
				    "        373855638   71.26%      37386      27326      2935660"
				    "     14.40     10.53     1130.79\n"));
	assert_non_null(strstr(out, "            TOTAL                             15899  100.00%"
				    "        524647890  100.00%      32999       5772      3632226"
				    "     12.71      2.22     1399.10\n"));
	kes_report_free(&rep);
}

static void format_csv(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, "123-4");
	out = capture(kes_print_csv, NULL, &rep);
	assert_non_null(strstr(out, "timestamp,interval_s,scope,vm,isa,reason,name,count,"));
	assert_non_null(strstr(out, "\n1795302391.500,0.000,vm,123-4,svm,114,cpuid,10000,62.8970,0.000,"
				    "373855638,71.2584,37385.6,27326,2935660,14.401,10.526,1130.788\n"));
	assert_non_null(strstr(out, ",vm,123-4,svm,-,TOTAL,15899,100.0000,"));
	kes_report_free(&rep);
}

static void format_json(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, false, NULL);
	out = capture(NULL, kes_print_json, &rep);
	assert_non_null(strstr(out, "{\"scope\":\"system\",\"isa\":\"svm\",\"tsc_khz\":2596119,"
				    "\"timestamp\":1795302391.500,\"reasons\":[{\"reason\":114,"
				    "\"name\":\"cpuid\",\"count\":10000,\"count_pct\":62.8970,"
				    "\"cycles\":373855638,\"time_pct\":71.2584,\"avg_cycles\":37385.6,"
				    "\"avg_us\":14.401,\"min_cycles\":27326,\"max_cycles\":2935660},"));
	assert_non_null(strstr(out, "],\"total\":{\"count\":15899,"));
	assert_int_equal(out[strlen(out) - 2], '}');
	kes_report_free(&rep);
}

static void format_prometheus(void **state)
{
	struct kes_report rep;
	char *out;

	(void)state;
	report_for(&rep, true, "123-4");
	out = capture(NULL, kes_print_prometheus, &rep);
	assert_non_null(strstr(out, "# TYPE kvm_exits_total counter\n"));
	assert_non_null(strstr(out, "\nkvm_exits_total{isa=\"svm\",reason=\"114\",name=\"cpuid\",vm=\"123-4\"} 10000\n"));
	assert_non_null(strstr(out, "\nkvm_exits_total{isa=\"svm\",reason=\"0\",name=\"read_cr0\",vm=\"123-4\"} 0\n"));
	/* 373855638 cycles at 2596.119 MHz */
	assert_non_null(strstr(out, "\nkvm_exit_handling_seconds_total{isa=\"svm\",reason=\"114\",name=\"cpuid\",vm=\"123-4\"} 0.144005586\n"));
	kes_report_free(&rep);
}

/* A copy of debugfs and procfs made of the fixtures, in a temporary folder. */
static char tree[64];

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void copy_fixture(const char *name, const char *to)
{
	size_t n;
	char *text = read_data("KES_FIXTURES", name, &n);

	write_text(to, text, 0600);
	free(text);
}

static int make_tree(void **state)
{
	char p[1024];

	(void)state;
	snprintf(tree, sizeof(tree), "/tmp/kes-host-tool-XXXXXX");
	assert_non_null(mkdtemp(tree));
	chmod(tree, 0755);
	snprintf(p, sizeof(p), "mkdir -p %s/debug/kvm/123-4 %s/debug/kvm/123-7 %s/debug/kvm/456-3 "
		 "%s/proc/123 %s/nokvm/kvm && chmod -R go+rx %s", tree, tree, tree, tree, tree, tree);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/debug/kvm/exit_stats", tree);
	copy_fixture("svm-system.txt", p);
	snprintf(p, sizeof(p), "%s/debug/kvm/123-4/exit_stats", tree);
	copy_fixture("svm-vm.txt", p);
	snprintf(p, sizeof(p), "%s/debug/kvm/123-7/exit_stats", tree);
	copy_fixture("svm-vm.txt", p);
	snprintf(p, sizeof(p), "%s/debug/kvm/456-3/exit_stats", tree);
	copy_fixture("svm-vm.txt", p);
	snprintf(p, sizeof(p), "%s/proc/123/comm", tree);
	write_text(p, "qemu-system-x86\n", 0644);
	return 0;
}

static int remove_tree(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	return system(cmd);
}

struct run {
	int status;
	char out[65536], err[8192];
};

static struct run r;

/* Runs "kvm-exitstat --debugfs TREE/debug --proc TREE/proc ARGS", maybe as @user. */
static void tool_as(const char *user, const char *fmt, ...)
{
	char args[512], cmd[1400], errfile[96];
	va_list ap;
	FILE *p, *e;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(errfile, sizeof(errfile), "%s/stderr", tree);
	snprintf(cmd, sizeof(cmd), "%s%s%s %s --debugfs %s/debug --proc %s/proc %s 2>%s",
		 user ? "runuser -u " : "", user ? user : "", user ? " --" : "",
		 getenv("KES_HOST_TOOL"), tree, tree, args, errfile);
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

#define tool(...) tool_as(NULL, __VA_ARGS__)

static void cli_default_and_vms(void **state)
{
	(void)state;
	tool("");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# system-wide, isa svm"));
	assert_non_null(strstr(r.out, "       114  cpuid                             10000"));
	tool("--list-vms");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "123-4                 123      4 qemu-system-x86           15899\n"
				      "123-7                 123      7 qemu-system-x86           15899\n"
				      "456-3                 456      3 ?                         15899\n"));
	tool("--list-vms --json");
	assert_string_equal(r.out, "[{\"vm\":\"123-4\",\"pid\":123,\"fd\":4,\"comm\":\"qemu-system-x86\",\"exits\":15899},"
				   "{\"vm\":\"123-7\",\"pid\":123,\"fd\":7,\"comm\":\"qemu-system-x86\",\"exits\":15899},"
				   "{\"vm\":\"456-3\",\"pid\":456,\"fd\":3,\"comm\":\"?\",\"exits\":15899}]\n");
	tool("-p 456 --csv");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, ",vm,456-3,svm,114,cpuid,10000,"));
	tool("--vm 123-7");
	assert_non_null(strstr(r.out, "# VM 123-7, isa svm"));
	tool("-p 123");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "process 123 has 2 VMs: say which with --vm PID-FD"));
	tool("-p 999");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "no VM 999: see kvm-exitstat --list-vms"));
	tool("-p 12x");
	assert_int_equal(r.status, 2);
}

static void cli_prometheus_file(void **state)
{
	char path[128], cmd[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/kvm.prom", tree);
	tool("--prometheus -o %s", path);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	snprintf(cmd, sizeof(cmd), "grep -q '^kvm_exits_total{isa=\"svm\",reason=\"114\",name=\"cpuid\"} 10000$' %s"
		 " && ! ls %s/kvm.prom.tmp.* 2>/dev/null", path, tree);
	assert_int_equal(system(cmd), 0);
	tool("--json -o %s", path);
	assert_int_equal(r.status, 2);
}

static void cli_errors(void **state)
{
	char path[128];

	(void)state;
	tool("--sort size");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--sort takes count, time, avg or name, not \"size\""));
	tool("-n 3");
	assert_int_equal(r.status, 2);
	tool("-i 0.05");
	assert_int_equal(r.status, 2);
	tool("--reset --dump");
	assert_int_equal(r.status, 2);
	tool("--reset -p 456");
	assert_int_equal(r.status, 2);

	snprintf(path, sizeof(path), "%s/debug/kvm/456-3/exit_stats", tree);
	write_text(path, "# isa=svm tsc_khz=1\n114 cpuid 1 1 1 1\n", 0600);
	tool("-p 456");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "not an exit_stats file: "));
	assert_non_null(strstr(r.err, "/456-3/exit_stats: line 3: the TOTAL row is missing: the file is truncated\n"));
	copy_fixture("svm-vm.txt", path);

	tool_as(NULL, "");	/* as root: fine */
	assert_int_equal(r.status, 0);
	tool_as("nobody", "");	/* as anybody else: permission denied, exit 3 */
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "permission denied:"));
	assert_non_null(strstr(r.err, "run kvm-exitstat as root"));
}

static void cli_not_there(void **state)
{
	char cmd[512];
	FILE *p;
	char err[512] = "";
	int status;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s --debugfs %s/nokvm 2>&1", getenv("KES_HOST_TOOL"), tree);
	p = popen(cmd, "r");
	assert_int_equal(fread(err, 1, sizeof(err) - 1, p) > 0, 1);
	status = WEXITSTATUS(pclose(p));
	assert_int_equal(status, 1);
	assert_non_null(strstr(err, "this kernel has no per-exit-reason statistics"));
	assert_non_null(strstr(err, "CONFIG_KVM_EXIT_STATS=y"));
	snprintf(cmd, sizeof(cmd), "%s --debugfs %s/nothing 2>&1", getenv("KES_HOST_TOOL"), tree);
	p = popen(cmd, "r");
	memset(err, 0, sizeof(err));
	assert_int_equal(fread(err, 1, sizeof(err) - 1, p) > 0, 1);
	assert_int_equal(WEXITSTATUS(pclose(p)), 1);
	assert_non_null(strstr(err, "debugfs is not mounted at"));
	assert_non_null(strstr(err, "mount -t debugfs none"));
}

static void cli_interval(void **state)
{
	(void)state;
	tool("-i 0.1 -n 3");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "EXITS/s"));
	assert_non_null(strstr(r.out, "# 3 intervals, "));
	assert_non_null(strstr(r.out, " s: 0 exits, 0.0 exits/s, 0 cycles\n"));
	tool("-i 0.1 -n 2 --json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"interval_s\":0.1"));
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
	char cmd[256];
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
	snprintf(cmd, sizeof(cmd), "rm -rf %s/debug/kvm/456-3", tree);
	assert_int_equal(system(cmd), 0);
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_non_null(strstr(bg_file("bg.err"), "VM 456-3 is gone"));
	assert_non_null(strstr(bg_file("bg.out"), " intervals, "));	/* the summary still */
}

/* The interval deltas are the change of the file, and add up to it. */
static void cli_interval_deltas(void **state)
{
	char path[128], tmp[160];
	size_t n;
	char *text, *p;
	pid_t pid;
	int status;

	(void)state;
	snprintf(path, sizeof(path), "%s/debug/kvm/exit_stats", tree);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	pid = start("-i 0.6 -n 2 --csv");
	sleep_s(0.3);
	/* 5000 more CPUID exits: 10000 -> 15000, total 15899 -> 20899 */
	text = read_data("KES_FIXTURES", "svm-system.txt", &n);
	p = strstr(text, "114 cpuid 10000 373855638");
	assert_non_null(p);
	memcpy(p, "114 cpuid 15000 473855638", 25);
	p = strstr(text, "- TOTAL 15899 524647890");
	memcpy(p, "- TOTAL 20899 624647890", 23);
	write_text(tmp, text, 0600);
	free(text);
	rename(tmp, path);
	waitpid(pid, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	text = bg_file("bg.out");
	assert_non_null(strstr(text, ",system,,svm,114,cpuid,5000,100.0000,"));
	assert_non_null(strstr(text, ",system,,svm,-,TOTAL,5000,"));
	assert_non_null(strstr(text, ",system,,svm,-,TOTAL,0,"));
	assert_non_null(strstr(bg_file("bg.err"), " s: 5000 exits, "));
	copy_fixture("svm-system.txt", path);
}

int main(void)
{
	const struct CMUnitTest report_tests[] = {
		cmocka_unit_test(report_sorted_and_shares),
		cmocka_unit_test(report_interval),
		cmocka_unit_test(format_table),
		cmocka_unit_test(format_csv),
		cmocka_unit_test(format_json),
		cmocka_unit_test(format_prometheus),
	};
	const struct CMUnitTest cli_tests[] = {
		cmocka_unit_test(cli_default_and_vms),
		cmocka_unit_test(cli_prometheus_file),
		cmocka_unit_test(cli_errors),
		cmocka_unit_test(cli_not_there),
		cmocka_unit_test(cli_interval),
		cmocka_unit_test(cli_ctrl_c_and_vm_gone),
		cmocka_unit_test(cli_interval_deltas),
	};

	return cmocka_run_group_tests_name("host tool: report and formats", report_tests,
					   load_fixture, free_fixture) |
	       cmocka_run_group_tests_name("host tool: the program", cli_tests, make_tree,
					   remove_tree);
}
