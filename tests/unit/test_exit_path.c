// SPDX-License-Identifier: GPL-2.0
/*
 * The VM-exit path of the kernel change, compiled here as it is
 * (exit_stats_path.h and exit_stats_path.c, with stand-ins for the kernel headers
 * and a TSC this test sets): what one exit adds, in every case the lab
 * cannot provoke or cannot provoke on purpose: the parts of an exit's time,
 * an exit forgotten at a switch, a TSC that goes back, reasons without a
 * slot until their table is full, an SEV-ES guest's VMGEXIT, KVM's VMFAIL,
 * the histograms' buckets and their reasons beyond the ones a vCPU has room
 * for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exit_stats_path.h"

u64 kshim_tsc;
unsigned long kshim_tsc_reads;

static struct kvm_vcpu_exit_stats es;
static struct kvm_vcpu_exit_hist hist;	/* the tier "hist", when es.hist is set */

static int setup(void **state)
{
	(void)state;
	memset(&es, 0, sizeof(es));
	memset(&hist, 0, sizeof(hist));
	kshim_tsc = 1000000;
	return 0;
}

/*
 * Every reason's exits (or, @cycles, cycles in KVM) added up: what readers
 * do for the totals (the exit path keeps none).
 */
static u64 total_of(bool cycles)
{
	u64 n = cycles ? es.s.unlisted.cycles : es.s.unlisted.count;
	int i;

	for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
		n += cycles ? es.s.slot[i].cycles : es.s.slot[i].count;
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++)
		n += cycles ? es.s.unknown[i].stat.cycles : es.s.unknown[i].stat.count;
	return n;
}

#define total_count()	total_of(false)
#define total_cycles()	total_of(true)

/*
 * At a VM-exit: counted, and its start taken if @timed (the time tiers),
 * as kvm_exit_stats_begin() in exit_stats.h does behind its static keys.
 */
static struct kvm_exit_stat *begin(struct kvm_vcpu_exit_stats *e, u32 slot, u32 reason,
				   bool timed)
{
	struct kvm_exit_stat *s = kvm_exit_stats_path_count(e, slot, reason);

	if (timed)
		kvm_exit_stats_path_start(e, s);
	return s;
}

/* A VM-entry: times the exit counted since the last one, if any. */
static struct kvm_exit_stat *entry(u64 *in_kvm)
{
	*in_kvm = ~0ULL;
	return kvm_exit_stats_path_entry(&es, in_kvm, es.hist);
}

/*
 * One exit of @reason (SVM code or VMX basic reason) taking @cycles in KVM:
 * counted at its VM-exit, timed at the next VM-entry.
 */
static struct kvm_exit_stat *exit_once(u32 isa, u32 reason, u64 cycles)
{
	struct kvm_exit_stat *s;
	u64 got;

	s = begin(&es, kvm_exit_stats_slot(isa, reason), reason, true);
	kshim_tsc += cycles;
	assert_non_null(s);
	assert_ptr_equal(entry(&got), s);
	assert_int_equal(got, cycles);
	return s;
}

static void counts_and_times(void **state)
{
	struct kvm_exit_stat *cpuid = &es.s.slot[0x72];

	(void)state;
	assert_ptr_equal(exit_once(KVM_EXIT_STATS_SVM, 0x72, 300), cpuid);
	exit_once(KVM_EXIT_STATS_SVM, 0x72, 100);
	exit_once(KVM_EXIT_STATS_SVM, 0x72, 200);
	assert_int_equal(cpuid->count, 3);
	assert_int_equal(cpuid->timed, 3);
	assert_int_equal(cpuid->cycles, 600);
	assert_int_equal(kvm_exit_stat_min(cpuid), 100);
	assert_int_equal(cpuid->max, 300);
	assert_int_equal(cpuid->e2e_max, 300);
	assert_int_equal(total_count(), 3);
	assert_int_equal(total_cycles(), 600);
	assert_ptr_equal(es.cur, cpuid);	/* the last exit counted */
	assert_null(es.timing);
	/* each exit timed inside the seqcount (its count is one field): two steps, even after */
	assert_int_equal(es.seq.sequence, 6);
}

/*
 * Counted at the VM-exit, timed at the next VM-entry: in between, the exit
 * is in "count" and not in "timed", nor in the times.
 */
static void counted_then_timed(void **state)
{
	struct kvm_exit_stat *io = &es.s.slot[0x7b];
	u64 in_kvm;

	(void)state;
	assert_ptr_equal(begin(&es, 0x7b, 0x7b, true), io);
	kshim_tsc += 40;
	assert_int_equal(io->count, 1);
	assert_int_equal(io->timed, 0);
	assert_int_equal(io->cycles, 0);
	assert_int_equal(kvm_exit_stat_min(io), 0);
	kshim_tsc += 2;
	assert_ptr_equal(entry(&in_kvm), io);
	assert_int_equal(in_kvm, 42);
	assert_int_equal(io->timed, 1);
	assert_int_equal(io->cycles, 42);
	/* the next entry, with no exit in between, times nothing */
	assert_null(entry(&in_kvm));
	assert_int_equal(io->timed, 1);
}

/*
 * The parts of an exit's time: preempted while KVM handled it, then in user
 * space (the VMM), then blocked (halted); what is left is KVM's.  Scheduled
 * out while in user space or blocked is part of those, not preempted.
 */
static void parts_of_the_time(void **state)
{
	struct kvm_exit_stat *s = &es.s.slot[0x78];	/* hlt */
	u64 in_kvm;

	(void)state;
	es.where = KVM_EXIT_STATS_IN_KVM;
	begin(&es, 0x78, 0x78, true);
	kshim_tsc += 10;
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_PREEMPTED);
	kshim_tsc += 100;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_PREEMPTED, true);
	kshim_tsc += 5;
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_USER);
	kshim_tsc += 600;
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_PREEMPTED);	/* the VMM's thread */
	kshim_tsc += 400;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_PREEMPTED, true);
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_USER, true);
	kshim_tsc += 3;
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_BLOCKED);
	kshim_tsc += 30;
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_PREEMPTED);	/* asleep */
	kshim_tsc += 20;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_PREEMPTED, true);
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_BLOCKED, true);
	kshim_tsc += 4;
	assert_ptr_equal(entry(&in_kvm), s);
	assert_int_equal(in_kvm, 10 + 5 + 3 + 4);
	assert_int_equal(s->part[KVM_EXIT_STATS_PREEMPTED], 100);
	assert_int_equal(s->part[KVM_EXIT_STATS_USER], 1000);
	assert_int_equal(s->part[KVM_EXIT_STATS_BLOCKED], 50);
	assert_int_equal(s->e2e_max, 1172);
	assert_int_equal(s->cycles + s->part[0] + s->part[1] + s->part[2], 1172);
	assert_int_equal(es.where, KVM_EXIT_STATS_IN_KVM);
	/* the parts start again from 0 for the next exit */
	exit_once(KVM_EXIT_STATS_SVM, 0x78, 8);
	assert_int_equal(s->part[KVM_EXIT_STATS_USER], 1000);
	assert_int_equal(kvm_exit_stat_min(s), 8);
	assert_int_equal(s->max, 22);
}

/*
 * The time switched off while the vCPU was in user space: its return reads
 * no TSC and adds nothing, but it is back in KVM, so that its next
 * preemption counts once the time is on again.
 */
static void back_while_untimed(void **state)
{
	struct kvm_exit_stat *s = &es.s.slot[0x7b];	/* ioio */
	unsigned long reads;
	u64 in_kvm;

	(void)state;
	es.where = KVM_EXIT_STATS_IN_KVM;
	begin(&es, 0x7b, 0x7b, true);
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_USER);
	kshim_tsc += 600;
	reads = kshim_tsc_reads;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_USER, false);
	assert_int_equal(kshim_tsc_reads, reads);
	assert_int_equal(es.where, KVM_EXIT_STATS_IN_KVM);
	assert_int_equal(es.part[KVM_EXIT_STATS_USER], 0);
	es.timing = NULL;			/* forget_pending_exits() */
	assert_null(entry(&in_kvm));
	begin(&es, 0x7b, 0x7b, true);
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_PREEMPTED);
	kshim_tsc += 100;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_PREEMPTED, true);
	assert_non_null(entry(&in_kvm));
	assert_int_equal(s->part[KVM_EXIT_STATS_PREEMPTED], 100);
}

/* Parts with no exit pending (before the first entry) go to no exit. */
static void parts_without_an_exit(void **state)
{
	u64 in_kvm;

	(void)state;
	es.where = KVM_EXIT_STATS_USER;	/* a new vCPU */
	kshim_tsc += 5000;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_USER, true);	/* its first KVM_RUN */
	assert_null(entry(&in_kvm));
	exit_once(KVM_EXIT_STATS_VMX, 10, 30);
	assert_int_equal(es.s.slot[10].part[KVM_EXIT_STATS_USER], 0);
	assert_int_equal(es.s.slot[10].cycles, 30);
}

/*
 * The tier "counts": no TSC read at all, at the exit or the next entry (the
 * entry's hook is off then; called here, it finds nothing to time), and the
 * exit counted all the same.
 */
static void counts_only(void **state)
{
	struct kvm_exit_stat *cpuid = &es.s.slot[0x72];
	u64 in_kvm;

	(void)state;
	kshim_tsc_reads = 0;
	assert_ptr_equal(begin(&es, 0x72, 0x72, false), cpuid);
	kshim_tsc += 100;
	assert_int_equal(kshim_tsc_reads, 0);
	assert_int_equal(cpuid->count, 1);
	assert_null(es.timing);
	assert_null(entry(&in_kvm));
	assert_int_equal(kshim_tsc_reads, 0);
	assert_int_equal(cpuid->timed, 0);
	/* the count alone is written, one field: the seqcount is left alone */
	assert_int_equal(es.seq.sequence, 0);
	/* two TSC reads per exit when timed: at the VM-exit and at the next entry */
	exit_once(KVM_EXIT_STATS_SVM, 0x72, 10);
	assert_int_equal(kshim_tsc_reads, 2);
	assert_int_equal(cpuid->count, 2);
	assert_int_equal(cpuid->timed, 1);
}

/* An exit of 0 cycles is a real minimum, not an empty reason. */
static void zero_cycles(void **state)
{
	struct kvm_exit_stat *s;

	(void)state;
	s = exit_once(KVM_EXIT_STATS_VMX, 10, 0);
	exit_once(KVM_EXIT_STATS_VMX, 10, 50);
	assert_int_equal(s->count, 2);
	assert_int_equal(kvm_exit_stat_min(s), 0);
	assert_int_equal(s->max, 50);
}

/*
 * The exit-statistics switch forgets an exit counted but not timed
 * (es.timing = NULL) before it turns the time on: an exit that began before
 * it went off is not timed from its old start.  It forgets the last exit
 * counted too (es.cur = NULL): a VMGEXIT then has nothing to move.
 */
static void forgotten_exit(void **state)
{
	u64 in_kvm;

	(void)state;
	begin(&es, 0x72, 0x72, true);
	es.timing = NULL;		/* forget_pending_exits() */
	kshim_tsc += 1ULL << 40;
	assert_null(entry(&in_kvm));
	assert_int_equal(es.s.slot[0x72].count, 1);
	assert_int_equal(es.s.slot[0x72].timed, 0);
	assert_int_equal(es.s.slot[0x72].cycles, 0);
	es.cur = NULL;			/* forget_pending_exits() */
	assert_null(kvm_exit_stats_path_vmgexit(&es, 0x7b));
	assert_int_equal(es.s.slot[0x72].count, 1);
	assert_int_equal(es.s.slot[0x7b].count, 0);
}

/*
 * The TSC went back (the vCPU moved to a CPU whose TSC lags), or the parts
 * add up to more than the exit's time (their TSC reads were on CPUs that do
 * not agree): the exit stays counted, untimed, and the minimum and maximum
 * stay what they were.
 */
static void tsc_went_back(void **state)
{
	struct kvm_exit_stat *s;
	u64 in_kvm;

	(void)state;
	s = exit_once(KVM_EXIT_STATS_SVM, 0x7b, 500);
	begin(&es, 0x7b, 0x7b, true);
	kshim_tsc -= 10;
	assert_null(entry(&in_kvm));
	assert_int_equal(s->count, 2);
	assert_int_equal(s->timed, 1);
	assert_int_equal(s->cycles, 500);
	assert_int_equal(kvm_exit_stat_min(s), 500);
	assert_int_equal(s->max, 500);
	assert_int_equal(total_count(), 2);
	assert_int_equal(total_cycles(), 500);
	assert_int_equal(es.s.untimed, 1);

	begin(&es, 0x7b, 0x7b, true);
	es.where = KVM_EXIT_STATS_IN_KVM;
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_PREEMPTED);
	kshim_tsc += 100;
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_PREEMPTED, true);
	es.start = kshim_tsc - 50;	/* the exit's TSC read on a CPU ahead of this one */
	assert_null(entry(&in_kvm));
	assert_int_equal(es.s.untimed, 2);
	assert_int_equal(s->timed, 1);
	assert_int_equal(s->part[KVM_EXIT_STATS_PREEMPTED], 0);
	exit_once(KVM_EXIT_STATS_SVM, 0x7b, 400);
	assert_int_equal(kvm_exit_stat_min(s), 400);
}

/*
 * Reasons without a slot: each in an entry of its own, by number, until the
 * table is full; then together in "unlisted".  All in the totals.
 */
static void reasons_without_a_slot(void **state)
{
	u32 i;

	(void)state;
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR + 2; i++) {
		exit_once(KVM_EXIT_STATS_VMX, 1000 + i, 10);
		exit_once(KVM_EXIT_STATS_VMX, 1000 + i, 10);
	}
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++) {
		assert_int_equal(es.s.unknown[i].reason, 1000 + i);
		assert_int_equal(es.s.unknown[i].stat.count, 2);
	}
	assert_int_equal(es.s.unlisted.count, 4);
	assert_int_equal(total_count(), 2 * (KVM_EXIT_STATS_UNKNOWN_NR + 2));
	/* A reason that has an entry still goes there once the table is full. */
	exit_once(KVM_EXIT_STATS_VMX, 1003, 10);
	assert_int_equal(es.s.unknown[3].stat.count, 3);
	/* An SVM code outside the slots' ranges, and VMX 95, which has no slot. */
	memset(&es, 0, sizeof(es));
	exit_once(KVM_EXIT_STATS_SVM, 0x4b0, 10);
	exit_once(KVM_EXIT_STATS_VMX, 95, 10);
	assert_int_equal(es.s.unknown[0].reason, 0x4b0);
	assert_int_equal(es.s.unknown[1].reason, 95);
}

/* KVM's VMFAIL (exit reason 0xdead) has a slot of its own, and a name. */
static void vmx_vmfail(void **state)
{
	u32 slot = kvm_exit_stats_vmx_slot(KVM_EXIT_STATS_VMX_VMFAIL);

	(void)state;
	assert_true(slot < KVM_EXIT_STATS_SLOTS);
	assert_int_equal(slot, KVM_EXIT_STATS_VMX_VMFAIL_SLOT);
	assert_int_equal(kvm_exit_stats_slot_reason(KVM_EXIT_STATS_VMX, slot), 0xdead);
	assert_string_equal(kvm_exit_stats_reason_name(KVM_EXIT_STATS_VMX, 0xdead), "VMFAIL");
	assert_ptr_equal(exit_once(KVM_EXIT_STATS_VMX, 0xdead, 10), &es.s.slot[slot]);
}

/*
 * An SEV-ES guest's VMGEXIT (0x403): counted under the exit code its GHCB
 * names when the manual's table has a slot for it; under vmgexit for the
 * GHCB's own requests and anything else.
 */
static void sev_es_vmgexit(void **state)
{
	static const struct {
		u64 ghcb;
		u32 counted;
	} cases[] = {
		{ 0x72, 0x72 },			/* CPUID */
		{ 0x7b, 0x7b },			/* IOIO */
		{ 0x7c, 0x7c },			/* MSR */
		{ 0x81, 0x81 },			/* VMMCALL */
		{ 0x400, 0x400 },		/* NPF */
		{ 0x80000001, 0x403 },		/* SVM_VMGEXIT_MMIO_READ */
		{ 0x80000002, 0x403 },		/* SVM_VMGEXIT_MMIO_WRITE */
		{ 0x80000010, 0x403 },		/* SVM_VMGEXIT_PSC */
		{ 0x8000ffff, 0x403 },		/* SVM_VMGEXIT_UNSUPPORTED_EVENT */
		{ 0x100000072ULL, 0x403 },	/* not a 32-bit code */
		{ 0xffffffffffffffffULL, 0x403 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u32 slot = kvm_exit_stats_svm_slot(cases[i].counted);

		memset(&es, 0, sizeof(es));
		begin(&es, kvm_exit_stats_svm_slot(0x403), 0x403, true);
		kvm_exit_stats_path_vmgexit(&es, cases[i].ghcb);
		kshim_tsc += 10;
		if (es.s.slot[slot].count != 1 || total_count() != 1 ||
		    es.cur != &es.s.slot[slot] || es.timing != es.cur)
			fail_msg("GHCB exit code %#llx: counted under %#x %llu times, expected once",
				 (unsigned long long)cases[i].ghcb, cases[i].counted,
				 (unsigned long long)es.s.slot[slot].count);
	}
	/* No pending exit: nothing to file. */
	memset(&es, 0, sizeof(es));
	kvm_exit_stats_path_vmgexit(&es, 0x72);
	assert_null(es.cur);
}

/*
 * Counters near 2^32 and 2^64 (set here: the lab cannot make 2^32 exits).
 * The kernel's counts and cycles are 64 bits: 2^32 is no limit (a 32-bit
 * layout of the CPUID leaves wraps there; the guest tool says so), and at
 * 2^64 they wrap to 0, which one exit a nanosecond reaches in 584 years
 * (cycles at 3 GHz: 195 years).  docs/interfaces.md says what is seen.
 */
static void counters_at_their_limits(void **state)
{
	struct kvm_exit_stat *cpuid = &es.s.slot[0x72];

	(void)state;
	cpuid->count = 0xffffffffULL;
	cpuid->cycles = 0xffffffffULL;
	exit_once(KVM_EXIT_STATS_SVM, 0x72, 10);
	assert_true(cpuid->count == 1ULL << 32);
	assert_true(cpuid->cycles == (1ULL << 32) + 9);

	cpuid->count = ~0ULL;
	cpuid->cycles = ~0ULL - 4;
	exit_once(KVM_EXIT_STATS_SVM, 0x72, 10);
	assert_true(cpuid->count == 0);		/* wrapped: 2^64 exits */
	assert_true(cpuid->cycles == 5);	/* wrapped too */
	assert_int_equal(cpuid->max, 10);
	assert_int_equal(kvm_exit_stat_min(cpuid), 10);
}

/* The bucket of a time: KVM's LOG_HIST, 0, [1,2), [2,4), ..., [2^30,inf). */
static void hist_buckets(void **state)
{
	(void)state;
	assert_int_equal(kvm_exit_stats_hist_bucket(0), 0);
	assert_int_equal(kvm_exit_stats_hist_bucket(1), 1);
	assert_int_equal(kvm_exit_stats_hist_bucket(2), 2);
	assert_int_equal(kvm_exit_stats_hist_bucket(3), 2);
	assert_int_equal(kvm_exit_stats_hist_bucket(1023), 10);
	assert_int_equal(kvm_exit_stats_hist_bucket(1024), 11);
	assert_int_equal(kvm_exit_stats_hist_bucket((1ULL << 30) - 1), 30);
	assert_int_equal(kvm_exit_stats_hist_bucket(1ULL << 30), 31);
	assert_int_equal(kvm_exit_stats_hist_bucket(~0ULL), 31);
}

/*
 * With histograms, each exit timed goes into its reason's: exit-to-entry
 * and in KVM apart, the sums equal to "timed"; reasons get histograms in
 * the order they come, and those beyond the room, or without a slot, share
 * "other".
 */
static void histograms(void **state)
{
	const u32 svm = KVM_EXIT_STATS_SVM;
	struct kvm_exit_hist *h;
	u64 got, sum = 0;
	u32 r;
	int b;

	(void)state;
	es.hist = &hist;
	exit_once(svm, 0x72, 1000);			/* cpuid: bucket 10 */
	exit_once(svm, 0x72, 1024);			/* bucket 11 */
	begin(&es, kvm_exit_stats_slot(svm, 0x7b), 0x7b, true);
	kshim_tsc += 100;				/* io: 100 in KVM ... */
	kvm_exit_stats_path_leave(&es, KVM_EXIT_STATS_USER);
	kshim_tsc += 5000;				/* ... 5000 in user space */
	kvm_exit_stats_path_back(&es, KVM_EXIT_STATS_USER, true);
	assert_non_null(entry(&got));
	assert_int_equal(got, 100);

	assert_int_equal(hist.used, 2);
	assert_int_equal(hist.slot[0], 0x72);
	assert_int_equal(hist.slot[1], 0x7b);
	h = &hist.h[0];
	assert_int_equal(h->bucket[KVM_EXIT_STATS_HIST_KVM][10], 1);
	assert_int_equal(h->bucket[KVM_EXIT_STATS_HIST_KVM][11], 1);
	assert_int_equal(h->bucket[KVM_EXIT_STATS_HIST_E2E][10], 1);
	h = &hist.h[1];
	assert_int_equal(h->bucket[KVM_EXIT_STATS_HIST_KVM][7], 1);	/* 100: [64,128) */
	assert_int_equal(h->bucket[KVM_EXIT_STATS_HIST_E2E][13], 1);	/* 5100: [4096,8192) */

	/* More reasons than room: the first KVM_EXIT_STATS_HIST_REASONS get their own. */
	for (r = 0; r < KVM_EXIT_STATS_HIST_REASONS + 3; r++)
		exit_once(svm, r, 50);
	assert_int_equal(hist.used, KVM_EXIT_STATS_HIST_REASONS);
	for (b = 0; b < KVM_EXIT_STATS_HIST_BUCKETS; b++)
		sum += hist.h[KVM_EXIT_STATS_HIST_REASONS].bucket[KVM_EXIT_STATS_HIST_KVM][b];
	assert_int_equal(sum, 5);	/* 0x7b and 0x72 had theirs: 31 - 26 new ones share */
	/* A reason without a slot goes to "other" too. */
	exit_once(svm, 0x500, 50);
	assert_int_equal(hist.h[KVM_EXIT_STATS_HIST_REASONS].bucket[KVM_EXIT_STATS_HIST_KVM][6], 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(counts_and_times, setup),
		cmocka_unit_test_setup(counted_then_timed, setup),
		cmocka_unit_test_setup(parts_of_the_time, setup),
		cmocka_unit_test_setup(parts_without_an_exit, setup),
		cmocka_unit_test_setup(back_while_untimed, setup),
		cmocka_unit_test_setup(counts_only, setup),
		cmocka_unit_test_setup(zero_cycles, setup),
		cmocka_unit_test_setup(forgotten_exit, setup),
		cmocka_unit_test_setup(tsc_went_back, setup),
		cmocka_unit_test_setup(reasons_without_a_slot, setup),
		cmocka_unit_test_setup(vmx_vmfail, setup),
		cmocka_unit_test_setup(sev_es_vmgexit, setup),
		cmocka_unit_test_setup(counters_at_their_limits, setup),
		cmocka_unit_test_setup(hist_buckets, setup),
		cmocka_unit_test_setup(histograms, setup),
	};

	return cmocka_run_group_tests_name("the VM-exit path, as the kernel has it", tests, NULL, NULL);
}
