// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-exitstat-guest: the host's VM-exit statistics, read from inside a
 * guest through CPUID (docs/guest-abi.md, man kvm-exitstat-guest).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_reasons.h"
#include "query.h"

#define PROG "kvm-exitstat-guest"

enum { EXIT_OK = 0, EXIT_UNSUPPORTED = 1, EXIT_USAGE = 2 };

struct options {
	bool all, json, dump;
	char layout;		/* 0: the 64-bit leaves */
	enum kes_isa isa;	/* from --isa, when the host does not say */
	const char *reason;	/* --reason */
	const char *raw_leaf, *raw_ecx;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-a] [--json] [--layout a|b|c] [--isa vmx|svm]\n"
		"       " PROG " --reason N|NAME\n"
		"       " PROG " --raw LEAF [ECX]\n"
		"       " PROG " --dump\n"
		"\n"
		"Shows the host's VM-exit statistics (exits and KVM's handling cycles per\n"
		"exit reason), read through CPUID leaves 0x4ffffff0-0x4fffffff.\n"
		"\n"
		"  -a, --all          every reason the manual defines, not only those seen\n"
		"  -j, --json         JSON instead of a table\n"
		"  -l, --layout L     read the course layout L's leaves (32-bit counts)\n"
		"                     instead of the 64-bit ones, e.g. for a host of the course\n"
		"      --isa ISA      vmx or svm, when the host does not say (layout mode)\n"
		"  -r, --reason R     one exit reason, by number or name\n"
		"      --raw LEAF [ECX]  execute CPUID and print EAX EBX ECX EDX in hex\n"
		"  -d, --dump         ask the host to dump the statistics to its kernel log\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: 0 success, 1 the host provides no exit statistics, 2 bad usage.\n");
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (!*s || *end || errno || x > UINT32_MAX || *s == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "layout", required_argument, NULL, 'l' },
		{ "isa", required_argument, NULL, 'i' },
		{ "reason", required_argument, NULL, 'r' },
		{ "raw", required_argument, NULL, 'R' },
		{ "dump", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "ajl:r:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'j': o->json = true; break;
		case 'd': o->dump = true; break;
		case 'r': o->reason = optarg; break;
		case 'R': o->raw_leaf = optarg; break;
		case 'l':
			if (strlen(optarg) != 1 || optarg[0] < 'a' || optarg[0] > 'c') {
				fprintf(stderr, PROG ": --layout takes a, b or c, not \"%s\"\n", optarg);
				return -1;
			}
			o->layout = optarg[0];
			break;
		case 'i':
			o->isa = kes_isa_parse(optarg);
			if (!o->isa) {
				fprintf(stderr, PROG ": --isa takes vmx or svm, not \"%s\"\n", optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (o->raw_leaf && optind < argc)
		o->raw_ecx = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument \"%s\"; see " PROG " --help\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

static int do_raw(const struct options *o)
{
	uint32_t leaf, ecx = 0, r[4];

	if (parse_u32(o->raw_leaf, &leaf) || (o->raw_ecx && parse_u32(o->raw_ecx, &ecx))) {
		fprintf(stderr, PROG ": --raw takes a leaf and an optional ECX, as 32-bit numbers\n");
		return EXIT_USAGE;
	}
	kes_cpuid(leaf, ecx, r);
	printf("leaf 0x%08" PRIx32 " ecx 0x%08" PRIx32 ": eax=%08" PRIx32 " ebx=%08" PRIx32
	       " ecx=%08" PRIx32 " edx=%08" PRIx32 "\n", leaf, ecx, r[0], r[1], r[2], r[3]);
	return EXIT_OK;
}

/* The ISA of a host of the course, without the info leaf: the guest's vendor. */
static enum kes_isa vendor_isa(void)
{
	uint32_t r[4];

	kes_cpuid(0, 0, r);
	if (!memcmp(&r[1], "Genu", 4) && !memcmp(&r[3], "ineI", 4) && !memcmp(&r[2], "ntel", 4))
		return KES_ISA_VMX;
	if (!memcmp(&r[1], "Auth", 4) || !memcmp(&r[1], "Hygo", 4))
		return KES_ISA_SVM;
	return KES_ISA_NONE;
}

static int cmp_count_desc(const void *a, const void *b)
{
	const struct kes_reading *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->reason < y->reason ? -1 : x->reason > y->reason;
}

static const char *scope_name(enum kes_scope s)
{
	return s == KES_SCOPE_VM ? "vm" : s == KES_SCOPE_SYSTEM ? "system" : "off";
}

static void print_table(const struct kes_host *h, enum kes_isa isa, const struct options *o,
			const struct kes_reading *rd, size_t n, uint64_t tcount, uint64_t tcycles)
{
	bool cycles_known = o->layout != 'a', not_enabled = false;
	size_t i;

	if (h->found)
		printf("# host: isa=%s layout=%c scope=%s abi=%u%s\n", kes_isa_name(isa),
		       h->layout, scope_name(h->scope), h->abi, o->layout ? " (read with a course layout)" : "");
	else
		printf("# host of the course, layout %c, isa %s (as the guest's CPU vendor says)\n",
		       o->layout, kes_isa_name(isa));
	printf("%10s  %-26s %14s %18s %10s\n", "REASON", "NAME", "COUNT", "CYCLES", "AVG");
	for (i = 0; i < n; i++) {
		const struct kes_reading *r = &rd[i];
		const char *name = kes_reason_name(isa, r->reason);

		if (r->state == KES_NOT_ENABLED) {
			not_enabled = true;
			printf("%10" PRIu32 "  %-26s %14s %18s %10s\n", r->reason, name, "-", "-", "-");
		} else if (!cycles_known) {
			printf("%10" PRIu32 "  %-26s %14" PRIu64 " %18s %10s\n", r->reason, name,
			       r->count, "n/a", "n/a");
		} else {
			printf("%10" PRIu32 "  %-26s %14" PRIu64 " %18" PRIu64 " %10" PRIu64 "\n",
			       r->reason, name, r->count, r->cycles, r->count ? r->cycles / r->count : 0);
		}
	}
	printf("%10s  %-26s %14" PRIu64 " %18" PRIu64 " %10" PRIu64 "\n", "", "TOTAL", tcount,
	       tcycles, tcount ? tcycles / tcount : 0);
	if (not_enabled)
		printf("# -: KVM does not enable this exit on the host\n");
	if (!cycles_known)
		printf("# n/a: layout a has no leaf for the cycles of one reason\n");
	printf("# each CPUID this tool executes is an exit too, counted before the next read\n");
}

/* The totals as they were before the reasons were read, and after. */
struct totals {
	uint64_t start_count, start_cycles, count, cycles;
};

static void print_json(const struct kes_host *h, enum kes_isa isa, const struct options *o,
		       const struct kes_reading *rd, size_t n, const struct totals *t)
{
	size_t i;

	printf("{\"isa\":\"%s\",", kes_isa_name(isa));
	if (h->found)
		printf("\"layout\":\"%c\",\"scope\":\"%s\",\"abi\":%u,", h->layout,
		       scope_name(h->scope), h->abi);
	if (o->layout)
		printf("\"read_with_layout\":\"%c\",", o->layout);
	printf("\"reasons\":[");
	for (i = 0; i < n; i++) {
		const struct kes_reading *r = &rd[i];

		printf("%s{\"reason\":%" PRIu32 ",\"name\":\"%s\",\"enabled\":%s,\"count\":%" PRIu64,
		       i ? "," : "", r->reason, kes_reason_name(isa, r->reason),
		       r->state == KES_NOT_ENABLED ? "false" : "true", r->count);
		if (o->layout != 'a')
			printf(",\"cycles\":%" PRIu64 ",\"avg_cycles\":%" PRIu64, r->cycles,
			       r->count ? r->cycles / r->count : 0);
		printf("}");
	}
	printf("],\"total_at_start\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64 "}",
	       t->start_count, t->start_cycles);
	printf(",\"total\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64 "}}\n", t->count, t->cycles);
}

static int do_reason(const struct kes_reader *rd, enum kes_isa isa, const char *arg)
{
	struct kes_reading r;
	uint32_t nr;

	if (parse_u32(arg, &nr) && kes_reason_by_name(isa, arg, &nr)) {
		fprintf(stderr, PROG ": \"%s\" is neither a number nor a %s exit reason name\n",
			arg, kes_isa_name(isa));
		return EXIT_USAGE;
	}
	kes_read_reason(rd, nr, &r);
	switch (r.state) {
	case KES_UNDEFINED:
		printf("%" PRIu32 ": the %s manual does not define this exit reason\n", nr,
		       kes_isa_name(isa));
		break;
	case KES_NOT_ENABLED:
		printf("%" PRIu32 " %s: KVM does not enable this exit on the host\n", nr,
		       kes_reason_name(isa, nr));
		break;
	case KES_COUNTED:
		printf("%" PRIu32 " %s: count %" PRIu64, nr, kes_reason_name(isa, nr), r.count);
		if (rd->layout != 'a')
			printf(" cycles %" PRIu64 " avg %" PRIu64, r.cycles,
			       r.count ? r.cycles / r.count : 0);
		printf("\n");
		break;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct kes_reader rd = { kes_cpuid, 0 };
	struct kes_reading *readings;
	const struct kes_reason *t;
	struct totals tot;
	struct kes_host h;
	enum kes_isa isa;
	size_t i, n, shown = 0;

	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	if (o.raw_leaf)
		return do_raw(&o);

	kes_probe(kes_cpuid, &h);
	if (!h.found && !o.layout) {
		fprintf(stderr, PROG ": this host provides no VM-exit statistics: CPUID 0x4ffffff0 "
			"does not say \"KVMExitStats\".\n  The host needs a kernel with "
			"CONFIG_KVM_EXIT_STATS and kvm.exit_stats_cpuid=vm or system;\n  for a host "
			"of the course without that leaf, say --layout a|b|c.\n");
		return EXIT_UNSUPPORTED;
	}
	if (o.dump) {
		unsigned int why = kes_dump(kes_cpuid);

		if (why)
			fprintf(stderr, PROG ": the host did not dump: %s\n",
				why == KVM_EXIT_STATS_DUMP_OFF ?
				"guest dumps are off (kvm.exit_stats_cpuid_dump=0)" :
				"rate-limited: at most one dump every 5 seconds");
		else
			printf("the host dumped its statistics to its kernel log\n");
		return why ? EXIT_UNSUPPORTED : EXIT_OK;
	}
	isa = h.found ? h.isa : o.isa ? o.isa : vendor_isa();
	if (!isa) {
		fprintf(stderr, PROG ": cannot tell whether the host is VMX or SVM: say --isa\n");
		return EXIT_USAGE;
	}
	if (h.found && o.layout && o.layout != h.layout)
		fprintf(stderr, PROG ": warning: the host answers with layout %c, not %c\n",
			h.layout, o.layout);
	rd.layout = o.layout;
	if (o.reason)
		return do_reason(&rd, isa, o.reason);

	t = kes_reasons(isa, &n);
	readings = calloc(n, sizeof(*readings));
	if (!readings) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_UNSUPPORTED;
	}
	/* Totals before and after: every reading happened in between. */
	kes_read_totals(&rd, &tot.start_count, &tot.start_cycles);
	for (i = 0; i < n; i++) {
		kes_read_reason(&rd, t[i].nr, &readings[shown]);
		if (o.all || readings[shown].count)
			shown++;
	}
	kes_read_totals(&rd, &tot.count, &tot.cycles);
	qsort(readings, shown, sizeof(*readings), cmp_count_desc);
	if (o.json)
		print_json(&h, isa, &o, readings, shown, &tot);
	else
		print_table(&h, isa, &o, readings, shown, tot.count, tot.cycles);
	free(readings);
	return EXIT_OK;
}
