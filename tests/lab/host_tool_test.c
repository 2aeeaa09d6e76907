// SPDX-License-Identifier: GPL-2.0
/*
 * The host tool kvm-exitstat inside the lab kernel, on real statistics:
 * its numbers for a known workload are the workload's own counts and the
 * raw file's, interval mode's deltas add up to the change of the file, and
 * per-VM mode shows only that VM.
 *
 * Usage: host_tool_test   (runs /tests/kvm-exitstat)
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab_test.h"

#define TOOL "/tests/kvm-exitstat"

struct csv_row {
	char reason[16], name[KES_NAME_MAX];
	unsigned long long count, cycles, min, max;
};

/*
 * The fields of one CSV line into @f (at most @max); the lab's names have no
 * commas or quotes, so a plain split is enough here.  Returns the count.
 */
static int csv_split(const char *line, char f[][KES_NAME_MAX], int max)
{
	int n = 0;

	while (n < max) {
		size_t len = strcspn(line, ",\n");

		snprintf(f[n], KES_NAME_MAX, "%.*s", (int)len, line);
		n++;
		if (line[len] != ',')
			break;
		line += len + 1;
	}
	return n;
}

/*
 * The rows of kvm-exitstat --csv output (several reports: all of them).
 * Columns (docs/interfaces.md): timestamp,interval_s,scope,vm,vcpu,guest,file,
 * before_file,isa,tsc_khz,row,reason,name,count,count_pct,count_per_s,
 * cycles,time_pct,avg_cycles,min_cycles,max_cycles,...  An empty field is a
 * value not known (0 here).  TOTAL's reason is "-", the unlisted row's "?".
 */
static size_t parse_csv(const char *text, struct csv_row *rows, size_t max)
{
	static char f[25][KES_NAME_MAX];
	const char *line = text;
	size_t n = 0;

	while (line && *line && n < max) {
		struct csv_row *r = &rows[n];

		if (csv_split(line, f, 25) == 25 && (!strcmp(f[10], "reason") ||
		    !strcmp(f[10], "total") || !strcmp(f[10], "unlisted"))) {
			snprintf(r->reason, sizeof(r->reason), "%.*s", (int)sizeof(r->reason) - 1,
				 !strcmp(f[10], "reason") ? f[11] : !strcmp(f[10], "total") ? "-" : "?");
			snprintf(r->name, sizeof(r->name), "%s", f[12]);
			r->count = strtoull(f[13], NULL, 10);
			r->cycles = strtoull(f[16], NULL, 10);
			r->min = strtoull(f[19], NULL, 10);
			r->max = strtoull(f[20], NULL, 10);
			n++;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return n;
}

/*
 * Big buffers live on the heap: the selftests library copies this program's
 * whole image, .bss included, into every guest's memory.
 */
#define OUT_SIZE (1 << 20)

static char *run(const char *args, int *status)
{
	static char *out;
	char cmd[512];
	FILE *p;
	size_t n;

	if (!out)
		out = malloc(OUT_SIZE);
	TEST_ASSERT(out, "out of memory");
	snprintf(cmd, sizeof(cmd), TOOL " %s", args);
	p = popen(cmd, "r");
	TEST_ASSERT(p, "cannot run %s", cmd);
	n = fread(out, 1, OUT_SIZE - 1, p);
	out[n] = '\0';
	*status = WEXITSTATUS(pclose(p));
	return out;
}

/* Every row of the CSV equals the file's: count, cycles, min, max; and TOTAL. */
static bool same_as_file(const struct csv_row *rows, size_t n, const struct kes_stats *st,
			 const char *what)
{
	bool ok = check_u64(n, st->nrows + 2, "%s: CSV rows (all reasons, unlisted and TOTAL)", what);
	size_t i;

	for (i = 0; i < n; i++) {
		const struct csv_row *r = &rows[i];
		const struct kes_row *fr;
		struct kes_stat want;

		if (!strcmp(r->reason, "-")) {
			want = st->total;
		} else if (!strcmp(r->reason, "?")) {
			want = st->unlisted;	/* no min or max of its own */
		} else {
			fr = kes_stats_row(st, (uint32_t)strtoul(r->reason, NULL, 10));
			if (!check(fr && !strcmp(fr->name, r->name), "%s: reason %s %s not in the file",
				   what, r->reason, r->name))
				return false;
			want = fr->s;
		}
		ok &= check(r->count == want.count && r->cycles == want.cycles &&
			    r->min == want.min && r->max == want.max,
			    "%s: %s: %llu %llu %llu %llu, the file %llu %llu %llu %llu", what, r->name,
			    r->count, r->cycles, r->min, r->max, (unsigned long long)want.count,
			    (unsigned long long)want.cycles, (unsigned long long)want.min,
			    (unsigned long long)want.max);
	}
	return ok;
}

#define MAX_ROWS 4096
static struct csv_row *rows;

/* The count of the row named @name, -1 if none. */
/* The exits of reason @name, summed over the reports of @rows; -1 if none has it. */
static long long csv_count(const struct csv_row *rows, size_t n, const char *name)
{
	long long sum = -1;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].name, name))
			sum = (sum < 0 ? 0 : sum) + (long long)rows[i].count;
	return sum;
}

static bool test_equals_raw(void)
{
	struct wl_spec spec = { .vcpus = 2 };
	bool vmx = lab_isa() == KES_ISA_VMX;
	const char *id;
	struct kes_stats st;
	struct wl_vm *vm;
	char args[128];
	size_t n;
	int status;
	char *out;
	bool ok;

	spec.n[WL_CPUID] = 3000;
	spec.n[WL_IO] = 500;
	spec.n[WL_HLT] = 50;
	vm = wl_create(&spec);
	wl_run(vm);
	/*
	 * The workload's own counts, over the VM's life: each vCPU's rehearsal
	 * (one of each kind) and workload; its port writes, and the port reads
	 * of its two syncs.
	 */
	id = strrchr(wl_debugfs_dir(vm), '/') + 1;
	snprintf(args, sizeof(args), "--vm %s --csv -a", id);
	out = run(args, &status);
	n = parse_csv(out, rows, MAX_ROWS);
	ok = check_u64(status, 0, "kvm-exitstat --vm: exit status");
	ok &= check_u64(csv_count(rows, n, vmx ? "CPUID" : "cpuid"), 2 * (3000 + 1),
			"kvm-exitstat --vm: CPUID exits of the workload");
	ok &= check_u64(csv_count(rows, n, vmx ? "IO_INSTRUCTION" : "io"), 2 * (500 + 1 + 2),
			"kvm-exitstat --vm: port I/O exits of the workload");
	ok &= check_u64(csv_count(rows, n, vmx ? "HLT" : "hlt"), 2 * (50 + 1),
			"kvm-exitstat --vm: HLT exits of the workload");
	/* Each vCPU alone (--vcpu=N), and all of them, one report each (--vcpu). */
	for (int v = 0; v < 2; v++) {
		snprintf(args, sizeof(args), "--vm %s --vcpu=%d --csv -a", id, v);
		out = run(args, &status);
		n = parse_csv(out, rows, MAX_ROWS);
		ok &= check_u64(status, 0, "kvm-exitstat --vcpu=%d: exit status", v);
		ok &= check(strstr(out, ",vcpu,") != NULL, "--vcpu=%d: the CSV does not say scope vcpu", v);
		ok &= check_u64(csv_count(rows, n, vmx ? "CPUID" : "cpuid"), 3000 + 1,
				"kvm-exitstat --vcpu=%d: CPUID exits of that vCPU's workload", v);
		ok &= check_u64(csv_count(rows, n, vmx ? "IO_INSTRUCTION" : "io"), 500 + 1 + 2,
				"kvm-exitstat --vcpu=%d: port I/O exits of that vCPU's workload", v);
		ok &= check_u64(csv_count(rows, n, vmx ? "HLT" : "hlt"), 50 + 1,
				"kvm-exitstat --vcpu=%d: HLT exits of that vCPU's workload", v);
	}
	snprintf(args, sizeof(args), "--vm %s --vcpu --csv -a", id);
	out = run(args, &status);
	n = parse_csv(out, rows, MAX_ROWS);
	ok &= check_u64(status, 0, "kvm-exitstat --vcpu: exit status");
	ok &= check_u64(csv_count(rows, n, vmx ? "CPUID" : "cpuid"), 2 * (3000 + 1),
			"kvm-exitstat --vcpu: CPUID exits of both vCPUs' reports");
	snprintf(args, sizeof(args), "--vm %s --vcpu=2 2>/dev/null", id);
	run(args, &status);
	ok &= check_u64(status, 7, "kvm-exitstat --vcpu=2 of a VM with vCPUs 0 and 1: exit status");
	wl_destroy(vm);
	out = run("--csv -a", &status);
	stats_load(SYSTEM_STATS, &st);
	ok &= check_u64(status, 0, "kvm-exitstat --csv -a: exit status");
	ok &= same_as_file(rows, parse_csv(out, rows, MAX_ROWS), &st, "system-wide");
	out = run("", &status);
	ksft_print_msg("kvm-exitstat, after the workload:\n");
	for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
		ksft_print_msg("| %s\n", l);
	kes_stats_free(&st);
	return ok;
}

static bool test_per_vm(void)
{
	struct wl_spec a = { .vcpus = 1 }, b = { .vcpus = 1 };
	struct kes_stats sa, sys;
	struct wl_vm *va, *vb;
	char args[128], list[256];
	const char *id;
	int status;
	char *out;
	bool ok;

	a.n[WL_CPUID] = 2000;
	b.n[WL_IO] = 700;
	va = wl_create(&a);
	vb = wl_create(&b);
	wl_run(va);
	wl_run(vb);
	id = strrchr(wl_debugfs_dir(va), '/') + 1;
	snprintf(args, sizeof(args), "--vm %s --csv -a", id);
	out = run(args, &status);
	stats_load_vm(va, &sa);
	stats_load(SYSTEM_STATS, &sys);
	ok = check_u64(status, 0, "kvm-exitstat --vm: exit status");
	ok &= same_as_file(rows, parse_csv(out, rows, MAX_ROWS), &sa, "VM A");
	ok &= check(strstr(out, ",vm,") != NULL, "per-VM CSV does not say scope vm");
	ok &= check(sa.total.count != sys.total.count, "VM A's total equals the system's: no test");

	out = run("--list-vms --csv", &status);
	snprintf(list, sizeof(list), "\n%s,%d,%s,host_tool_test,,%llu\n", id, getpid(),
		 strchr(id, '-') + 1, (unsigned long long)sa.total.count);
	ok &= check(status == 0 && strstr(out, list), "--list-vms does not list %s", list + 1);
	snprintf(args, sizeof(args), "-p %d 2>/dev/null", getpid());
	run(args, &status);
	ok &= check_u64(status, 2, "-p PID of a process with two VMs: exit status");
	wl_destroy(va);
	wl_destroy(vb);
	kes_stats_free(&sa);
	kes_stats_free(&sys);
	return ok;
}

/*
 * Interval mode while a workload runs: the deltas add up to the file's
 * change.  The tool runs until the workload is over and the host has been
 * idle for a few intervals, then gets Ctrl-C (the interval it was in, which
 * it does not report, had no exits).
 */
static bool test_interval(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct kes_stats before, after;
	char *text, tmp[] = "/tmp/interval.csv";
	unsigned long long total = 0;
	size_t n, i, r;
	struct wl_vm *vm;
	int status;
	pid_t pid;
	bool ok = true;

	spec.n[WL_CPUID] = 20000;
	spec.n[WL_IO] = 2000;
	stats_load(SYSTEM_STATS, &before);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		execl("/bin/sh", "sh", "-c", "exec " TOOL " -i 0.2 --csv > /tmp/interval.csv 2>/tmp/interval.err",
		      (char *)NULL);
		_exit(127);
	}
	usleep(300 * 1000);		/* the tool has read its first file */
	vm = wl_create(&spec);
	wl_run(vm);
	wl_destroy(vm);
	usleep(700 * 1000);		/* at least two intervals with no exits */
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	stats_load(SYSTEM_STATS, &after);
	ok &= check_u64(WEXITSTATUS(status), 0, "kvm-exitstat -i: exit status");

	{
		FILE *f = fopen(tmp, "r");

		text = malloc(OUT_SIZE);
		TEST_ASSERT(f && text, "no %s", tmp);
		text[fread(text, 1, OUT_SIZE - 1, f)] = '\0';
		fclose(f);
	}
	n = parse_csv(text, rows, MAX_ROWS);
	for (r = 0; r < after.nrows; r++) {
		unsigned long long sum = 0;

		for (i = 0; i < n; i++)
			if (isdigit((unsigned char)rows[i].reason[0]) &&
			    strtoul(rows[i].reason, NULL, 10) == after.rows[r].reason)
				sum += rows[i].count;
		ok &= check_u64(sum, stats_delta(&before, &after, after.rows[r].reason),
				"%s: the intervals' exits, against the file's change",
				after.rows[r].name);
	}
	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].reason, "-"))
			total += rows[i].count;
	ok &= check_u64(total, after.total.count - before.total.count,
			"TOTAL: the intervals' exits, against the file's change");
	ksft_print_msg("intervals of 0.2 s: %llu exits in all\n", total);
	free(text);
	kes_stats_free(&before);
	kes_stats_free(&after);
	return ok;
}

int main(void)
{
	rows = calloc(MAX_ROWS, sizeof(*rows));
	TEST_ASSERT(rows, "out of memory");
	ksft_print_header();
	ksft_set_plan(3);
	ksft_test_result(test_equals_raw(), "kvm-exitstat after a known workload: the raw file's numbers\n");
	ksft_test_result(test_per_vm(), "per-VM mode and --list-vms: that VM only\n");
	ksft_test_result(test_interval(), "interval mode: the deltas add up to the file's change\n");
	ksft_finished();
}
