// SPDX-License-Identifier: GPL-2.0
/*
 * The guest ABI: guest code executes CPUID on the leaves of the exit
 * statistics, for many ECX values (every reason the manual defines; 35, 38,
 * 42; 0, 0xffff, 0x10000, 0xffffffff; random values), and every register
 * is checked against the host's exit_stats file read just before and just
 * after, for each layout (a, b, c), for both scopes with a second VM
 * running, with the leaves off (VM not opted in; host allows nothing), and
 * the dump leaf.
 *
 * The expectations here are written from docs/guest-abi.md, independently
 * of the kernel's code: which leaf means what in which layout, and that a
 * query sees every exit completed before it.  Query i of a batch is the
 * i-th CPUID exit since the "before" read: it sees the CPUID count of
 * before + i, a total between before + i and after - (n - i), and every
 * other count and cycle sum between before and after.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "lab_test.h"
#include "query_vm.h"

#define FIRST		0x4ffffff0
#define SIGNATURE	0x4ffffff0
#define INFO		0x4ffffff1
#define R_COUNT		0x4ffffff2
#define R_CYCLES	0x4ffffff3
#define T_COUNT		0x4ffffff4
#define T_CYCLES	0x4ffffff5
#define DUMP		0x4ffffff6
#define R_INFO		0x4ffffff7
#define NOBODY		0x4fffffe0	/* a leaf nobody defines: KVM's own answer */
#define MAX_QUERIES	QVM_MAX_QUERIES
#define NR_RANDOM	24

/* What a leaf means in a layout, by docs/guest-abi.md. */
enum meaning {
	M_KVM,		/* not ours in this layout: KVM's own answer */
	M_SIGNATURE, M_INFO,
	M_TOTAL_COUNT32, M_TOTAL_COUNT, M_TOTAL_CYCLES, M_TOTAL_BOTH,
	M_REASON_COUNT32, M_REASON_COUNT, M_REASON_CYCLES,
};

static enum meaning meaning(char layout, uint32_t leaf)
{
	static const struct { char layout; uint32_t leaf; enum meaning m; } t[] = {
		{ 'a', 0x4fffffff, M_TOTAL_BOTH }, { 'a', 0x4ffffffe, M_REASON_COUNT32 },
		{ 'b', 0x4fffffff, M_TOTAL_COUNT32 }, { 'b', 0x4ffffffe, M_TOTAL_CYCLES },
		{ 'b', 0x4ffffffd, M_REASON_COUNT32 }, { 'b', 0x4ffffffc, M_REASON_CYCLES },
		{ 'c', 0x4ffffffc, M_TOTAL_COUNT32 }, { 'c', 0x4ffffffd, M_TOTAL_CYCLES },
		{ 'c', 0x4ffffffe, M_REASON_COUNT32 }, { 'c', 0x4fffffff, M_REASON_CYCLES },
	};
	size_t i;

	switch (leaf) {
	case SIGNATURE: return M_SIGNATURE;
	case INFO: return M_INFO;
	case R_COUNT: return M_REASON_COUNT;
	case R_CYCLES: return M_REASON_CYCLES;
	case T_COUNT: return M_TOTAL_COUNT;
	case T_CYCLES: return M_TOTAL_CYCLES;
	case R_INFO: return M_KVM;	/* checked by run_enabled() */
	}
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].layout == layout && t[i].leaf == leaf)
			return t[i].m;
	return M_KVM;
}

struct batch {
	struct query q[MAX_QUERIES];
	uint64_t n;
};

static void add(struct batch *b, uint32_t leaf, uint32_t ecx)
{
	TEST_ASSERT(b->n < MAX_QUERIES, "batch too big");
	b->q[b->n++] = (struct query){ .leaf = leaf, .ecx = ecx };
}

/* The ECX values of the per-reason queries. */
static size_t reasons_to_ask(uint32_t *out, size_t max)
{
	static const uint32_t edges[] = { 35, 38, 42, 0, 0xffff, 0x10000, 0xffffffff,
					  0x7fffffff, 0x80000000, 96, 0xb0, 0x404 };
	const struct kes_reason *t;
	size_t n = 0, i, nt;

	t = kes_reasons(lab_isa(), &nt);
	for (i = 0; i < nt && n < max; i++)
		out[n++] = t[i].nr;
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]) && n < max; i++)
		out[n++] = edges[i];
	for (i = 0; i < NR_RANDOM && n < max; i++)
		out[n++] = (uint32_t)random() ^ ((uint32_t)random() << 16);
	return n;
}

static void add_layout_batch(struct batch *b, char layout)
{
	static uint32_t reasons[512];
	size_t nr = reasons_to_ask(reasons, 512), i;
	uint32_t leaf;

	add(b, SIGNATURE, 0);
	add(b, INFO, 0);
	add(b, T_COUNT, 0);
	add(b, T_CYCLES, 0);
	for (leaf = 0x4ffffffc; leaf; leaf++) {	/* the layout's four */
		if (meaning(layout, leaf) == M_TOTAL_COUNT32 ||
		    meaning(layout, leaf) == M_TOTAL_CYCLES ||
		    meaning(layout, leaf) == M_TOTAL_BOTH || meaning(layout, leaf) == M_KVM)
			add(b, leaf, 0);
		if (leaf == 0x4fffffff)
			break;
	}
	for (i = 0; i < nr; i++) {
		add(b, R_COUNT, reasons[i]);
		add(b, R_CYCLES, reasons[i]);
		for (leaf = 0x4ffffffc; leaf; leaf++) {
			enum meaning m = meaning(layout, leaf);

			if (m == M_REASON_COUNT32 || m == M_REASON_CYCLES)
				add(b, leaf, reasons[i]);
			if (leaf == 0x4fffffff)
				break;
		}
	}
	add(b, NOBODY, 0);
}

struct range {
	uint64_t lo, hi;
};

static bool in_range(uint64_t v, struct range r, bool low32)
{
	if (low32)
		return r.hi < (1ULL << 32) && v >= r.lo && v <= r.hi;
	return v >= r.lo && v <= r.hi;
}

static uint64_t cycles_of(const struct kes_stats *st, uint32_t reason)
{
	const struct kes_row *row = kes_stats_row(st, reason);

	return row ? row->s.cycles : 0;
}

/* Checks the answer of query @i of @n, seen against @before and @after. */
static bool check_answer(const struct query *q, uint64_t i, uint64_t n, char layout,
			 const char *scope, const struct kes_stats *before,
			 const struct kes_stats *after, const uint32_t *kvm_own)
{
	uint32_t cpuid = lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid");
	const uint32_t *r = q->r;
	enum meaning m = meaning(layout, q->leaf);
	struct range count, cycles, total, tcycles;
	uint64_t hi64, v;
	bool ok = true;

	total = (struct range){ before->total.count + i, after->total.count - (n - i) };
	tcycles = (struct range){ before->total.cycles, after->total.cycles };
	count = (struct range){ kes_stats_count(before, q->ecx), kes_stats_count(after, q->ecx) };
	if (q->ecx == cpuid)
		count.lo = count.hi = kes_stats_count(before, cpuid) + i;
	cycles = (struct range){ cycles_of(before, q->ecx), cycles_of(after, q->ecx) };

#define WANT(cond, fmt, ...) (ok &= check(cond, "layout %c, %s: leaf %#x ecx %#x -> %08x %08x %08x %08x: " fmt, \
					   layout, scope, q->leaf, q->ecx, r[0], r[1], r[2], r[3], ##__VA_ARGS__))
	if ((m == M_REASON_COUNT32 || m == M_REASON_COUNT || m == M_REASON_CYCLES) &&
	    !kes_reason_name(lab_isa(), q->ecx)) {
		WANT(!r[0] && !r[1] && !r[2] && r[3] == 0xffffffff,
		     "expected 0 0 0 ffffffff for a reason the manual does not define");
		return ok;
	}
	hi64 = (uint64_t)r[1] << 32 | r[2];
	switch (m) {
	case M_KVM:
		WANT(!memcmp(r, kvm_own, 16), "expected KVM's own answer %08x %08x %08x %08x",
		     kvm_own[0], kvm_own[1], kvm_own[2], kvm_own[3]);
		break;
	case M_SIGNATURE:
		WANT(r[0] == 0x4fffffff && !memcmp(&r[1], "KVMExitStats", 12),
		     "expected 4fffffff and \"KVMExitStats\"");
		break;
	case M_INFO:
		WANT(r[0] == 1 && r[1] == (uint32_t)lab_isa() && r[2] == (uint32_t)(layout - 'a' + 0xa) &&
		     (r[3] & 0xff) == (strcmp(scope, "vm") ? 2u : 1u),
		     "expected version 1, isa %d, layout %#x, scope %s", lab_isa(), layout - 'a' + 0xa, scope);
		break;
	case M_TOTAL_COUNT32:
		WANT(in_range(r[0], total, true) && !r[1] && !r[2] && !r[3],
		     "expected EAX in [%llu, %llu], the rest 0",
		     (unsigned long long)total.lo, (unsigned long long)total.hi);
		break;
	case M_TOTAL_COUNT:
		WANT(!r[0] && in_range(hi64, total, false) && !r[3],
		     "expected EBX:ECX in [%llu, %llu]", (unsigned long long)total.lo,
		     (unsigned long long)total.hi);
		break;
	case M_TOTAL_BOTH:
		WANT(in_range(r[0], total, true) && in_range(hi64, tcycles, false) && !r[3],
		     "expected EAX in [%llu, %llu], EBX:ECX in [%llu, %llu]",
		     (unsigned long long)total.lo, (unsigned long long)total.hi,
		     (unsigned long long)tcycles.lo, (unsigned long long)tcycles.hi);
		break;
	case M_TOTAL_CYCLES:
		WANT(!r[0] && in_range(hi64, tcycles, false) && !r[3],
		     "expected EBX:ECX in [%llu, %llu]", (unsigned long long)tcycles.lo,
		     (unsigned long long)tcycles.hi);
		break;
	case M_REASON_COUNT32:
		WANT(in_range(r[0], count, true) && !r[1] && !r[2] && !r[3],
		     "expected EAX in [%llu, %llu], the rest 0",
		     (unsigned long long)count.lo, (unsigned long long)count.hi);
		break;
	case M_REASON_COUNT:
		v = hi64;
		WANT(!r[0] && in_range(v, count, false) && !r[3],
		     "expected EBX:ECX in [%llu, %llu]", (unsigned long long)count.lo,
		     (unsigned long long)count.hi);
		break;
	case M_REASON_CYCLES:
		WANT(!r[0] && in_range(hi64, cycles, false) && !r[3],
		     "expected EBX:ECX in [%llu, %llu]", (unsigned long long)cycles.lo,
		     (unsigned long long)cycles.hi);
		break;
	}
#undef WANT
	return ok;
}

static unsigned int scope_nr(const char *scope)
{
	return !strcmp(scope, "vm") ? KVM_EXIT_STATS_SCOPE_VM :
	       !strcmp(scope, "system") ? KVM_EXIT_STATS_SCOPE_SYSTEM : KVM_EXIT_STATS_SCOPE_OFF;
}

/* The VM of @q opted in (KVM_ENABLE_CAP) for @scope, from its kernel only. */
static void opt_in(struct qvm *q, const char *scope)
{
	int r = wl_guest_access(q->vm->fd, scope_nr(scope), false);

	TEST_ASSERT(!r, "KVM_ENABLE_CAP(KVM_CAP_X86_EXIT_STATS_CPUID, %s): %s", scope, strerror(-r));
}

/*
 * One batch for @layout, in a VM created with kvm.exit_stats_cpuid_layout
 * set to it, checked against the system-wide file or, for scope vm, the
 * VM's own.
 */
static bool run_layout(char layout, const char *scope)
{
	static struct batch b;
	struct kes_stats before, after;
	const uint32_t *kvm_own;
	unsigned int bad = 0;
	char val[2] = { layout, 0 };
	const char *stats;
	struct qvm *q;
	uint64_t i;
	bool ok = true;

	set_param("exit_stats_cpuid_layout", val);
	q = qvm_create(123, QVM_KERNEL);
	stats = strcmp(scope, "vm") ? SYSTEM_STATS : q->stats;
	opt_in(q, scope);
	b.n = 0;
	add_layout_batch(&b, layout);
	stats_load(stats, &before);
	qvm_query(q, b.q, b.n);
	stats_load(stats, &after);
	kvm_own = b.q[b.n - 1].r;	/* the NOBODY leaf, asked last */
	for (i = 0; i < b.n; i++) {
		bool one = check_answer(&b.q[i], i, b.n, layout, scope, &before, &after, kvm_own);

		ok &= one;
		if (!one && ++bad > 10) {
			ksft_print_msg("... and more\n");
			break;
		}
	}
	ksft_print_msg("layout %c, scope %s: %llu queries\n", layout, scope,
		       (unsigned long long)b.n);
	kes_stats_free(&before);
	kes_stats_free(&after);
	qvm_destroy(q);
	return ok;
}

/* The layout, scope and user access the INFO leaf reports to @q's guest. */
static void info_of(struct qvm *q, uint32_t *layout, uint32_t *scope)
{
	struct query info = { .leaf = KVM_EXIT_STATS_CPUID_INFO };

	qvm_query(q, &info, 1);
	*layout = info.r[2];
	*scope = info.r[3] & KVM_EXIT_STATS_INFO_SCOPE_MASK;
}

/*
 * What may change under a running guest, decided: the layout is the VM's
 * from its creation (kvm.exit_stats_cpuid_layout applies to VMs created
 * after the change), so that a guest never sees the leaves change meaning;
 * the scope is the host's deliberate choice and applies at once (an
 * operator opts a running VM in or out; lowering the cap withdraws access),
 * and the guest sees it in the INFO leaf.
 */
static bool run_running_guest(void)
{
	uint32_t layout, scope, layout2, scope2;
	struct qvm *q, *q2;
	bool ok = true;

	set_param("exit_stats_cpuid_layout", "c");
	q = qvm_create(1, QVM_KERNEL);
	opt_in(q, "system");
	info_of(q, &layout, &scope);
	ok &= check_u64(layout, 0xc, "layout of a VM created with layout c");
	set_param("exit_stats_cpuid_layout", "a");
	info_of(q, &layout, &scope);
	ok &= check_u64(layout, 0xc, "layout of that VM, running, after kvm.exit_stats_cpuid_layout=a");
	q2 = qvm_create(1, QVM_KERNEL);
	opt_in(q2, "vm");
	info_of(q2, &layout2, &scope2);
	ok &= check_u64(layout2, 0xa, "layout of a VM created after kvm.exit_stats_cpuid_layout=a");
	ok &= check_u64(scope2, KVM_EXIT_STATS_SCOPE_VM, "scope of that VM, opted in for vm");
	opt_in(q, "vm");
	info_of(q, &layout, &scope);
	ok &= check_u64(scope, KVM_EXIT_STATS_SCOPE_VM, "scope of the running VM, narrowed from system to vm");
	set_param("exit_stats_cpuid", "off");
	ok &= qvm_answers_as_kvm(q2, false, "a running VM opted in, once kvm.exit_stats_cpuid=off");
	set_param("exit_stats_cpuid", "system");
	set_param("exit_stats_cpuid_layout", "c");
	qvm_destroy(q2);
	qvm_destroy(q);
	return ok;
}

static bool run_off(struct qvm *q)
{
	bool ok;

	opt_in(q, "off");
	ok = qvm_answers_as_kvm(q, false, "VM not opted in");
	opt_in(q, "system");
	set_param("exit_stats_cpuid", "off");
	ok &= qvm_answers_as_kvm(q, false, "VM opted in, kvm.exit_stats_cpuid=off");
	set_param("exit_stats_cpuid", "system");
	return ok;
}

/* A kvm_intel / kvm_amd module parameter: Y/N or a number, as 0/1/N. */
static long vendor_param(const char *name)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/kvm_%s/parameters/%s",
		 lab_isa() == KES_ISA_VMX ? "intel" : "amd", name);
	f = fopen(path, "re");
	TEST_ASSERT(f && fgets(buf, sizeof(buf), f), "cannot read %s", path);
	fclose(f);
	return buf[0] == 'Y' ? 1 : buf[0] == 'N' ? 0 : strtol(buf, NULL, 0);
}

/*
 * Which reasons KVM enables, as the REASON_INFO leaf reports them, against
 * what kvm_intel's / kvm_amd's own parameters say KVM set up: EPT, PML, the
 * preemption timer, APICv, pause-loop exiting; nested paging, AVIC.
 */
struct expect {
	const char *name;
	long enabled;
};

static bool check_enabled(struct qvm *q, const struct expect *e, size_t n)
{
	static struct batch b;
	struct kes_stats after;
	bool ok = true;
	size_t i;

	b.n = 0;
	for (i = 0; i < n; i++)
		add(&b, R_INFO, lab_reason(e[i].name));
	add(&b, R_INFO, lab_isa() == KES_ISA_VMX ? 35 : 0xa7);	/* undefined */
	add(&b, R_INFO, 0x10000);
	qvm_query(q, b.q, b.n);
	stats_load(SYSTEM_STATS, &after);
	for (i = 0; i < n; i++) {
		const uint32_t *r = b.q[i].r;

		ok &= check(r[0] == 1 && r[1] == (uint32_t)!!e[i].enabled && !r[3],
			    "%s: REASON_INFO says defined %u, enabled %u (%08x), expected 1, %d",
			    e[i].name, r[0], r[1], r[3], !!e[i].enabled);
		ok &= check(r[2] <= !!kes_stats_count(&after, b.q[i].ecx),
			    "%s: REASON_INFO says seen, the file has no exit", e[i].name);
	}
	for (; i < b.n; i++)
		ok &= check(!b.q[i].r[0] && !b.q[i].r[1] && !b.q[i].r[2] &&
			    b.q[i].r[3] == 0xffffffff, "reason %#x: not undefined", b.q[i].ecx);
	kes_stats_free(&after);
	return ok;
}

static bool run_enabled(struct qvm *q)
{
	if (lab_isa() == KES_ISA_VMX) {
		const struct expect vmx[] = {
			{ "CPUID", 1 }, { "HLT", 1 }, { "IO_INSTRUCTION", 1 }, { "MSR_READ", 1 },
			{ "MSR_WRITE", 1 }, { "EXTERNAL_INTERRUPT", 1 }, { "EXCEPTION_NMI", 1 },
			{ "TRIPLE_FAULT", 1 }, { "INTERRUPT_WINDOW", 1 }, { "VMCALL", 1 },
			{ "XSETBV", 1 },
			{ "EPT_VIOLATION", vendor_param("ept") },
			{ "EPT_MISCONFIG", vendor_param("ept") },
			{ "INVLPG", !vendor_param("ept") },
			{ "PML_FULL", vendor_param("pml") },
			{ "PREEMPTION_TIMER", vendor_param("preemption_timer") },
			{ "APIC_WRITE", vendor_param("enable_apicv") },
			{ "EOI_INDUCED", vendor_param("enable_apicv") },
			{ "PAUSE_INSTRUCTION", vendor_param("ple_gap") != 0 },
			{ "RDTSC", 0 }, { "RDTSCP", 0 }, { "MONITOR_TRAP_FLAG", 0 },
			{ "SIPI_SIGNAL", 0 }, { "IO_SMI", 0 }, { "RSM", 0 }, { "SPP", 0 },
			{ "ENCLV", 0 },
		};

		return check_enabled(q, vmx, sizeof(vmx) / sizeof(vmx[0]));
	} else {
		const struct expect svm[] = {
			{ "cpuid", 1 }, { "hlt", 1 }, { "io", 1 }, { "msr", 1 }, { "interrupt", 1 },
			{ "nmi", 1 }, { "shutdown", 1 }, { "vmrun", 1 }, { "hypercall", 1 },
			{ "invalid_guest_state", 1 }, { "npf", vendor_param("npt") },
			{ "avic_incomplete_ipi", vendor_param("avic") },
			{ "rdtsc", 0 }, { "vmgexit", 0 }, { "busy", 0 }, { "idle_required", 0 },
		};

		return check_enabled(q, svm, sizeof(svm) / sizeof(svm[0]));
	}
}

static unsigned int count_dumps(struct kmsg *k)
{
	unsigned int n = 0;
	const char *line;

	while ((line = kmsg_next(k)))
		n += !!strstr(line, "kvm_exit_stats: dump scope=") &&
		     !!strstr(line, "trigger=guest");
	return n;
}

static bool run_dump(struct qvm *q)
{
	static struct batch b;
	struct kmsg *k = kmsg_open();
	bool ok = true;
	uint64_t i;

	b.n = 0;
	add(&b, DUMP, 0);
	qvm_query(q, b.q, b.n);
	ok &= check(!b.q[0].r[0] && b.q[0].r[1] == 1 && !b.q[0].r[2] && !b.q[0].r[3],
		    "dump leaf while off: %08x %08x %08x %08x, expected 0 1 0 0",
		    b.q[0].r[0], b.q[0].r[1], b.q[0].r[2], b.q[0].r[3]);
	ok &= check_u64(count_dumps(k), 0, "dumps while kvm.exit_stats_cpuid_dump=0");

	set_param("exit_stats_cpuid_dump", "1");
	b.n = 0;
	for (i = 0; i < 10; i++)
		add(&b, DUMP, 0);
	qvm_query(q, b.q, b.n);
	ok &= check(b.q[0].r[0] == 1 && !b.q[0].r[1],
		    "first dump query: %08x %08x, expected 1 0", b.q[0].r[0], b.q[0].r[1]);
	for (i = 1; i < b.n; i++)
		ok &= check(!b.q[i].r[0] && b.q[i].r[1] == 2,
			    "dump query %llu of a burst: %08x %08x, expected 0 2 (rate-limited)",
			    (unsigned long long)i, b.q[i].r[0], b.q[i].r[1]);
	usleep(300 * 1000);	/* the dump is printed by a worker, not by the vCPU */
	ok &= check_u64(count_dumps(k), 1, "dumps for a burst of 10 dump queries");
	set_param("exit_stats_cpuid_dump", "0");
	kmsg_close(k);
	return ok;
}

int main(void)
{
	struct wl_spec other = { .vcpus = 1 };
	struct wl_vm *busy;
	struct qvm *q;
	const char *layouts = "abc";
	bool ok;
	int i;

	srandom(20261121);
	ksft_print_header();
	ksft_set_plan(9);
	/*
	 * The host lets VMs see the whole host; system scope counts per CPU
	 * from then, so a reset aligns it with the system-wide file.
	 */
	set_param("exit_stats_cpuid", "system");
	TEST_ASSERT(!write_file(SYSTEM_CONTROL, "reset"), "cannot reset the statistics");

	/* Another VM, with its own exits, alive but idle during the queries. */
	other.n[WL_CPUID] = 3000;
	busy = wl_create(&other);
	wl_run(busy);

	for (i = 0; i < 3; i++) {
		ok = run_layout(layouts[i], "system");
		ksft_test_result(ok, "layout %c, scope system: every register as the system-wide file says\n",
				 layouts[i]);
	}
	ok = run_layout('c', "vm");
	ksft_test_result(ok, "scope vm: the querying VM sees its own counts, not the other VM's\n");
	ok = run_layout('a', "vm");
	ksft_test_result(ok, "scope vm, layout a: the same\n");
	ksft_test_result(run_running_guest(), "a running guest keeps its VM's layout; a scope the host changes applies at once\n");
	set_param("exit_stats_cpuid_layout", "c");
	q = qvm_create(123, QVM_KERNEL);
	ksft_test_result(run_off(q), "not opted in, or kvm.exit_stats_cpuid=off: every leaf answers as KVM would without it\n");
	ksft_test_result(run_dump(q), "dump leaf: off by default; on, one dump, and a burst is rate-limited\n");
	ksft_test_result(run_enabled(q), "REASON_INFO: the reasons KVM enables, as its own parameters say\n");

	set_param("exit_stats_cpuid_layout", "c");
	set_param("exit_stats_cpuid", "off");	/* the default */
	qvm_destroy(q);
	wl_destroy(busy);
	ksft_finished();
}
