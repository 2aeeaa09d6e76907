// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-exitstat: KVM's per-exit-reason VM-exit statistics, as a person and
 * a fleet want to read them (man kvm-exitstat).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "format.h"
#include "report.h"
#include "source.h"

#define PROG "kvm-exitstat"

enum format { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_PROMETHEUS };

struct options {
	struct kes_source src;
	bool all, list_vms, reset, dump;
	enum kes_sort sort;
	enum format format;
	const char *output;	/* -o FILE */
	const char *vm;		/* -p PID or --vm PID-FD */
	double interval;	/* -i SECONDS; 0: once */
	long count;		/* -n COUNT; 0: until Ctrl-C */
};

/* Set by SIGINT and SIGTERM: ends interval mode cleanly. */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-a] [-s count|time|avg|name] [--csv|--json|--prometheus [-o FILE]]\n"
		"                    [-p PID | --vm PID-FD] [-i SECONDS [-n COUNT]]\n"
		"       " PROG " --list-vms [--csv|--json]\n"
		"       " PROG " --reset | --dump [-p PID | --vm PID-FD]\n"
		"\n"
		"Shows KVM's VM-exit statistics per exit reason: exits, and the CPU cycles KVM\n"
		"spent handling them, system-wide (all VMs since boot or reset) or for one VM.\n"
		"\n"
		"  -a, --all             every reason the manual defines, not only those seen\n"
		"  -s, --sort KEY        count (default), time, avg or name\n"
		"  -i, --interval SECS   every SECS seconds (0.1 and up), the exits of that\n"
		"                        interval and their rate; Ctrl-C ends with a summary\n"
		"  -n, --count N         stop after N intervals\n"
		"  -p, --pid PID         the VM of process PID instead of all VMs\n"
		"      --vm PID-FD       the VM in debugfs folder PID-FD (see --list-vms)\n"
		"      --list-vms        the VMs: pid, fd, process name, exits\n"
		"      --csv, --json     CSV, or JSON (one object per line)\n"
		"      --prometheus      Prometheus text format (kvm_exits_total, ...)\n"
		"  -o, --output FILE     write to FILE, atomically (with --prometheus)\n"
		"      --reset           zero the statistics (all of them; needs root)\n"
		"      --dump            print them to the kernel log (needs root)\n"
		"      --debugfs DIR     where debugfs is mounted (/sys/kernel/debug)\n"
		"      --proc DIR        where procfs is mounted (/proc)\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit status: 0 success; 1 no statistics to read (debugfs not mounted, kernel\n"
		"without CONFIG_KVM_EXIT_STATS, a malformed file, the VM went away); 2 bad\n"
		"usage; 3 permission denied (run as root).\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "; see " PROG " --help\n");
	return KES_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { O_VM = 256, O_LIST, O_CSV, O_JSON, O_PROM, O_RESET, O_DUMP, O_DEBUGFS, O_PROC };
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "sort", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "vm", required_argument, NULL, O_VM },
		{ "list-vms", no_argument, NULL, O_LIST },
		{ "csv", no_argument, NULL, O_CSV },
		{ "json", no_argument, NULL, O_JSON },
		{ "prometheus", no_argument, NULL, O_PROM },
		{ "output", required_argument, NULL, 'o' },
		{ "reset", no_argument, NULL, O_RESET },
		{ "dump", no_argument, NULL, O_DUMP },
		{ "debugfs", required_argument, NULL, O_DEBUGFS },
		{ "proc", required_argument, NULL, O_PROC },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const sorts[] = { "count", "time", "avg", "name" };
	char *end;
	int c, i;

	while ((c = getopt_long(argc, argv, "as:i:n:p:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 's':
			for (i = 0; i < 4 && strcmp(optarg, sorts[i]); i++)
				;
			if (i == 4)
				return bad_usage("--sort takes count, time, avg or name, not \"%s\"", optarg);
			o->sort = (enum kes_sort)i;
			break;
		case 'i':
			o->interval = strtod(optarg, &end);
			if (!*optarg || *end || !isfinite(o->interval) || o->interval < 0.1 ||
			    o->interval > 86400)
				return bad_usage("--interval takes seconds from 0.1 to 86400, not \"%s\"", optarg);
			break;
		case 'n':
			o->count = strtol(optarg, &end, 10);
			if (!*optarg || *end || o->count < 1)
				return bad_usage("--count takes a number from 1 up, not \"%s\"", optarg);
			break;
		case 'p':
		case O_VM: o->vm = optarg; break;
		case O_LIST: o->list_vms = true; break;
		case O_CSV: o->format = FMT_CSV; break;
		case O_JSON: o->format = FMT_JSON; break;
		case O_PROM: o->format = FMT_PROMETHEUS; break;
		case 'o': o->output = optarg; break;
		case O_RESET: o->reset = true; break;
		case O_DUMP: o->dump = true; break;
		case O_DEBUGFS: o->src.debugfs = optarg; break;
		case O_PROC: o->src.proc = optarg; break;
		case 'h':
			usage(stdout);
			exit(KES_EXIT_OK);
		default:
			usage(stderr);
			return KES_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument \"%s\"", argv[optind]);
	if (o->count && !o->interval)
		return bad_usage("%s needs --interval", "--count");
	if (o->output && o->format != FMT_PROMETHEUS)
		return bad_usage("%s is for --prometheus", "--output");
	if (o->reset && o->vm)
		return bad_usage("%s resets every scope: it takes no VM", "--reset");
	if ((o->reset || o->dump) && (o->interval || o->list_vms || o->reset == o->dump))
		return bad_usage("%s is a command of its own", o->reset ? "--reset" : "--dump");
	return KES_EXIT_OK;
}

static double now(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Writes @rep in the chosen format to stdout, or atomically to -o FILE. */
static int emit(const struct options *o, const struct kes_report *rep, bool first)
{
	char tmp[4096];
	FILE *f = stdout;

	if (o->output) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", o->output, (int)getpid());
		f = fopen(tmp, "w");
		if (!f) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", tmp, strerror(errno));
			return KES_EXIT_UNAVAILABLE;
		}
	}
	switch (o->format) {
	case FMT_TABLE: kes_print_table(f, rep, first); break;
	case FMT_CSV: kes_print_csv(f, rep, first); break;
	case FMT_JSON: kes_print_json(f, rep); break;
	case FMT_PROMETHEUS: kes_print_prometheus(f, rep); break;
	}
	if (o->output) {
		if (fclose(f) || rename(tmp, o->output)) {
			fprintf(stderr, PROG ": cannot write %s: %s\n", o->output, strerror(errno));
			unlink(tmp);
			return KES_EXIT_UNAVAILABLE;
		}
	} else if (o->interval) {
		fflush(f);
	}
	return KES_EXIT_OK;
}

static int list_vms(const struct options *o)
{
	char (*exits)[24];
	struct kes_vm *vms;
	size_t n, i;
	int r = kes_list_vms(&o->src, &vms, &n);

	if (r)
		return r;
	exits = calloc(n ? n : 1, sizeof(*exits));
	if (!exits) {
		free(vms);
		return KES_EXIT_UNAVAILABLE;
	}
	for (i = 0; i < n; i++) {
		if (vms[i].exits == KES_EXITS_UNKNOWN)
			snprintf(exits[i], sizeof(exits[i]), "?");
		else
			snprintf(exits[i], sizeof(exits[i]), "%" PRIu64, vms[i].exits);
	}
	if (o->format == FMT_JSON) {
		printf("[");
		for (i = 0; i < n; i++)
			printf("%s{\"vm\":\"%s\",\"pid\":%d,\"fd\":%d,\"comm\":\"%s\",\"exits\":%s}",
			       i ? "," : "", vms[i].id, vms[i].pid, vms[i].fd, vms[i].comm,
			       vms[i].exits == KES_EXITS_UNKNOWN ? "null" : exits[i]);
		printf("]\n");
	} else if (o->format == FMT_CSV) {
		printf("vm,pid,fd,comm,exits\n");
		for (i = 0; i < n; i++)
			printf("%s,%d,%d,%s,%s\n", vms[i].id, vms[i].pid, vms[i].fd, vms[i].comm,
			       exits[i]);
	} else {
		printf("%-16s %8s %6s %-16s %14s\n", "VM", "PID", "FD", "COMMAND", "EXITS");
		for (i = 0; i < n; i++)
			printf("%-16s %8d %6d %-16s %14s\n", vms[i].id, vms[i].pid, vms[i].fd,
			       vms[i].comm, exits[i]);
		if (!n)
			printf("# no VMs\n");
	}
	free(exits);
	free(vms);
	return KES_EXIT_OK;
}

/* The report of @st (minus @before, over @seconds), labelled for @vm. */
static int make_report(const struct options *o, const struct kes_vm *vm, const struct kes_stats *st,
		       const struct kes_stats *before, double seconds, struct kes_report *rep)
{
	bool all = o->all || o->format == FMT_PROMETHEUS;

	if (kes_report_make(rep, st, before, seconds, all, o->sort)) {
		fprintf(stderr, PROG ": the statistics went back: were they reset? (%s)\n",
			vm ? vm->id : "system-wide");
		return KES_EXIT_UNAVAILABLE;
	}
	rep->scope = vm ? "vm" : "system";
	rep->vm = vm ? vm->id : NULL;
	rep->timestamp = now(CLOCK_REALTIME);
	return KES_EXIT_OK;
}

static int run_once(const struct options *o, const struct kes_vm *vm, const char *path)
{
	struct kes_report rep;
	struct kes_stats st;
	int r = kes_load(&o->src, path, vm ? vm->id : NULL, &st);

	if (r)
		return r;
	r = make_report(o, vm, &st, NULL, 0, &rep);
	if (!r)
		r = emit(o, &rep, true);
	kes_report_free(&rep);
	kes_stats_free(&st);
	return r;
}

/*
 * Every interval, the exits of that interval (or, for Prometheus, the
 * totals so far), until -n intervals or Ctrl-C; then a summary line.
 */
static int run_interval(const struct options *o, const struct kes_vm *vm, const char *path)
{
	struct kes_stats first, reading[2];
	struct kes_stats *before = &first;	/* the last reading */
	struct kes_report rep;
	struct timespec next;
	double t_first, t_before, t_after;
	long done = 0;
	int r;

	r = kes_load(&o->src, path, vm ? vm->id : NULL, &first);
	if (r)
		return r;
	t_first = t_before = now(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_MONOTONIC, &next);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop && (!o->count || done < o->count)) {
		struct kes_stats *after = &reading[done % 2];
		double ns = next.tv_nsec + fmod(o->interval, 1.0) * 1e9;

		next.tv_sec += (time_t)o->interval + (time_t)(ns / 1e9);
		next.tv_nsec = (long)fmod(ns, 1e9);
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		if (stop)
			break;
		r = kes_load(&o->src, path, vm ? vm->id : NULL, after);
		if (r)
			break;
		t_after = now(CLOCK_MONOTONIC);
		r = make_report(o, vm, after, o->format == FMT_PROMETHEUS ? NULL : before,
				t_after - t_before, &rep);
		if (!r)
			r = emit(o, &rep, done == 0);
		kes_report_free(&rep);
		if (before != &first)
			kes_stats_free(before);
		before = after;
		t_before = t_after;
		done++;
		if (r)
			break;
	}
	/* The summary: every interval together, from the first reading to the last. */
	if (done && !kes_report_make(&rep, before, &first, t_before - t_first, false, o->sort)) {
		fprintf(o->format == FMT_TABLE ? stdout : stderr,
			"# %ld interval%s, %.3f s: %" PRIu64 " exits, %.1f exits/s, %" PRIu64 " cycles\n",
			done, done == 1 ? "" : "s", t_before - t_first, rep.total.count,
			rep.total.per_second, rep.total.cycles);
		kes_report_free(&rep);
	}
	if (before != &first)
		kes_stats_free(before);
	kes_stats_free(&first);
	return r;
}

int main(int argc, char **argv)
{
	struct options o = { .src = { "/sys/kernel/debug", "/proc" } };
	struct kes_vm vm, *vmp = NULL;
	char path[600];
	int r;

	r = parse_args(argc, argv, &o);
	if (r)
		return r;
	if (o.list_vms)
		return list_vms(&o);
	kes_system_path(&o.src, path, sizeof(path));
	if (o.vm) {
		r = kes_find_vm(&o.src, o.vm, &vm);
		if (r)
			return r;
		vmp = &vm;
		snprintf(path, sizeof(path), "%s", vm.path);
	}
	if (o.reset || o.dump) {
		r = kes_control(&o.src, path, vmp ? vmp->id : NULL, o.reset ? "reset" : "dump");
		if (!r)
			printf("%s %s\n", o.reset ? "reset" : "dumped to the kernel log:",
			       vmp ? vmp->id : "system-wide statistics");
		return r;
	}
	return o.interval ? run_interval(&o, vmp, path) : run_once(&o, vmp, path);
}
