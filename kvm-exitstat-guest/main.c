// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-exitstat-guest: the host's VM-exit statistics, read from inside a
 * guest through CPUID (docs/guest-abi.md, man kvm-exitstat-guest).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "exit_reasons.h"
#include "output.h"
#include "query.h"

#define PROG "kvm-exitstat-guest"
#define DEVICE "/dev/cpu/0/cpuid"

enum { EXIT_OK = 0, EXIT_UNSUPPORTED = 1, EXIT_USAGE = 2 };

enum via_choice { VIA_AUTO, VIA_INSTRUCTION, VIA_DEVICE };

struct options {
	bool all, json, dump;
	char layout;		/* 0: the 64-bit leaves */
	enum kes_isa isa;	/* from --isa, when the host does not say */
	enum via_choice via;
	const char *device;	/* --cpuid-device */
	const char *reason;	/* --reason */
	const char *raw_leaf, *raw_ecx;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-a] [--json] [--layout a|b|c [--isa vmx|svm]] [--via HOW]\n"
		"       " PROG " --reason N|NAME [--layout a|b|c [--isa vmx|svm]] [--via HOW]\n"
		"       " PROG " --raw LEAF [ECX] [--via HOW]\n"
		"       " PROG " --dump [--via HOW]\n"
		"\n"
		"Shows the host's VM-exit statistics (exits and KVM's handling cycles per\n"
		"exit reason), read through CPUID leaves 0x4ffffff0-0x4fffffff.\n"
		"\n"
		"  -a, --all          every reason the manual defines, not only those seen\n"
		"  -j, --json         JSON instead of a table\n"
		"  -l, --layout L     read only the leaves 0x4ffffffc-0x4fffffff, as a host\n"
		"                     arranges them in layout L: which of those four leaf\n"
		"                     numbers give the total exits, the total cycles, one\n"
		"                     reason's exits and its cycles (a, b or c; counts are\n"
		"                     32 bits; docs/guest-abi.md), for a host that answers\n"
		"                     only those leaves\n"
		"      --isa ISA      vmx or svm, for such a host (default: the CPU's vendor)\n"
		"  -r, --reason R     one exit reason, by number (decimal or 0x hex) or name\n"
		"                     (any case); one line of text, without -a or --json\n"
		"      --raw LEAF [ECX]  execute CPUID and print EAX EBX ECX EDX in hex (LEAF\n"
		"                     and ECX: decimal or 0x hex)\n"
		"  -d, --dump         ask the host to dump the statistics to its kernel log\n"
		"      --via HOW      how to execute CPUID: instruction (from this program),\n"
		"                     device (by the kernel, through " DEVICE ": needs\n"
		"                     root and the cpuid module), or auto (the default: the\n"
		"                     instruction, then the device if the instruction does not\n"
		"                     find the statistics)\n"
		"      --cpuid-device PATH  the device (default " DEVICE "); another\n"
		"                     path only for tests, with a shim that answers as the\n"
		"                     device does\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: 0 success, 1 the host provides no exit statistics to this\n"
		"program (or refused the dump), 2 bad usage.\n");
}

/* A 32-bit number, decimal or 0x hex: digits only (leading zeros are decimal). */
static int parse_u32(const char *s, uint32_t *v)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned long long x;
	char *end;

	if (!*digits || digits[strspn(digits, hex ? "0123456789abcdefABCDEF" : "0123456789")])
		return -1;
	errno = 0;
	x = strtoull(digits, &end, hex ? 16 : 10);
	if (*end || errno || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* "kvm-exitstat-guest: MESSAGE" on stderr, control characters (of paths) as '?'. */
static void __attribute__((format(printf, 1, 2))) complain(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	kes_vfprintf_escaped(stderr, KES_ESC_TEXT, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * @arg as a reason: a number, or a name of @isa's table (any case), or of
 * either ISA's while the host has not said which it is (KES_ISA_NONE).
 */
static bool reason_arg(const char *arg, enum kes_isa isa, uint32_t *nr)
{
	if (!parse_u32(arg, nr))
		return true;
	if (isa)
		return !kes_reason_by_name(isa, arg, nr);
	return !kes_reason_by_name(KES_ISA_VMX, arg, nr) || !kes_reason_by_name(KES_ISA_SVM, arg, nr);
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	kes_fprintf_escaped(stderr, KES_ESC_TEXT, fmt, arg);
	fprintf(stderr, "; see " PROG " --help\n");
	return -1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { L_ISA = 256, L_RAW, L_VIA, L_DEVICE };
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "layout", required_argument, NULL, 'l' },
		{ "isa", required_argument, NULL, L_ISA },
		{ "reason", required_argument, NULL, 'r' },
		{ "raw", required_argument, NULL, L_RAW },
		{ "dump", no_argument, NULL, 'd' },
		{ "via", required_argument, NULL, L_VIA },
		{ "cpuid-device", required_argument, NULL, L_DEVICE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t nr;
	int c;

	while ((c = getopt_long(argc, argv, "ajl:r:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->all = true; break;
		case 'j': o->json = true; break;
		case 'd': o->dump = true; break;
		case 'r': o->reason = optarg; break;
		case L_RAW: o->raw_leaf = optarg; break;
		case L_DEVICE: o->device = optarg; break;
		case 'l':
			if (strlen(optarg) != 1 || optarg[0] < 'a' || optarg[0] > 'c')
				return bad("--layout takes a, b or c, not \"%s\"", optarg);
			o->layout = optarg[0];
			break;
		case L_ISA:
			o->isa = kes_isa_parse(optarg);
			if (!o->isa)
				return bad("--isa takes vmx or svm, not \"%s\"", optarg);
			break;
		case L_VIA:
			if (!strcmp(optarg, "auto"))
				o->via = VIA_AUTO;
			else if (!strcmp(optarg, "instruction"))
				o->via = VIA_INSTRUCTION;
			else if (!strcmp(optarg, "device"))
				o->via = VIA_DEVICE;
			else
				return bad("--via takes instruction, device or auto, not \"%s\"", optarg);
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
	if (optind < argc)
		return bad("unexpected argument \"%s\"", argv[optind]);
	if ((o->raw_leaf != NULL) + (o->reason != NULL) + o->dump > 1)
		return bad("%s: give one of --raw, --reason and --dump", "too many commands");
	if (o->isa && !o->layout)
		return bad("%s is for a host without the signature leaf: with --layout", "--isa");
	if ((o->raw_leaf || o->dump) && (o->all || o->json || o->layout))
		return bad("%s takes no -a, --json or --layout", o->raw_leaf ? "--raw" : "--dump");
	if (o->reason && (o->all || o->json))
		return bad("%s shows one reason in one line of text: it takes no -a or --json",
			   "--reason");
	/* before the host is asked anything: --isa, or a name of either ISA's */
	if (o->reason && o->isa && !reason_arg(o->reason, o->isa, &nr)) {
		complain("\"%s\" is neither a number nor a %s exit reason name", o->reason,
			 kes_isa_name(o->isa));
		return -1;
	}
	if (o->reason && !reason_arg(o->reason, KES_ISA_NONE, &nr))
		return bad("\"%s\" is neither a number nor the name of an exit reason (of vmx or svm)",
			   o->reason);
	return 0;
}

/* Why the device cannot be used, in words, after @err. */
static const char *device_trouble(int err)
{
	switch (err) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		return "not there: load the driver with modprobe cpuid";
	case EACCES:
	case EPERM:
		return "permission denied: run as root";
	default:
		return strerror(err);
	}
}

/*
 * Finds the statistics: with the instruction, then through the device
 * (as --via says).  Returns 0 with @cpu set up, or 1 with a message.
 */
static int find_host(const struct options *o, struct kes_cpu *cpu, struct kes_host *h)
{
	int dev_err = -1;	/* -1: not tried */

	cpu->via = KES_VIA_INSTRUCTION;
	cpu->insn = kes_cpuid;
	cpu->fd = -1;
	if (o->via != VIA_DEVICE) {
		kes_probe(cpu, h);
		if (h->found || o->via == VIA_INSTRUCTION)
			goto done;
	}
	dev_err = kes_cpu_open_device(cpu, o->device);
	if (!dev_err) {
		kes_probe(cpu, h);
		if (h->found)
			return 0;
		dev_err = cpu->err;	/* 0: it answered, without the signature */
		if (o->via != VIA_DEVICE)
			kes_cpu_close(cpu);
	}
	if (o->via == VIA_DEVICE && dev_err) {
		complain("cannot use %s: %s", o->device, device_trouble(dev_err));
		return EXIT_UNSUPPORTED;
	}
done:
	if (h->found || o->layout)
		return 0;
	fprintf(stderr, PROG ": this host provides no VM-exit statistics to this program: CPUID "
		"0x4ffffff0 does not say \"KVMExitStats\"\n");
	if (o->via != VIA_DEVICE)
		fprintf(stderr, "  - executed by this program (the CPUID instruction, from user space)\n");
	if (o->via != VIA_INSTRUCTION) {
		fputs("  - executed by the kernel through ", stderr);
		kes_fprintf_escaped(stderr, KES_ESC_TEXT, "%s: %s", o->device,
				    dev_err ? device_trouble(dev_err) : "the same");
		fputc('\n', stderr);
	}
	fputs("It may be that\n"
	      "  - the host's kernel has no exit statistics (CONFIG_KVM_EXIT_STATS, the\n"
	      "    kvm-exit-stats change), or\n"
	      "  - the host has not enabled them for this VM (on the host:\n"
	      "    kvm-exitstat --vm PID-FD --guest-access vm), or\n"
	      "  - the host enabled them for this guest's kernel only: then run this tool\n"
	      "    as root with the cpuid module loaded (modprobe cpuid), so that the\n"
	      "    kernel reads them through ", stderr);
	kes_fput_escaped(stderr, o->device, KES_ESC_TEXT);
	fputs(".\nFor a host that answers only the leaves 0x4ffffffc-0x4fffffff, say --layout.\n",
	      stderr);
	return EXIT_UNSUPPORTED;
}

static int do_raw(const struct options *o, struct kes_cpu *cpu)
{
	uint32_t leaf, ecx = 0, r[4];
	int err;

	if (parse_u32(o->raw_leaf, &leaf) || (o->raw_ecx && parse_u32(o->raw_ecx, &ecx))) {
		fprintf(stderr, PROG ": --raw takes a leaf and an optional ECX, as 32-bit numbers\n");
		return EXIT_USAGE;
	}
	if (o->via == VIA_DEVICE && (err = kes_cpu_open_device(cpu, o->device))) {
		complain("cannot use %s: %s", o->device, device_trouble(err));
		return EXIT_UNSUPPORTED;
	}
	if (!kes_cpu_cpuid(cpu, leaf, ecx, r)) {
		complain("%s cannot execute CPUID 0x%08" PRIx32 " with ECX 0x%08" PRIx32 ": %s",
			 o->device, leaf, ecx, cpu->err ? strerror(cpu->err) :
			 "ECX must be below 0x80000000 (the device's offsets are signed)");
		return EXIT_UNSUPPORTED;
	}
	printf("leaf 0x%08" PRIx32 " ecx 0x%08" PRIx32 ": eax=%08" PRIx32 " ebx=%08" PRIx32
	       " ecx=%08" PRIx32 " edx=%08" PRIx32 "\n", leaf, ecx, r[0], r[1], r[2], r[3]);
	return EXIT_OK;
}

/* The ISA of a host without the info leaf: the guest's CPU vendor. */
static enum kes_isa vendor_isa(struct kes_cpu *cpu)
{
	uint32_t r[4];

	kes_cpu_cpuid(cpu, 0, 0, r);
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

static int do_reason(const struct kes_reader *rd, enum kes_isa isa, const char *arg)
{
	struct kes_reading r;
	uint64_t avg;
	char num[16];
	uint32_t nr;

	if (!reason_arg(arg, isa, &nr)) {	/* parse_args() let in: the other ISA's names */
		complain("\"%s\" is neither a number nor a %s exit reason name", arg,
			 kes_isa_name(isa));
		return EXIT_USAGE;
	}
	kes_read_reason(rd, nr, &r);
	kes_guest_reason_str(isa, nr, num, sizeof(num));
	switch (r.state) {
	case KES_UNDEFINED:
		printf("%s: the %s manual does not define this exit reason\n", num, kes_isa_name(isa));
		break;
	case KES_NOT_ENABLED:
		printf("%s %s: KVM does not enable this exit on the host\n", num,
		       kes_guest_reason_name(isa, nr));
		break;
	case KES_UNREADABLE:
		fprintf(stderr, PROG ": %s cannot be read through the device: its offsets are signed, "
			"so ECX stops at 0x7fffffff; try --via instruction\n", num);
		return EXIT_UNSUPPORTED;
	case KES_COUNTED:
		printf("%s %s: count %" PRIu64, num, kes_guest_reason_name(isa, nr), r.count);
		if (rd->layout != 'a')
			printf(" cycles %" PRIu64, r.cycles);
		if (rd->layout != 'a' && kes_guest_avg(rd->layout, r.count, r.cycles, &avg))
			printf(" avg %" PRIu64, avg);
		else if (rd->layout != 'a')
			printf(" avg n/a");
		printf("\n");
		break;
	}
	return EXIT_OK;
}

/*
 * A host without the signature leaf, read with a layout: every CPUID is an
 * exit, so on a host that answers the layout's leaves the total moves
 * between two reads; if it does not, the leaves are not the statistics.
 */
static int check_layout_answers(const struct kes_reader *rd)
{
	uint64_t c1, y1, c2, y2;

	kes_read_totals(rd, &c1, &y1);
	kes_read_totals(rd, &c2, &y2);
	if (c1 != c2 || y1 != y2)
		return EXIT_OK;
	fprintf(stderr, PROG ": this host does not answer layout %c's leaves: their total exits "
		"did not move between two reads (%" PRIu64 "), though every CPUID is an exit on a "
		"host that does\n", rd->layout, c1);
	return EXIT_UNSUPPORTED;
}

int main(int argc, char **argv)
{
	struct options o = { .device = DEVICE };
	struct kes_cpu cpu = { KES_VIA_INSTRUCTION, kes_cpuid, -1, 0 };
	struct kes_reader rd = { &cpu, 0 };
	struct kes_reading *readings;
	const struct kes_reason *t;
	struct kes_view v = { 0 };
	struct kes_host h;
	size_t i, n;
	int r;

	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	if (o.raw_leaf)
		return do_raw(&o, &cpu);
	r = find_host(&o, &cpu, &h);
	if (r)
		return r;
	if (o.dump) {
		unsigned int why = kes_dump(&cpu);

		if (why)
			fprintf(stderr, PROG ": the host did not dump: %s\n",
				why == KVM_EXIT_STATS_DUMP_OFF ?
				"guest dumps are off (kvm.exit_stats_cpuid_dump=0)" :
				"rate-limited: at most one dump every 5 seconds");
		else
			printf("the host dumped its statistics to its kernel log\n");
		kes_cpu_close(&cpu);
		return why ? EXIT_UNSUPPORTED : EXIT_OK;
	}
	if (h.found && o.layout && o.layout != h.layout) {
		fprintf(stderr, PROG ": the host answers layout %c's leaves, not %c's: say --layout %c, "
			"or leave --layout out\n", h.layout, o.layout, h.layout);
		kes_cpu_close(&cpu);
		return EXIT_UNSUPPORTED;
	}
	v.isa = h.found ? h.isa : o.isa ? o.isa : vendor_isa(&cpu);
	if (!v.isa) {
		fprintf(stderr, PROG ": cannot tell whether the host is VMX or SVM: say --isa\n");
		kes_cpu_close(&cpu);
		return EXIT_USAGE;
	}
	rd.layout = o.layout;
	r = h.found ? EXIT_OK : check_layout_answers(&rd);
	if (!r && o.reason)
		r = do_reason(&rd, v.isa, o.reason);
	if (r || o.reason) {
		kes_cpu_close(&cpu);
		return r;
	}

	t = kes_reasons(v.isa, &n);
	readings = calloc(n, sizeof(*readings));
	if (!readings) {
		fprintf(stderr, PROG ": out of memory\n");
		kes_cpu_close(&cpu);
		return EXIT_UNSUPPORTED;
	}
	/* Totals before and after: every reading happened in between. */
	kes_read_totals(&rd, &v.start_count, &v.start_cycles);
	for (i = 0; i < n; i++) {
		struct kes_reading *x = &readings[v.n];

		kes_read_reason(&rd, t[i].nr, x);
		v.unreadable += x->state == KES_UNREADABLE;
		if (o.all || (x->state != KES_UNREADABLE && x->count))
			v.n++;
	}
	kes_read_totals(&rd, &v.count, &v.cycles);
	qsort(readings, v.n, sizeof(*readings), cmp_count_desc);
	v.host = &h;
	v.layout = o.layout;
	v.via = cpu.via;
	v.device = o.device;
	v.rd = readings;
	if (o.json)
		kes_print_guest_json(&v);
	else
		kes_print_guest_table(&v);
	free(readings);
	kes_cpu_close(&cpu);
	if (cpu.err) {
		complain("reading %s failed: %s", o.device, strerror(cpu.err));
		return EXIT_UNSUPPORTED;
	}
	return EXIT_OK;
}
