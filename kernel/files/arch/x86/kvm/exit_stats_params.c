// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics: the parameters of module kvm.
 *   kvm.exit_stats=off|counts|time|hist  the tier: nothing, counts only
 *                                 (no TSC read), counts and times (default;
 *                                 0 and 1 are off and time), and their
 *                                 histograms
 *   kvm.exit_stats_log_every=N    dump to the kernel log every N exits
 *   kvm.exit_stats_cpuid=off|vm|system  the most a VM opted in may see
 *   kvm.exit_stats_cpuid_layout=a|b|c   the leaves' layout for new VMs
 *   kvm.exit_stats_cpuid_dump=0|1 let opted-in guests dump to the log
 * A bad value is refused and changes nothing.  They apply when a vendor
 * module is loaded and keep their values while none is.
 */
#define pr_fmt(fmt) "kvm_exit_stats: " fmt

#include <linux/jump_label.h>
#include <linux/kvm_host.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "exit_stats_internal.h"

#define EXIT_STATS_LOG_POLL_MS	100

enum { EXIT_STATS_OFF, EXIT_STATS_COUNTS, EXIT_STATS_TIME, EXIT_STATS_HIST };
static const char *const exit_stats_tiers[] = { "off", "counts", "time", "hist" };
static int exit_stats_tier = EXIT_STATS_TIME;
static unsigned long exit_stats_log_every;
static u64 exit_stats_log_next;
/* The most any VM may see through CPUID (KVM_EXIT_STATS_SCOPE_*). */
int kvm_exit_stats_cpuid_cap = KVM_EXIT_STATS_SCOPE_OFF;
int kvm_exit_stats_cpuid_layout = KVM_EXIT_STATS_LAYOUT_C;
bool kvm_exit_stats_cpuid_dump;

static void exit_stats_log_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(exit_stats_log_work, exit_stats_log_fn);

/*
 * kvm.exit_stats_log_every=N: a poll, every EXIT_STATS_LOG_POLL_MS while N
 * is not 0, dumps the system-wide statistics once another N exits have
 * happened since the last dump.  The trigger is approximate, the numbers
 * dumped are exact, and the exit path pays nothing for it.
 */
static void exit_stats_log_fn(struct work_struct *work)
{
	struct kvm_exit_stats *st = NULL;
	struct kvm_exit_stat t;
	char trigger[32];
	bool dump = false;

	mutex_lock(&kvm_exit_stats_lock);
	if (exit_stats_log_every)
		st = kvm_exit_stats_system_total(&t);
	if (st && t.count >= exit_stats_log_next) {
		dump = true;
		snprintf(trigger, sizeof(trigger), "every-%lu", exit_stats_log_every);
		exit_stats_log_next = t.count + exit_stats_log_every;
	}
	if (exit_stats_log_every && kvm_exit_stats_cur_isa)
		queue_delayed_work(system_dfl_wq, &exit_stats_log_work,
				   msecs_to_jiffies(EXIT_STATS_LOG_POLL_MS));
	mutex_unlock(&kvm_exit_stats_lock);
	if (dump)
		kvm_exit_stats_log_dump(st, "system", trigger);
	kfree(st);
}

/*
 * Before the statistics are switched on (or their time: @timing_only): a
 * vCPU still holds the last exit it counted while they were last on (cur,
 * which a VMGEXIT and a guest's query look at) and maybe one not yet timed,
 * with its old start (timing), which its next VM-entry would time once they
 * are on again.  So every vCPU forgets both (timing only, for
 * @timing_only), while the key is off: no vCPU counts or times an exit
 * then, and those hooks run with interrupts off, so none is half-way
 * through one.  An exit in flight at the switch is not counted; every later
 * one is.
 */
static void forget_pending_exits(bool timing_only)
{
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	unsigned long i;

	lockdep_assert_held(&kvm_exit_stats_lock);
	list_for_each_entry(kvm, &kvm_exit_stats_vms, exit_stats.link)
		kvm_for_each_vcpu(i, vcpu, kvm) {
			if (!timing_only)
				WRITE_ONCE(vcpu->exit_stats.cur, NULL);
			WRITE_ONCE(vcpu->exit_stats.timing, NULL);
		}
}

/*
 * Turns the statistics' static keys on or off for the tier: counting first
 * on and last off, the time only while counting (an exit's start is taken
 * only if it was, kvm_exit_stats_begin()), and the histograms only
 * while timing.
 */
static void apply_tier(void)
{
	bool on = exit_stats_tier >= EXIT_STATS_COUNTS, timed = exit_stats_tier >= EXIT_STATS_TIME;
	bool hist = exit_stats_tier == EXIT_STATS_HIST;
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	unsigned long i;

	if (!hist && static_key_enabled(&kvm_exit_stats_hist_key))
		static_branch_disable(&kvm_exit_stats_hist_key);
	if (!timed && static_key_enabled(&kvm_exit_stats_time_key))
		static_branch_disable(&kvm_exit_stats_time_key);
	if (on && !static_key_enabled(&kvm_exit_stats_key)) {
		forget_pending_exits(false);
		static_branch_enable(&kvm_exit_stats_key);
	} else if (!on && static_key_enabled(&kvm_exit_stats_key)) {
		static_branch_disable(&kvm_exit_stats_key);
	}
	if (timed && !static_key_enabled(&kvm_exit_stats_time_key)) {
		forget_pending_exits(true);
		static_branch_enable(&kvm_exit_stats_time_key);
	}
	if (hist && !static_key_enabled(&kvm_exit_stats_hist_key)) {
		static_branch_enable(&kvm_exit_stats_hist_key);
		/* Each vCPU allocates its own histograms (kvm_exit_stats_hist_alloc()). */
		list_for_each_entry(kvm, &kvm_exit_stats_vms, exit_stats.link)
			kvm_for_each_vcpu(i, vcpu, kvm)
				kvm_make_request(KVM_REQ_EXIT_STATS_HIST, vcpu);
	}
}

/* Applies the parameters, once a vendor module is loaded. */
void kvm_exit_stats_apply(void)
{
	bool cpu_counts = kvm_exit_stats_cpuid_cap == KVM_EXIT_STATS_SCOPE_SYSTEM;
	struct kvm_exit_stats *st;
	struct kvm_exit_stat t;

	lockdep_assert_held(&kvm_exit_stats_lock);
	if (!kvm_exit_stats_cur_isa)
		return;
	apply_tier();
	/* System scope counts from the moment it is allowed. */
	if (cpu_counts && kvm_exit_stats_cpu && !static_key_enabled(&kvm_exit_stats_cpu_key)) {
		kvm_exit_stats_cpu_counts_zero();
		static_branch_enable(&kvm_exit_stats_cpu_key);
	} else if (!cpu_counts && static_key_enabled(&kvm_exit_stats_cpu_key)) {
		static_branch_disable(&kvm_exit_stats_cpu_key);
	}

	if (!exit_stats_log_every)
		return;
	st = kvm_exit_stats_system_total(&t);
	if (st)
		exit_stats_log_next = t.count + exit_stats_log_every;
	kfree(st);
	mod_delayed_work(system_dfl_wq, &exit_stats_log_work,
			 msecs_to_jiffies(EXIT_STATS_LOG_POLL_MS));
}

/*
 * A tier's name, or what the parameter took when it was a bool (0, 1, n, y,
 * N, Y: off and time); nothing else, not even the other words kstrtobool()
 * takes ("Time" is no tier).
 */
static int exit_stats_set(const char *val, const struct kernel_param *kp)
{
	static const char *const bools[] = { "0", "n", "N", "1", "y", "Y" };
	int tier = sysfs_match_string(exit_stats_tiers, val);

	if (tier < 0) {
		tier = sysfs_match_string(bools, val);
		if (tier < 0)
			return -EINVAL;
		tier = tier < 3 ? EXIT_STATS_OFF : EXIT_STATS_TIME;
	}
	mutex_lock(&kvm_exit_stats_lock);
	exit_stats_tier = tier;
	kvm_exit_stats_apply();
	mutex_unlock(&kvm_exit_stats_lock);
	return 0;
}

static int exit_stats_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", exit_stats_tiers[exit_stats_tier]);
}

static int exit_stats_log_every_set(const char *val, const struct kernel_param *kp)
{
	unsigned long every;
	int r;

	r = kstrtoul(val, 0, &every);
	if (r)
		return r;
	mutex_lock(&kvm_exit_stats_lock);
	exit_stats_log_every = every;
	kvm_exit_stats_apply();
	mutex_unlock(&kvm_exit_stats_lock);
	return 0;
}

/* kvm.exit_stats_cpuid: the most any VM may see; lowering it applies at once. */
static int cpuid_cap_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(kvm_exit_stats_scopes, val);

	if (i < 0)
		return -EINVAL;
	mutex_lock(&kvm_exit_stats_lock);
	WRITE_ONCE(kvm_exit_stats_cpuid_cap, i);
	kvm_exit_stats_apply();
	mutex_unlock(&kvm_exit_stats_lock);
	return 0;
}

static int cpuid_cap_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", kvm_exit_stats_scopes[READ_ONCE(kvm_exit_stats_cpuid_cap)]);
}

static int cpuid_layout_set(const char *val, const struct kernel_param *kp)
{
	static const char *const layouts[] = { "a", "b", "c" };
	int i = sysfs_match_string(layouts, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(kvm_exit_stats_cpuid_layout, KVM_EXIT_STATS_LAYOUT_A + i);
	return 0;
}

static int cpuid_layout_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", 'a' + READ_ONCE(kvm_exit_stats_cpuid_layout) -
				      KVM_EXIT_STATS_LAYOUT_A);
}

static const struct kernel_param_ops cpuid_cap_ops = {
	.set = cpuid_cap_set,
	.get = cpuid_cap_get,
};

static const struct kernel_param_ops cpuid_layout_ops = {
	.set = cpuid_layout_set,
	.get = cpuid_layout_get,
};

static const struct kernel_param_ops exit_stats_ops = {
	.set = exit_stats_set,
	.get = exit_stats_get,
};

static const struct kernel_param_ops exit_stats_log_every_ops = {
	.set = exit_stats_log_every_set,
	.get = param_get_ulong,
};

module_param_cb(exit_stats, &exit_stats_ops, &exit_stats_tier, 0644);
MODULE_PARM_DESC(exit_stats,
		 "VM-exit statistics per exit reason: off, counts (no TSC read), time (default: exit-to-entry and its parts), or hist (time and its log2 histograms); 0 and 1 are off and time");
module_param_cb(exit_stats_log_every, &exit_stats_log_every_ops,
		&exit_stats_log_every, 0644);
MODULE_PARM_DESC(exit_stats_log_every,
		 "Dump the exit statistics to the kernel log every N exits (0: never)");
module_param_cb(exit_stats_cpuid, &cpuid_cap_ops, &kvm_exit_stats_cpuid_cap, 0644);
MODULE_PARM_DESC(exit_stats_cpuid,
		 "The most a VM opted in may see through CPUID 0x4ffffff0-0x4fffffff: off, vm or system");
module_param_cb(exit_stats_cpuid_layout, &cpuid_layout_ops, &kvm_exit_stats_cpuid_layout, 0644);
MODULE_PARM_DESC(exit_stats_cpuid_layout,
		 "Layout of CPUID leaves 0x4ffffffc-0x4fffffff for the VMs created from now on: a, b or c");
module_param_named(exit_stats_cpuid_dump, kvm_exit_stats_cpuid_dump, bool, 0644);
MODULE_PARM_DESC(exit_stats_cpuid_dump,
		 "Let opted-in guests dump their statistics to the kernel log (CPUID 0x4ffffff6, once in 5 s per VM)");

/* After a reset: the next log dump comes N exits from now. */
void kvm_exit_stats_log_restart(void)
{
	lockdep_assert_held(&kvm_exit_stats_lock);
	exit_stats_log_next = exit_stats_log_every;
}

/* Once no vendor module is loaded: the poll does not rearm itself then. */
void kvm_exit_stats_log_stop(void)
{
	cancel_delayed_work_sync(&exit_stats_log_work);
}
