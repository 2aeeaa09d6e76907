// SPDX-License-Identifier: GPL-2.0
/* kvm-exitstat's command line: options, and the ones that do not go together. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "escape.h"

#define PROG "kvm-exitstat"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-a] [-s KEY] [-r LIST] [-z] [-w | --csv | --json]\n"
		"                    [-p PID | --vm PID-FD | -g NAME]\n"
		"                    [-i SECONDS [-n COUNT]] [WHERE]\n"
		"       " PROG " --vcpu[=N] -p PID | --vm PID-FD | -g NAME [-a] [-s KEY]\n"
		"                    [-w | --csv | --json] [WHERE]\n"
		"       " PROG " --prometheus [--all-series] [-o FILE]\n"
		"                    [-p PID | --vm PID-FD | -g NAME]\n"
		"                    [-i SECONDS [-n COUNT]] [WHERE]\n"
		"       " PROG " -f FILE [-f LATER-FILE] [-a] [-s KEY] [-w | --csv | --json]\n"
		"       " PROG " -f FILE --prometheus [-o FILE]\n"
		"       " PROG " --hist[=REASON] [-p PID | --vm PID-FD | -g NAME [--vcpu[=N]]] [WHERE]\n"
		"       " PROG " --hist[=REASON] -f FILE\n"
		"       " PROG " --list-vms [--csv | --json] [WHERE]\n"
		"       " PROG " --reset [WHERE]\n"
		"       " PROG " --dump [-p PID | --vm PID-FD | -g NAME] [WHERE]\n"
		"       " PROG " --guest-access ACCESS -p PID | --vm PID-FD | -g NAME [WHERE]\n"
		"WHERE: --debugfs DIR, --proc DIR, --securityfs DIR, --sysfs DIR (below)\n"
		"\n"
		"Shows KVM's VM-exit statistics per exit reason: exits, and the CPU cycles KVM\n"
		"spent handling them, system-wide (all VMs since boot or reset) or for one VM.\n"
		"Reasons are numbered as the manuals do: Intel's in decimal, AMD's in hex.\n"
		"\n"
		"  -a, --all             every reason the manual defines, not only those seen\n"
		"  -s, --sort KEY        count (default), time, avg or name\n"
		"  -w, --wide            the table with cycles too (about 150 columns)\n"
		"  -r, --reason LIST     only these reasons: names, numbers (0x for hex) or\n"
		"                        patterns (* ? [...]), comma-separated; TOTAL stays all\n"
		"  -z, --skip-zero       no reason without exits, even with -a\n"
		"  -i, --interval SECS   every SECS seconds (0.1 and up), the exits of that\n"
		"                        interval and their rate, beside those since boot or\n"
		"                        reset (SINCE_RESET); Ctrl-C ends with a summary\n"
		"  -n, --count N         stop after N intervals\n"
		"  -p, --pid PID         the VM of process PID instead of all VMs; PID,PID...\n"
		"                        or -p again: several, one report each\n"
		"      --vm PID-FD       the VM in debugfs folder PID-FD (see --list-vms)\n"
		"  -g, --guest NAME      the VM whose guest is named NAME (QEMU -name)\n"
		"      --vcpu[=N]        that VM's vCPUs, one block each, or vCPU N alone\n"
		"  -f, --file FILE       a saved exit_stats file instead of debugfs (- for stdin);\n"
		"                        twice: the exits from the first file to the second\n"
		"      --hist[=REASON]   with kvm.exit_stats=hist: the percentiles of each reason's\n"
		"                        exit-to-entry and in-KVM times, or REASON's histograms\n"
		"                        (a name or number); -f reads a saved exit_stats_hist\n"
		"      --list-vms        the VMs: debugfs folder, pid, fd, process, guest, exits\n"
		"      --csv, --json     CSV, or JSON (one object per line)\n"
		"      --prometheus      Prometheus text format: system-wide and every VM's series\n"
		"  -o, --output FILE     with --prometheus: write FILE atomically\n"
		"      --all-series      with --prometheus: every family per VM, both histograms\n"
		"                        (default: a fleet's export, each VM's exits and\n"
		"                        exit-to-entry, the exit-to-entry histograms)\n"
		"      --reset           zero the statistics (all of them)\n"
		"      --dump            print them to the kernel log\n"
		"      --guest-access A  what the VM's guest may read through CPUID: off, vm,\n"
		"                        vm,user, system or system,user (,user: its user space too)\n"
		"      --debugfs DIR     where debugfs is mounted (/sys/kernel/debug)\n"
		"      --proc DIR        where procfs is mounted (/proc)\n"
		"      --securityfs DIR  where securityfs is mounted (/sys/kernel/security)\n"
		"      --sysfs DIR       where sysfs is mounted (/sys)\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit status: 0 success; 1 a malformed file, or another failure; 2 bad usage;\n"
		"3 permission denied (run as root), or --guest-access beyond what the host's\n"
		"kvm.exit_stats_cpuid allows; 4 the kernel is in lockdown; 5 debugfs is not\n"
		"mounted; 6 no exit statistics in this kernel, or KVM is not loaded; 7 no such\n"
		"VM; 8 an I/O error; 9 a directory where a file was expected.\n");
}

/* Every option, as a bit, for the checks of what goes together. */
enum opt {
	O_ALL, O_SORT, O_WIDE, O_INTERVAL, O_COUNT, O_PID, O_VM, O_GUEST, O_FILE, O_LIST,
	O_CSV, O_JSON, O_PROM, O_OUTPUT, O_RESET, O_DUMP, O_ACCESS, O_DEBUGFS, O_PROC,
	O_SECURITYFS, O_SYSFS, O_VCPU, O_HIST, O_REASON, O_ZERO, O_SERIES, O_N
};

static const char *const opt_name[O_N] = {
	"-a", "-s", "-w", "-i", "-n", "-p", "--vm", "-g", "-f", "--list-vms", "--csv",
	"--json", "--prometheus", "-o", "--reset", "--dump", "--guest-access", "--debugfs",
	"--proc", "--securityfs", "--sysfs", "--vcpu", "--hist", "-r", "-z", "--all-series",
};

#define BIT(o) (1u << (o))
#define PLACES (BIT(O_DEBUGFS) | BIT(O_PROC) | BIT(O_SECURITYFS) | BIT(O_SYSFS))
#define A_VM (BIT(O_PID) | BIT(O_VM) | BIT(O_GUEST))
#define ROWS (BIT(O_ALL) | BIT(O_SORT) | BIT(O_REASON) | BIT(O_ZERO))

/* A command and the options it takes. */
static const struct { enum opt cmd; unsigned int takes; } commands[] = {
	{ O_LIST, BIT(O_CSV) | BIT(O_JSON) | PLACES },
	{ O_RESET, PLACES },
	{ O_DUMP, A_VM | PLACES },
	{ O_ACCESS, A_VM | PLACES },
	{ O_VCPU, A_VM | ROWS | BIT(O_WIDE) | BIT(O_CSV) | BIT(O_JSON) | BIT(O_HIST) | PLACES },
	{ O_FILE, ROWS | BIT(O_WIDE) | BIT(O_CSV) | BIT(O_JSON) | BIT(O_PROM) | BIT(O_OUTPUT) |
		  BIT(O_SERIES) | BIT(O_HIST) },
	{ O_HIST, A_VM | BIT(O_VCPU) | BIT(O_FILE) | PLACES },
};

/* Groups of options of which one at most may be given. */
static const unsigned int one_of[] = {
	BIT(O_CSV) | BIT(O_JSON) | BIT(O_PROM) | BIT(O_WIDE),
	A_VM,
};

static int bad_usage(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, PROG ": ");
	kes_fprintf_escaped(stderr, KES_ESC_TEXT, fmt, a, b);	/* the user's words, escaped */
	fprintf(stderr, "; see " PROG " --help\n");
	return KES_EXIT_USAGE;
}

/* The first option in @mask. */
static const char *first(unsigned int mask)
{
	int i;

	for (i = 0; i < O_N; i++)
		if (mask & BIT(i))
			return opt_name[i];
	return "?";
}

/* Adds the VMs of @arg (a comma list if @list) to o->vms; -1 if it cannot. */
static int add_vms(struct kes_options *o, const char *arg, bool list)
{
	size_t used = 0, len = strlen(arg);
	char *p, *item, *save = NULL;
	int i;

	for (i = 0; i < o->nvms; i++)
		used += strlen(o->vms[i]) + 1;
	if (!len || used + len + 1 > sizeof(o->vm_text) ||
	    (list && (*arg == ',' || arg[len - 1] == ',' || strstr(arg, ",,"))))
		return -1;
	p = o->vm_text + used;
	memcpy(p, arg, len + 1);
	for (item = list ? strtok_r(p, ",", &save) : p; item;
	     item = list ? strtok_r(NULL, ",", &save) : NULL) {
		if (o->nvms == KES_MAX_VMS)
			return -1;
		o->vms[o->nvms++] = item;
	}
	o->vm = o->vms[0];
	return 0;
}

static int check_together(unsigned int seen)
{
	size_t i;

	if ((seen & BIT(O_RESET)) && (seen & A_VM))
		return bad_usage("--reset zeroes every scope, system-wide and every VM's: it "
				 "takes no %s%s", first(seen & A_VM), "");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		unsigned int extra = seen & ~commands[i].takes & ~BIT(commands[i].cmd);

		if ((seen & BIT(commands[i].cmd)) && extra)
			return bad_usage("%s does not go with %s", opt_name[commands[i].cmd],
					 first(extra));
	}
	for (i = 0; i < sizeof(one_of) / sizeof(one_of[0]); i++) {
		unsigned int both = seen & one_of[i];

		if (both & (both - 1))
			return bad_usage("%s and %s do not go together: give one", first(both),
					 first(both & (both - 1)));
	}
	if ((seen & BIT(O_COUNT)) && !(seen & BIT(O_INTERVAL)))
		return bad_usage("%s needs %s", "-n", "-i");
	if ((seen & BIT(O_OUTPUT)) && !(seen & BIT(O_PROM)))
		return bad_usage("%s is for %s", "-o", "--prometheus");
	if ((seen & BIT(O_SERIES)) && !(seen & BIT(O_PROM)))
		return bad_usage("%s is for %s", "--all-series", "--prometheus");
	if ((seen & BIT(O_PROM)) && (seen & ROWS))
		return bad_usage("--prometheus exports every reason, unsorted: it takes no %s%s",
				 first(seen & ROWS), "");
	if ((seen & BIT(O_HIST)) && (seen & (BIT(O_REASON) | BIT(O_ZERO))))
		return bad_usage("--hist takes no %s: --hist=REASON shows one reason%s",
				 first(seen & (BIT(O_REASON) | BIT(O_ZERO))), "");
	if ((seen & BIT(O_ACCESS)) && !(seen & A_VM))
		return bad_usage("%s is set per VM: say which with %s", "--guest-access",
				 "-p PID, --vm PID-FD or -g NAME");
	if ((seen & BIT(O_VCPU)) && !(seen & A_VM))
		return bad_usage("%s shows one VM's vCPUs: say which VM with %s", "--vcpu",
				 "-p PID, --vm PID-FD or -g NAME");
	return KES_EXIT_OK;
}

int kes_parse_options(int argc, char **argv, struct kes_options *o)
{
	enum { L_VM = 256, L_LIST, L_CSV, L_JSON, L_PROM, L_RESET, L_DUMP, L_ACCESS,
	       L_DEBUGFS, L_PROC, L_SECURITYFS, L_SYSFS, L_VCPU, L_HIST, L_SERIES };
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "sort", required_argument, NULL, 's' },
		{ "wide", no_argument, NULL, 'w' },
		{ "reason", required_argument, NULL, 'r' },
		{ "skip-zero", no_argument, NULL, 'z' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "pid", required_argument, NULL, 'p' },
		{ "vm", required_argument, NULL, L_VM },
		{ "guest", required_argument, NULL, 'g' },
		{ "file", required_argument, NULL, 'f' },
		{ "list-vms", no_argument, NULL, L_LIST },
		{ "csv", no_argument, NULL, L_CSV },
		{ "json", no_argument, NULL, L_JSON },
		{ "prometheus", no_argument, NULL, L_PROM },
		{ "all-series", no_argument, NULL, L_SERIES },
		{ "output", required_argument, NULL, 'o' },
		{ "reset", no_argument, NULL, L_RESET },
		{ "dump", no_argument, NULL, L_DUMP },
		{ "guest-access", required_argument, NULL, L_ACCESS },
		{ "debugfs", required_argument, NULL, L_DEBUGFS },
		{ "proc", required_argument, NULL, L_PROC },
		{ "securityfs", required_argument, NULL, L_SECURITYFS },
		{ "sysfs", required_argument, NULL, L_SYSFS },
		{ "vcpu", optional_argument, NULL, L_VCPU },
		{ "hist", optional_argument, NULL, L_HIST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const sorts[] = { "count", "time", "avg", "name" };
	unsigned int seen = 0;
	char *end;
	int c, i;

	while ((c = getopt_long(argc, argv, "as:wr:zi:n:p:g:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': seen |= BIT(O_ALL); o->all = true; break;
		case 's':
			seen |= BIT(O_SORT);
			for (i = 0; i < 4 && strcmp(optarg, sorts[i]); i++)
				;
			if (i == 4)
				return bad_usage("--sort takes count, time, avg or name, not \"%s\"%s",
						 optarg, "");
			o->sort = (enum kes_sort)i;
			break;
		case 'w': seen |= BIT(O_WIDE); o->wide = true; break;
		case 'r': {
			const char *bad = "";

			seen |= BIT(O_REASON);
			switch (kes_filter_add(&o->filter, optarg, &bad)) {
			case KES_FILTER_OK:
				break;
			case KES_FILTER_EMPTY:
				return bad_usage("--reason \"%s\" has an empty item: names, numbers or "
						 "patterns, separated by commas%s", optarg, "");
			case KES_FILTER_UNKNOWN:
				return bad_usage("--reason: neither vmx nor svm has an exit reason named "
						 "\"%s\" (a pattern needs * ? or [...])%s", bad, "");
			case KES_FILTER_TOO_MUCH:
				return bad_usage("--reason: too many reasons (%s items, 1023 characters "
						 "at most)%s", "64", "");
			}
			break;
		}
		case 'z': seen |= BIT(O_ZERO); o->skip_zero = true; break;
		case 'i':
			seen |= BIT(O_INTERVAL);
			o->interval = strtod(optarg, &end);
			if (!*optarg || *end || !isfinite(o->interval) || o->interval < 0.1 ||
			    o->interval > 86400)
				return bad_usage("--interval takes seconds from 0.1 to 86400, not \"%s\"%s",
						 optarg, "");
			break;
		case 'n':
			seen |= BIT(O_COUNT);
			errno = 0;
			o->count = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno || o->count < 1) {
				char max[24];

				snprintf(max, sizeof(max), "%ld", LONG_MAX);
				return bad_usage("--count takes a number from 1 to %s, not \"%s\"",
						 max, optarg);
			}
			break;
		case 'p':
		case 'g':
		case L_VM: {
			enum opt which = c == 'p' ? O_PID : c == 'g' ? O_GUEST : O_VM;

			seen |= BIT(which);
			/* -p and --vm take lists: a guest's name may have commas */
			if (add_vms(o, optarg, c != 'g'))
				return bad_usage("%s \"%s\": an empty item, or more than 64 VMs in all",
						 opt_name[which], optarg);
			o->vm_by = c == 'p' ? KES_VM_BY_PID : c == 'g' ? KES_VM_BY_GUEST : KES_VM_BY_ID;
			break;
		}
		case 'f':
			seen |= BIT(O_FILE);
			if (o->nfiles == 2)
				return bad_usage("-f takes one file, or two to compare, not three%s%s", "", "");
			o->files[o->nfiles++] = optarg;
			break;
		case L_LIST: seen |= BIT(O_LIST); break;
		case L_CSV: seen |= BIT(O_CSV); o->output = KES_OUT_CSV; break;
		case L_JSON: seen |= BIT(O_JSON); o->output = KES_OUT_JSON; break;
		case L_PROM: seen |= BIT(O_PROM); o->output = KES_OUT_PROMETHEUS; break;
		case L_SERIES: seen |= BIT(O_SERIES); o->all_series = true; break;
		case 'o': seen |= BIT(O_OUTPUT); o->output_file = optarg; break;
		case L_RESET: seen |= BIT(O_RESET); break;
		case L_DUMP: seen |= BIT(O_DUMP); break;
		case L_ACCESS:
			seen |= BIT(O_ACCESS);
			if (!kes_guest_access_valid(optarg))
				return bad_usage("--guest-access takes off, vm, vm,user, system or "
						 "system,user, not \"%s\"%s", optarg, "");
			o->access = optarg;
			break;
		case L_DEBUGFS: seen |= BIT(O_DEBUGFS); o->src.debugfs = optarg; break;
		case L_PROC: seen |= BIT(O_PROC); o->src.proc = optarg; break;
		case L_SECURITYFS: seen |= BIT(O_SECURITYFS); o->src.securityfs = optarg; break;
		case L_SYSFS: seen |= BIT(O_SYSFS); o->src.sysfs = optarg; break;
		case L_VCPU:
			seen |= BIT(O_VCPU);
			o->vcpus = true;
			o->vcpu = -1;
			if (!optarg)
				break;
			errno = 0;
			o->vcpu = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno || o->vcpu < 0 || o->vcpu > INT_MAX)
				return bad_usage("--vcpu=N takes a vCPU id, 0 or more, not \"%s\"%s",
						 optarg, "");
			break;
		case L_HIST:
			seen |= BIT(O_HIST);
			o->hist = optarg;
			if (optarg && !*optarg)
				return bad_usage("--hist=REASON takes a reason's name or number%s%s",
						 "", "");
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return KES_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument \"%s\"%s", argv[optind],
				 strspn(argv[optind], "0123456789") == strlen(argv[optind]) ?
				 " (-p takes process ids separated by commas: -p 123,456)" : "");
	if (o->nfiles == 2 && (seen & BIT(O_HIST)))
		return bad_usage("--hist shows one file's histograms: give one -f%s%s", "", "");
	if (o->nfiles == 2 && (seen & BIT(O_PROM)))
		return bad_usage("--prometheus exports totals, not the difference of two files: give one -f%s%s", "", "");
	if (o->nfiles == 2 && !strcmp(o->files[0], "-") && !strcmp(o->files[1], "-"))
		return bad_usage("-f - reads standard input, which can be read once%s%s", "", "");
	if (o->nvms > 1 && (seen & (BIT(O_VCPU) | BIT(O_PROM) | BIT(O_HIST) | BIT(O_DUMP) |
				     BIT(O_ACCESS))))
		return bad_usage("%s is for one VM: name one, not %s", first(seen & (BIT(O_VCPU) |
				 BIT(O_PROM) | BIT(O_HIST) | BIT(O_DUMP) | BIT(O_ACCESS))), "several");
	o->mode = seen & BIT(O_LIST) ? KES_MODE_LIST : seen & BIT(O_RESET) ? KES_MODE_RESET :
		  seen & BIT(O_DUMP) ? KES_MODE_DUMP : seen & BIT(O_ACCESS) ? KES_MODE_ACCESS :
		  seen & BIT(O_HIST) ? KES_MODE_HIST : KES_MODE_REPORT;
	return check_together(seen);
}
