// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics: reading them and adding them up.  A
 * vCPU's thread alone writes its statistics (exit_stats_path.h); readers
 * add up the vCPUs of a VM, and for the system-wide numbers every VM and
 * the totals of the VMs that are gone, or the per-CPU counts that a guest
 * of system scope reads.
 */
#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/seqlock.h>
#include <linux/slab.h>

#include "exit_stats_internal.h"

/*
 * Add @src to @dst.  The vCPU that owns @src may be updating it meanwhile
 * (a read the seqcount could not make whole): each field is read once and
 * whole (an aligned u64), "timed" first (kvm_exit_stat_time() writes it
 * last) and the count last, so that the times include every exit timed and
 * the count every exit timed, and maybe the next ones while that vCPU runs.
 */
static void stat_merge(struct kvm_exit_stat *dst, const struct kvm_exit_stat *src)
{
	u64 timed = READ_ONCE(src->timed), v;
	int i;

	smp_rmb();	/* "timed" before the times: kvm_exit_stat_time() writes it last */
	if (timed) {
		v = READ_ONCE(src->min_inv);
		if (v > dst->min_inv)
			dst->min_inv = v;
		v = READ_ONCE(src->max);
		if (v > dst->max)
			dst->max = v;
		v = READ_ONCE(src->e2e_max);
		if (v > dst->e2e_max)
			dst->e2e_max = v;
		dst->cycles += READ_ONCE(src->cycles);
		for (i = 0; i < KVM_EXIT_STATS_PARTS; i++)
			dst->part[i] += READ_ONCE(src->part[i]);
		dst->timed += timed;
	}
	smp_rmb();	/* the count last: it counts every exit timed above */
	dst->count += max(READ_ONCE(src->count), timed);
}

void kvm_exit_stats_merge(struct kvm_exit_stats *dst, const struct kvm_exit_stats *src)
{
	int i;

	for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
		stat_merge(&dst->slot[i], &src->slot[i]);
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++) {
		const struct kvm_exit_stat_unknown *u = &src->unknown[i];

		if (!READ_ONCE(u->stat.count))
			break;
		/* Pairs with smp_wmb() in kvm_exit_stats_unknown_stat(): count before reason. */
		smp_rmb();
		stat_merge(kvm_exit_stats_unknown_stat(dst, READ_ONCE(u->reason)), &u->stat);
	}
	stat_merge(&dst->unlisted, &src->unlisted);
	dst->untimed += READ_ONCE(src->untimed);
}

/*
 * A vCPU's thread times each exit (at VM-entry, interrupts off), and zeroes
 * its statistics for a reset (preemption off), inside its seqcount, so that
 * a read that the seqcount did not see change has every exit timed whole
 * (timed, cycles, minimum and maximum of the same exits) and the vCPU
 * before or after a reset, never a mix.  An exit's count is one field,
 * written alone outside the seqcount (it is the whole of the counts tier):
 * a read sees it whole, and at least the exits timed (stat_merge()).  The
 * seqcount stays odd for a few instructions, unless
 * the vCPU's CPU is taken from it in the middle (an interrupt, or a
 * hypervisor below this host that deschedules its CPU).  A reader spins
 * EXIT_STATS_READ_SPINS times; one that may sleep (the files, the log dumps)
 * then naps between tries, EXIT_STATS_READ_NAPS times at most (about 10 ms),
 * before it takes what it read; a guest's CPUID query never waits longer
 * than the spins.  A read taken so counts at worst one exit of that vCPU in
 * some of its fields only.
 */
#define EXIT_STATS_READ_SPINS	64
#define EXIT_STATS_READ_NAPS	200

static bool vcpu_read_again(const struct kvm_vcpu_exit_stats *es, unsigned int seq,
			    unsigned int *tries, bool may_sleep)
{
	if (!(seq & 1) && !read_seqcount_retry(&es->seq, seq))
		return false;
	if (++*tries < EXIT_STATS_READ_SPINS) {
		cpu_relax();
		return true;
	}
	if (!may_sleep || *tries >= EXIT_STATS_READ_SPINS + EXIT_STATS_READ_NAPS)
		return false;
	usleep_range(20, 50);
	return true;
}

/*
 * Adds @vcpu's statistics to @dst (read into @tmp, then added): a vCPU with
 * a reset pending adds nothing.  May sleep.
 */
static void vcpu_stats_add(struct kvm_vcpu *vcpu, struct kvm_exit_stats *dst,
			   struct kvm_exit_stats *tmp)
{
	const struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;
	unsigned int seq, tries = 0;

	do {
		seq = raw_read_seqcount(&es->seq);
		memset(tmp, 0, sizeof(*tmp));
		if (!kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			kvm_exit_stats_merge(tmp, &es->s);
	} while (vcpu_read_again(es, seq, &tries, true));
	kvm_exit_stats_merge(dst, tmp);
}

/* Adds @s's count and cycles in KVM, read live, to @count and @cycles. */
static void stat_add2(const struct kvm_exit_stat *s, u64 *count, u64 *cycles)
{
	*count += READ_ONCE(s->count);
	*cycles += READ_ONCE(s->cycles);
}

/*
 * Whether the last exit @es counted is in @slot (or, @all, anywhere): a
 * guest's query looks for its own CPUID exit, counted at its VM-exit, to
 * answer for the exits before it.  Not while the statistics are off (it
 * may be an older exit then), nor if they were off at that VM-exit (cur
 * was forgotten when they came on, exit_stats_params.c).
 */
bool kvm_exit_stats_counted_last(const struct kvm_vcpu_exit_stats *es, u32 slot, bool all)
{
	const struct kvm_exit_stat *cur = READ_ONCE(es->cur);

	return cur && static_key_enabled(&kvm_exit_stats_key) &&
	       (all || cur == &es->s.slot[slot]);
}

/*
 * The exits and cycles in KVM of @vcpu in @slot, or of every reason if
 * @all, before or after any reset, added to @count and @cycles; without
 * the exit being handled if @asking (@vcpu's CPUID exit asks).  For a
 * guest's CPUID query, which does not sleep.
 */
void kvm_exit_stats_vcpu_read2(struct kvm_vcpu *vcpu, u32 slot, bool all, bool asking,
			       u64 *count, u64 *cycles)
{
	const struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;
	const struct kvm_exit_stats *st = &es->s;
	unsigned int seq, tries = 0;
	u64 n, t;
	int i;

	do {
		seq = raw_read_seqcount(&es->seq);
		n = 0;
		t = 0;
		if (kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			continue;
		if (all) {
			for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
				stat_add2(&st->slot[i], &n, &t);
			for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++)
				stat_add2(&st->unknown[i].stat, &n, &t);
			stat_add2(&st->unlisted, &n, &t);
		} else {
			stat_add2(&st->slot[slot], &n, &t);
		}
		if (asking && n && kvm_exit_stats_counted_last(es, slot, all))
			n--;
	} while (vcpu_read_again(es, seq, &tries, false));
	*count += n;
	*cycles += t;
}

static void vm_stats_add(struct kvm *kvm, struct kvm_exit_stats *dst,
			 struct kvm_exit_stats *tmp)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm)
		vcpu_stats_add(vcpu, dst, tmp);
}

static void system_stats_add(struct kvm_exit_stats *dst, struct kvm_exit_stats *tmp)
{
	struct kvm *kvm;

	lockdep_assert_held(&kvm_exit_stats_lock);
	kvm_exit_stats_merge(dst, &kvm_exit_stats_departed);
	list_for_each_entry(kvm, &kvm_exit_stats_vms, exit_stats.link)
		vm_stats_add(kvm, dst, tmp);
}

/* The sum of all exit reasons of @st. */
static void total_add(struct kvm_exit_stat *t, const struct kvm_exit_stat *s)
{
	u64 min = kvm_exit_stat_min(s);
	int i;

	if (s->timed && (!t->timed || min < kvm_exit_stat_min(t)))
		t->min_inv = ~min;
	if (s->max > t->max)
		t->max = s->max;
	if (s->e2e_max > t->e2e_max)
		t->e2e_max = s->e2e_max;
	t->count += s->count;
	t->timed += s->timed;
	t->cycles += s->cycles;
	for (i = 0; i < KVM_EXIT_STATS_PARTS; i++)
		t->part[i] += s->part[i];
}

/*
 * The sum of the reasons of @st without a slot (the unknown and unlisted
 * ones), a copy that nothing updates.
 */
void kvm_exit_stats_other(const struct kvm_exit_stats *st, struct kvm_exit_stat *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++)
		total_add(t, &st->unknown[i].stat);
	total_add(t, &st->unlisted);
}

/* The sum of all exit reasons of @st, a copy that nothing updates. */
void kvm_exit_stats_total(const struct kvm_exit_stats *st, struct kvm_exit_stat *t)
{
	int i;

	kvm_exit_stats_other(st, t);
	for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
		total_add(t, &st->slot[i]);
}

/*
 * The statistics of @kvm, or the system-wide ones if NULL (the caller holds
 * kvm_exit_stats_lock then); kfree() them.
 */
static struct kvm_exit_stats *stats_get(struct kvm *kvm)
{
	struct kvm_exit_stats *st = kcalloc(2, sizeof(*st), GFP_KERNEL);

	if (st && kvm)
		vm_stats_add(kvm, st, st + 1);
	else if (st)
		system_stats_add(st, st + 1);
	return st;
}

/* The statistics of @kvm, or the system-wide ones if NULL; kfree() them. */
struct kvm_exit_stats *kvm_exit_stats_read(struct kvm *kvm)
{
	struct kvm_exit_stats *st;

	if (kvm)
		return stats_get(kvm);
	mutex_lock(&kvm_exit_stats_lock);
	st = stats_get(NULL);
	mutex_unlock(&kvm_exit_stats_lock);
	return st;
}

/* The statistics of @vcpu alone; kfree() them. */
struct kvm_exit_stats *kvm_exit_stats_read_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_exit_stats *st = kcalloc(2, sizeof(*st), GFP_KERNEL);

	if (st)
		vcpu_stats_add(vcpu, st, st + 1);
	return st;
}

/*
 * The system-wide statistics (kfree() them) and their sum in @t; the caller
 * holds kvm_exit_stats_lock.
 */
struct kvm_exit_stats *kvm_exit_stats_system_total(struct kvm_exit_stat *t)
{
	struct kvm_exit_stats *st = stats_get(NULL);

	if (st)
		kvm_exit_stats_total(st, t);
	return st;
}

/* The per-CPU counts of @slot, or of all reasons if @all, summed. */
void kvm_exit_stats_cpu_read(u32 slot, bool all, u64 *count, u64 *cycles)
{
	unsigned int seq;
	int cpu;

	do {
		seq = read_seqcount_begin(&kvm_exit_stats_cpu_seq);
		*count = 0;
		*cycles = 0;
		for_each_possible_cpu(cpu) {
			struct kvm_exit_stats_cpu *c = per_cpu_ptr(kvm_exit_stats_cpu, cpu);
			const u64 *n = all ? &c->all.count : &c->slot[slot].count;
			const u64 *t = all ? &c->all.cycles : &c->slot[slot].cycles;

			*count += READ_ONCE(*n);
			*cycles += READ_ONCE(*t);
		}
	} while (read_seqcount_retry(&kvm_exit_stats_cpu_seq, seq));
}

/* The histograms: added up by slot, as the statistics are. */
static void hist_add(struct kvm_exit_hist *dst, const struct kvm_exit_hist *src)
{
	int k, b;

	for (k = 0; k < KVM_EXIT_STATS_HISTS; k++)
		for (b = 0; b < KVM_EXIT_STATS_HIST_BUCKETS; b++)
			dst->bucket[k][b] += src->bucket[k][b];
}

/*
 * Adds a vCPU's histograms @h (a copy that nothing updates, maybe torn if
 * its seqcount could not make it whole: hence the bounds) to @dst.
 */
void kvm_exit_stats_hist_merge(struct kvm_exit_hists *dst, const struct kvm_vcpu_exit_hist *h)
{
	unsigned int i, used = min_t(unsigned int, h->used, KVM_EXIT_STATS_HIST_REASONS);

	for (i = 0; i < used; i++)
		hist_add(&dst->slot[min_t(u32, h->slot[i], KVM_EXIT_STATS_HIST_OTHER)], &h->h[i]);
	hist_add(&dst->slot[KVM_EXIT_STATS_HIST_OTHER], &h->h[KVM_EXIT_STATS_HIST_REASONS]);
}

/*
 * Adds @vcpu's histograms, if it has any, to @dst (read into @tmp), whole
 * as its seqcount allows, like its statistics; a vCPU with a reset pending
 * adds nothing.  May sleep.
 */
static void vcpu_hist_add(struct kvm_vcpu *vcpu, struct kvm_exit_hists *dst,
			  struct kvm_vcpu_exit_hist *tmp)
{
	const struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;
	/* Pairs with smp_store_release() in kvm_exit_stats_hist_alloc(): zeroed first. */
	const struct kvm_vcpu_exit_hist *h = smp_load_acquire(&es->hist);
	unsigned int seq, tries = 0;

	if (!h)
		return;
	do {
		seq = raw_read_seqcount(&es->seq);
		if (kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			memset(tmp, 0, sizeof(*tmp));
		else
			memcpy(tmp, h, sizeof(*tmp));
	} while (vcpu_read_again(es, seq, &tries, true));
	kvm_exit_stats_hist_merge(dst, tmp);
}

/*
 * The histograms of @vcpu if not NULL, else of @kvm, else the system-wide
 * ones (the departed VMs' too); kvfree() them.
 */
struct kvm_exit_hists *kvm_exit_stats_hist_read(struct kvm *kvm, struct kvm_vcpu *vcpu)
{
	struct kvm_exit_hists *dst = kvzalloc(sizeof(*dst), GFP_KERNEL_ACCOUNT);
	struct kvm_vcpu_exit_hist *tmp = kvmalloc(sizeof(*tmp), GFP_KERNEL_ACCOUNT);
	unsigned long i;

	if (!dst || !tmp) {
		kvfree(dst);
		kvfree(tmp);
		return NULL;
	}
	if (vcpu) {
		vcpu_hist_add(vcpu, dst, tmp);
	} else if (kvm) {
		kvm_for_each_vcpu(i, vcpu, kvm)
			vcpu_hist_add(vcpu, dst, tmp);
	} else {
		mutex_lock(&kvm_exit_stats_lock);
		if (kvm_exit_stats_departed_hist)
			for (i = 0; i <= KVM_EXIT_STATS_HIST_OTHER; i++)
				hist_add(&dst->slot[i], &kvm_exit_stats_departed_hist->slot[i]);
		list_for_each_entry(kvm, &kvm_exit_stats_vms, exit_stats.link)
			kvm_for_each_vcpu(i, vcpu, kvm)
				vcpu_hist_add(vcpu, dst, tmp);
		mutex_unlock(&kvm_exit_stats_lock);
	}
	kvfree(tmp);
	return dst;
}
