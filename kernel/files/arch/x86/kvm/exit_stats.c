// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics for KVM on x86, VMX and SVM.
 *
 * Every VM-exit is counted under its exit reason (VMX: the basic exit
 * reason; SVM: the exit code) at the VM-exit, and timed at the vCPU's next
 * VM-entry: from the VM-exit, where the vendor code fires the
 * kvm_exit tracepoint, to that entry (exit-to-entry), split into the time
 * the vCPU's thread spent in user space (KVM_RUN returned until the next
 * KVM_RUN), blocked (halted), preempted (scheduled out) and the rest, in
 * KVM, whose TSC cycles are the "cycles" of the files.  Exits handled in
 * the fastpath and failed VM-entries are counted like all others, so that
 * the count of every reason adds up to KVM's own "exits": VMX's VMFAIL
 * (KVM's reason 0xdead) and the VM-entry failure KVM synthesizes for a
 * guest state it must emulate (INVALID_STATE) too, which the kvm_exit
 * tracepoint does not show.
 * An SEV-ES guest's VMGEXIT is counted under the exit its GHCB names.  The
 * exit path is exit_stats_path.h.
 *
 * The exit path touches only the vCPU's own statistics, which only the
 * vCPU's thread writes: no atomics, no locks, and nothing at all while the
 * kvm.exit_stats static key is off.  Readers add up the vCPUs of each VM
 * (exit_stats_fold.c).
 * When a VM is destroyed its numbers are folded into the "departed"
 * totals, so the system-wide statistics include VMs that are gone.  A
 * reset is carried out by each vCPU itself (KVM_REQ_EXIT_STATS_RESET), so
 * that it cannot race with the vCPU's updates; readers see a vCPU with a
 * reset pending as all zeros.  A per-vCPU seqcount, which the vCPU's thread
 * alone writes, makes every read see each exit whole and a vCPU either
 * before or after its reset, never half of each (exit_stats_fold.c).
 *
 * Guests may read the statistics through CPUID leaves, if the host or the
 * VMM opted their VM in (exit_stats_cpuid.c).
 *
 * Interfaces: /sys/kernel/debug/kvm/exit_stats (system-wide, read-only) and
 * exit_stats_control ("reset", "dump"); /sys/kernel/debug/kvm/<pid>-<fd>/
 * exit_stats and exit_stats_control ("dump", "cpuid=SCOPE[,user]"); an
 * exit_stats_hist beside each exit_stats (the histograms);
 * kvm.exit_stats=off|counts|time|hist, kvm.exit_stats_log_every=N,
 * kvm.exit_stats_cpuid=off|vm|system, kvm.exit_stats_cpuid_layout=a|b|c,
 * kvm.exit_stats_cpuid_dump.
 * Which file does what: exit_stats_internal.h.
 */
#define pr_fmt(fmt) "kvm_exit_stats: " fmt

#include <linux/kvm_host.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/seqlock.h>
#include <linux/workqueue.h>

#include "exit_stats_internal.h"

struct static_key_true kvm_exit_stats_key = STATIC_KEY_TRUE_INIT;
EXPORT_SYMBOL_GPL(kvm_exit_stats_key);
/* The time of each exit (kvm.exit_stats=time): on only while kvm_exit_stats_key is. */
struct static_key_true kvm_exit_stats_time_key = STATIC_KEY_TRUE_INIT;
EXPORT_SYMBOL_GPL(kvm_exit_stats_time_key);
/* The histograms (kvm.exit_stats=hist): on only while kvm_exit_stats_time_key is. */
DEFINE_STATIC_KEY_FALSE(kvm_exit_stats_hist_key);
/* The per-CPU counts of system scope: on while kvm.exit_stats_cpuid=system. */
DEFINE_STATIC_KEY_FALSE(kvm_exit_stats_cpu_key);
EXPORT_SYMBOL_GPL(kvm_exit_stats_cpu_key);
struct kvm_exit_stats_cpu __percpu *kvm_exit_stats_cpu __read_mostly;
EXPORT_SYMBOL_GPL(kvm_exit_stats_cpu);

/* Protects what exit_stats_internal.h says; never taken in the exit path. */
DEFINE_MUTEX(kvm_exit_stats_lock);
LIST_HEAD(kvm_exit_stats_vms);
struct kvm_exit_stats kvm_exit_stats_departed;
struct kvm_exit_hists *kvm_exit_stats_departed_hist;
enum kvm_exit_stats_isa kvm_exit_stats_cur_isa;
bool (*kvm_exit_stats_enabled)(struct kvm_vcpu *vcpu, u32 reason);
seqcount_mutex_t kvm_exit_stats_cpu_seq = SEQCNT_MUTEX_ZERO(kvm_exit_stats_cpu_seq,
							    &kvm_exit_stats_lock);
/* The ISA whose exits "departed" holds, kept while no vendor module is loaded. */
static enum kvm_exit_stats_isa exit_stats_departed_isa;

static void cpu_counts_zero(void *unused)
{
	memset(this_cpu_ptr(kvm_exit_stats_cpu), 0, sizeof(struct kvm_exit_stats_cpu));
}

/* Zeroes the per-CPU counts; a reader sees them all before or all after. */
void kvm_exit_stats_cpu_counts_zero(void)
{
	lockdep_assert_held(&kvm_exit_stats_lock);
	write_seqcount_begin(&kvm_exit_stats_cpu_seq);
	on_each_cpu(cpu_counts_zero, NULL, 1);
	write_seqcount_end(&kvm_exit_stats_cpu_seq);
}

/*
 * Zeroes the system-wide statistics: the departed totals at once, every
 * vCPU before it next enters its guest (kvm_exit_stats_reset_vcpu()), and
 * the per-CPU counts only while they are kept (system scope allowed): they
 * are zeroed again before they are next kept, so a reset sends no IPI to
 * every CPU on a host that does not use them.
 */
void kvm_exit_stats_reset_all(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	unsigned long i;

	mutex_lock(&kvm_exit_stats_lock);
	memset(&kvm_exit_stats_departed, 0, sizeof(kvm_exit_stats_departed));
	if (kvm_exit_stats_departed_hist)
		memset(kvm_exit_stats_departed_hist, 0, sizeof(*kvm_exit_stats_departed_hist));
	list_for_each_entry(kvm, &kvm_exit_stats_vms, exit_stats.link)
		kvm_for_each_vcpu(i, vcpu, kvm)
			kvm_make_request(KVM_REQ_EXIT_STATS_RESET, vcpu);
	if (kvm_exit_stats_cpu && static_key_enabled(&kvm_exit_stats_cpu_key))
		kvm_exit_stats_cpu_counts_zero();
	kvm_exit_stats_log_restart();
	mutex_unlock(&kvm_exit_stats_lock);
}

/* Called by the vCPU itself, before it enters the guest. */
void kvm_exit_stats_reset_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;

	preempt_disable();
	write_seqcount_begin(&es->seq);
	memset(&es->s, 0, sizeof(es->s));
	if (es->hist)
		memset(es->hist, 0, sizeof(*es->hist));
	es->timing = NULL;	/* counted before the reset: not timed after it */
	kvm_clear_request(KVM_REQ_EXIT_STATS_RESET, vcpu);
	write_seqcount_end(&es->seq);
	preempt_enable();
}

/*
 * KVM_REQ_EXIT_STATS_HIST, made when the tier "hist" is chosen and at each
 * KVM_RUN of a vCPU without histograms then: the vCPU's thread allocates
 * its own, before it enters the guest (it may sleep there), so that nothing
 * else ever writes the pointer the exit path reads.  They stay until the
 * VM is destroyed, and count the exits timed from the vCPU's next VM-entry
 * on.
 */
void kvm_exit_stats_hist_alloc(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_exit_hist *h;

	if (vcpu->exit_stats.hist || !static_key_enabled(&kvm_exit_stats_hist_key))
		return;
	h = kvzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h) {
		pr_warn_ratelimited("no memory for the histograms of a vCPU: it has none\n");
		return;
	}
	smp_store_release(&vcpu->exit_stats.hist, h);	/* readers see it zeroed */
}

/* Adds @vcpu's histograms to the departed totals and frees them. */
static void hist_depart(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_exit_hist *h = vcpu->exit_stats.hist;

	lockdep_assert_held(&kvm_exit_stats_lock);
	if (!h)
		return;
	/* The host's, not the departing VM's: not charged to its VMM's memory cgroup. */
	if (!kvm_exit_stats_departed_hist)
		kvm_exit_stats_departed_hist = kvzalloc(sizeof(*kvm_exit_stats_departed_hist),
							GFP_KERNEL);
	if (kvm_exit_stats_departed_hist && !kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
		kvm_exit_stats_hist_merge(kvm_exit_stats_departed_hist, h);
	vcpu->exit_stats.hist = NULL;
	kvfree(h);
}

/* The departed VMs' histograms are gone (a vendor module unloaded). */
static void hist_departed_free(void)
{
	lockdep_assert_held(&kvm_exit_stats_lock);
	kvfree(kvm_exit_stats_departed_hist);
	kvm_exit_stats_departed_hist = NULL;
}

void kvm_exit_stats_init_vcpu(struct kvm_vcpu *vcpu)
{
	seqcount_init(&vcpu->exit_stats.seq);
	vcpu->exit_stats.where = KVM_EXIT_STATS_USER;	/* until its first KVM_RUN */
}

void kvm_exit_stats_init_vm(struct kvm *kvm)
{
	struct kvm_exit_stats_vm *vm = &kvm->exit_stats;

	kvm_exit_stats_cpuid_init_vm(kvm);
	mutex_lock(&kvm_exit_stats_lock);
	list_add_tail(&vm->link, &kvm_exit_stats_vms);
	mutex_unlock(&kvm_exit_stats_lock);
}

/*
 * Called before the VM's vCPUs are destroyed, when none of them can run: no
 * reset can overtake a read, but a vCPU with a reset pending counts nothing.
 */
void kvm_exit_stats_destroy_vm(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	cancel_delayed_work_sync(&kvm->exit_stats.dump_work);
	mutex_lock(&kvm_exit_stats_lock);
	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (!kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			kvm_exit_stats_merge(&kvm_exit_stats_departed,
					     &vcpu->exit_stats.s);
		hist_depart(vcpu);
	}
	list_del(&kvm->exit_stats.link);
	mutex_unlock(&kvm_exit_stats_lock);
}

/*
 * Called by the vendor module once kvm_init() has created debugfs "kvm".
 * With KVM built as modules, kvm.ko keeps its parameters and the totals of
 * departed VMs while the vendor module is unloaded and loaded again.
 */
void kvm_exit_stats_init(enum kvm_exit_stats_isa isa,
			 bool (*enabled)(struct kvm_vcpu *vcpu, u32 reason))
{
	/* What every exit touches of its vCPU's statistics: one cache line. */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     offsetof(struct kvm_vcpu_exit_stats, mark) > L1_CACHE_BYTES);
	WARN_ON_ONCE(!kvm_exit_stats_tables_fit_slots());

	mutex_lock(&kvm_exit_stats_lock);
	if (exit_stats_departed_isa != isa)
		memset(&kvm_exit_stats_departed, 0, sizeof(kvm_exit_stats_departed));
	kvm_exit_stats_cpu = alloc_percpu(struct kvm_exit_stats_cpu);
	if (!kvm_exit_stats_cpu)
		pr_warn("no memory for the per-CPU counts: guests see at most their own VM\n");
	kvm_exit_stats_cur_isa = isa;
	exit_stats_departed_isa = isa;
	kvm_exit_stats_enabled = enabled;
	kvm_exit_stats_apply();
	mutex_unlock(&kvm_exit_stats_lock);

	kvm_exit_stats_binary_init(kvm_exit_stats_isa_slots(isa));
	kvm_exit_stats_debugfs_init();
}
EXPORT_SYMBOL_GPL(kvm_exit_stats_init);

/*
 * Called by the vendor module before kvm_exit(), when no VM is left.  The
 * parameters keep their values: they apply again when a vendor module is
 * loaded.
 */
void kvm_exit_stats_exit(void)
{
	mutex_lock(&kvm_exit_stats_lock);
	kvm_exit_stats_cur_isa = 0;	/* the log poll does not rearm itself */
	kvm_exit_stats_enabled = NULL;
	if (static_key_enabled(&kvm_exit_stats_cpu_key))
		static_branch_disable(&kvm_exit_stats_cpu_key);
	free_percpu(kvm_exit_stats_cpu);
	kvm_exit_stats_cpu = NULL;
	hist_departed_free();
	mutex_unlock(&kvm_exit_stats_lock);
	kvm_exit_stats_log_stop();
	kvm_exit_stats_debugfs_exit();
	kvm_exit_stats_binary_exit();
}
EXPORT_SYMBOL_GPL(kvm_exit_stats_exit);
