// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics for KVM on x86, VMX and SVM.
 *
 * Every VM-exit is counted under its exit reason (VMX: the basic exit
 * reason; SVM: the exit code), together with the TSC cycles KVM spent on
 * it: from the VM-exit, where the vendor code fires the kvm_exit
 * tracepoint, until KVM is done with it, i.e. the exit handler returned or
 * the fastpath re-enters the guest.  Exits handled in the fastpath and
 * failed VM-entries are counted like all others.  Not included: time the
 * vCPU thread then spends in userspace (e.g. a VMM emulating a port), and
 * the completion KVM runs on the next KVM_RUN for an exit that went there.
 *
 * The exit path touches only the vCPU's own statistics, which only the
 * vCPU's thread writes: no atomics, no locks, and nothing at all while the
 * kvm.exit_stats static key is off.  Readers add up the vCPUs of each VM.
 * When a VM is destroyed its numbers are folded into the "departed"
 * totals, so the system-wide statistics include VMs that are gone.  A
 * reset is carried out by each vCPU itself (KVM_REQ_EXIT_STATS_RESET), so
 * that it cannot race with the vCPU's updates; readers see a vCPU with a
 * reset pending as all zeros.
 *
 * Interfaces: /sys/kernel/debug/kvm/exit_stats (system-wide; write "reset"
 * or "dump"), /sys/kernel/debug/kvm/<pid>-<fd>/exit_stats (per VM; write
 * "dump"), kvm.exit_stats=0|1 and kvm.exit_stats_log_every=N; and for
 * guests, CPUID leaves 0x4ffffff0-0x4fffffff (asm/kvm_exit_stats_cpuid.h), with
 * kvm.exit_stats_cpuid=off|vm|system, kvm.exit_stats_cpuid_layout=a|b|c and
 * kvm.exit_stats_cpuid_dump=0|1.
 */
#define pr_fmt(fmt) "kvm_exit_stats: " fmt

#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <asm/tsc.h>

#include "exit_stats.h"

struct static_key_true kvm_exit_stats_key = STATIC_KEY_TRUE_INIT;
EXPORT_SYMBOL_GPL(kvm_exit_stats_key);

/* Host TSC when the statistics were last switched on. */
u64 kvm_exit_stats_epoch __read_mostly;

#define EXIT_STATS_LOG_POLL_MS	100

/*
 * exit_stats_lock protects the list of VMs, the departed totals, the ISA
 * and the state of kvm.exit_stats and kvm.exit_stats_log_every.
 */
static DEFINE_MUTEX(exit_stats_lock);
static LIST_HEAD(exit_stats_vms);
static struct kvm_exit_stats exit_stats_departed;
static enum kvm_exit_stats_isa exit_stats_isa;
/* The ISA whose exits "departed" holds, kept while no vendor module is loaded. */
static enum kvm_exit_stats_isa exit_stats_departed_isa;
static struct dentry *exit_stats_dentry, *exit_stats_control_dentry;

static bool exit_stats_on = true;
static unsigned long exit_stats_log_every;
static u64 exit_stats_log_next;
static void (*exit_stats_enabled)(struct kvm_vcpu *vcpu, u64 *enabled);

static int exit_stats_cpuid_scope = KVM_EXIT_STATS_SCOPE_SYSTEM;
static int exit_stats_cpuid_layout = KVM_EXIT_STATS_LAYOUT_C;
static bool exit_stats_cpuid_dump;
/* A guest may have the host log dumped at most once in 5 seconds. */
static DEFINE_RATELIMIT_STATE(exit_stats_dump_limit, 5 * HZ, 1);

static void exit_stats_log_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(exit_stats_log_work, exit_stats_log_fn);

static const char *isa_name(void)
{
	return exit_stats_isa == KVM_EXIT_STATS_VMX ? "vmx" : "svm";
}

static unsigned int isa_slots(void)
{
	return exit_stats_isa == KVM_EXIT_STATS_VMX ? KVM_EXIT_STATS_VMX_SLOTS :
						      KVM_EXIT_STATS_SVM_SLOTS;
}

/* Where reason @reason goes in @st's unknown table, or "unlisted" if full. */
static struct kvm_exit_stat *unknown_stat(struct kvm_exit_stats *st, u32 reason)
{
	int i;

	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++) {
		struct kvm_exit_stat_unknown *u = &st->unknown[i];

		if (!u->stat.count) {
			WRITE_ONCE(u->reason, reason);
			/* Pairs with smp_rmb() in stats_merge(): reason before count. */
			smp_wmb();
			return &u->stat;
		}
		if (u->reason == reason)
			return &u->stat;
	}
	return &st->unlisted;
}

struct kvm_exit_stat *__kvm_exit_stats_unknown(struct kvm_vcpu_exit_stats *es, u32 reason)
{
	return unknown_stat(&es->s, reason);
}
EXPORT_SYMBOL_GPL(__kvm_exit_stats_unknown);

/*
 * Add @src to @dst.  The vCPU that owns @src may be updating it meanwhile:
 * each field is read once and whole (an aligned u64), so the fields of a
 * reason may be one exit apart while that vCPU runs, and are exact when it
 * does not.
 */
static void stat_merge(struct kvm_exit_stat *dst, const struct kvm_exit_stat *src)
{
	u64 count = READ_ONCE(src->count);
	u64 min_inv = READ_ONCE(src->min_inv);
	u64 max = READ_ONCE(src->max);

	if (!count)
		return;
	if (min_inv > dst->min_inv)
		dst->min_inv = min_inv;
	if (max > dst->max)
		dst->max = max;
	dst->count += count;
	dst->cycles += READ_ONCE(src->cycles);
}

static void stats_merge(struct kvm_exit_stats *dst, const struct kvm_exit_stats *src)
{
	int i;

	for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
		stat_merge(&dst->slot[i], &src->slot[i]);
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++) {
		const struct kvm_exit_stat_unknown *u = &src->unknown[i];

		if (!READ_ONCE(u->stat.count))
			break;
		/* Pairs with smp_wmb() in unknown_stat(): count before reason. */
		smp_rmb();
		stat_merge(unknown_stat(dst, READ_ONCE(u->reason)), &u->stat);
	}
	stat_merge(&dst->unlisted, &src->unlisted);
}

static void vm_stats_add(struct kvm *kvm, struct kvm_exit_stats *dst)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			continue;	/* reset pending: all zeros */
		/* Pairs with kvm_exit_stats_reset_vcpu(): request, then data. */
		smp_rmb();
		stats_merge(dst, &vcpu->arch.exit_stats.s);
	}
}

static void system_stats_add(struct kvm_exit_stats *dst)
{
	struct kvm *kvm;

	lockdep_assert_held(&exit_stats_lock);
	stats_merge(dst, &exit_stats_departed);
	list_for_each_entry(kvm, &exit_stats_vms, arch.exit_stats_link)
		vm_stats_add(kvm, dst);
}

/* The sum of all exit reasons of @st. */
static void stats_total(const struct kvm_exit_stats *st, struct kvm_exit_stat *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
		stat_merge(t, &st->slot[i]);
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++)
		stat_merge(t, &st->unknown[i].stat);
	stat_merge(t, &st->unlisted);
}

/* One line of output: a reason and its statistics. */
struct exit_stats_row {
	u32 reason;
	const char *name;
	const struct kvm_exit_stat *stat;
};

static int row_cmp(const void *a, const void *b)
{
	const struct exit_stats_row *x = a, *y = b;

	return x->reason < y->reason ? -1 : x->reason > y->reason;
}

/*
 * The rows of @st in increasing order of reason: every reason the manual
 * defines, zeros included, and every other reason that was seen, named
 * "UNKNOWN".  Returns the number of rows; the caller frees *rowsp.
 */
static int stats_rows(const struct kvm_exit_stats *st, struct exit_stats_row **rowsp)
{
	struct exit_stats_row *rows;
	unsigned int i, n = 0;

	rows = kmalloc_array(KVM_EXIT_STATS_SLOTS + KVM_EXIT_STATS_UNKNOWN_NR,
			     sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < isa_slots(); i++) {
		u32 reason = kvm_exit_stats_slot_reason(exit_stats_isa, i);
		const char *name = kvm_exit_stats_reason_name(exit_stats_isa, reason);

		if (name || st->slot[i].count)
			rows[n++] = (struct exit_stats_row) {
				reason, name ?: "UNKNOWN", &st->slot[i] };
	}
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR && st->unknown[i].stat.count; i++)
		rows[n++] = (struct exit_stats_row) {
			st->unknown[i].reason, "UNKNOWN", &st->unknown[i].stat };
	sort(rows, n, sizeof(*rows), row_cmp, NULL);
	*rowsp = rows;
	return n;
}

static int stats_show(struct seq_file *m, const struct kvm_exit_stats *st)
{
	struct exit_stats_row *rows;
	struct kvm_exit_stat t;
	int i, n;

	n = stats_rows(st, &rows);
	if (n < 0)
		return n;
	seq_printf(m, "# isa=%s tsc_khz=%u\n", isa_name(), tsc_khz);
	seq_puts(m, "# reason name count cycles_total cycles_min cycles_max\n");
	for (i = 0; i < n; i++) {
		const struct kvm_exit_stat *s = rows[i].stat;

		seq_printf(m, "%u %s %llu %llu %llu %llu\n", rows[i].reason,
			   rows[i].name, s->count, s->cycles,
			   kvm_exit_stat_min(s), s->count ? s->max : 0);
	}
	if (st->unlisted.count)
		seq_printf(m, "# unlisted unknown reasons (counted in TOTAL): count=%llu cycles=%llu\n",
			   st->unlisted.count, st->unlisted.cycles);
	stats_total(st, &t);
	seq_printf(m, "- TOTAL %llu %llu %llu %llu\n", t.count, t.cycles,
		   kvm_exit_stat_min(&t), t.max);
	kfree(rows);
	return 0;
}

static void stats_dump(const struct kvm_exit_stats *st, const char *scope,
		       const char *trigger)
{
	struct exit_stats_row *rows;
	struct kvm_exit_stat t;
	int i, n;

	n = stats_rows(st, &rows);
	if (n < 0)
		return;
	stats_total(st, &t);
	pr_info("dump scope=%s trigger=%s isa=%s tsc_khz=%u\n", scope, trigger,
		isa_name(), tsc_khz);
	for (i = 0; i < n; i++) {
		const struct kvm_exit_stat *s = rows[i].stat;

		if (!s->count)
			continue;
		pr_info("%s(%u) count=%llu cycles=%llu min=%llu max=%llu avg=%llu\n",
			rows[i].name, rows[i].reason, s->count, s->cycles,
			kvm_exit_stat_min(s), s->max, div64_u64(s->cycles, s->count));
	}
	pr_info("total count=%llu cycles=%llu\n", t.count, t.cycles);
	kfree(rows);
}

/* The system-wide statistics (kfree() them) and their sum in @t. */
static struct kvm_exit_stats *system_stats_total(struct kvm_exit_stat *t)
{
	struct kvm_exit_stats *st = kzalloc(sizeof(*st), GFP_KERNEL);

	lockdep_assert_held(&exit_stats_lock);
	if (st) {
		system_stats_add(st);
		stats_total(st, t);
	}
	return st;
}

/* The statistics of @kvm, or the system-wide ones if NULL; kfree() them. */
static struct kvm_exit_stats *stats_get(struct kvm *kvm)
{
	struct kvm_exit_stats *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (st && kvm) {
		vm_stats_add(kvm, st);
	} else if (st) {
		mutex_lock(&exit_stats_lock);
		system_stats_add(st);
		mutex_unlock(&exit_stats_lock);
	}
	return st;
}

/* Dumps the statistics of @kvm, or the system-wide ones if NULL, to the log. */
static int dump(struct kvm *kvm, const char *trigger)
{
	struct kvm_exit_stats *st = stats_get(kvm);
	char scope[48];

	if (!st)
		return -ENOMEM;
	if (kvm)
		snprintf(scope, sizeof(scope), "vm-%pd", kvm->debugfs_dentry);
	else
		strscpy(scope, "system");
	stats_dump(st, scope, trigger);
	kfree(st);
	return 0;
}

static void system_stats_reset(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	unsigned long i;

	mutex_lock(&exit_stats_lock);
	memset(&exit_stats_departed, 0, sizeof(exit_stats_departed));
	list_for_each_entry(kvm, &exit_stats_vms, arch.exit_stats_link)
		kvm_for_each_vcpu(i, vcpu, kvm)
			kvm_make_request(KVM_REQ_EXIT_STATS_RESET, vcpu);
	exit_stats_log_next = exit_stats_log_every;
	mutex_unlock(&exit_stats_lock);
}

/* Called by the vCPU itself, before it enters the guest. */
void kvm_exit_stats_reset_vcpu(struct kvm_vcpu *vcpu)
{
	memset(&vcpu->arch.exit_stats.s, 0, sizeof(vcpu->arch.exit_stats.s));
	/* Readers that see the request cleared must see the zeros. */
	smp_mb__before_atomic();
	kvm_clear_request(KVM_REQ_EXIT_STATS_RESET, vcpu);
}

/* m->private: the VM, or NULL for the system-wide file. */
static int exit_stats_show(struct seq_file *m, void *unused)
{
	struct kvm_exit_stats *st = stats_get(m->private);
	int r;

	if (!st)
		return -ENOMEM;
	r = stats_show(m, st);
	kfree(st);
	return r;
}

/*
 * Reads the one word written to a control file, e.g. "reset" or "reset\n"
 * (as echo writes it); anything else is left for the caller to refuse.
 */
static int read_command(const char __user *ubuf, size_t len, char *buf, size_t size)
{
	if (!len || len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (strlen(buf) != len)
		return -EINVAL;
	return 0;
}

static ssize_t system_control_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	char cmd[8];
	int r;

	r = read_command(ubuf, len, cmd, sizeof(cmd));
	if (!r && !strcmp(cmd, "reset"))
		system_stats_reset();
	else if (!r)
		r = strcmp(cmd, "dump") ? -EINVAL : dump(NULL, "request");
	return r ?: len;
}

static ssize_t vm_control_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char cmd[8];
	int r;

	r = read_command(ubuf, len, cmd, sizeof(cmd));
	if (!r)
		r = strcmp(cmd, "dump") ? -EINVAL : dump(file->private_data, "request");
	return r ?: len;
}

static int system_open(struct inode *inode, struct file *file)
{
	return single_open(file, exit_stats_show, NULL);
}

/* A VM's files keep the VM alive while they are open. */
static int vm_open(struct inode *inode, struct file *file)
{
	struct kvm *kvm = inode->i_private;
	int r;

	if (!kvm_get_kvm_safe(kvm))
		return -ENOENT;
	r = single_open(file, exit_stats_show, kvm);
	if (r)
		kvm_put_kvm(kvm);
	return r;
}

static int vm_release(struct inode *inode, struct file *file)
{
	kvm_put_kvm(inode->i_private);
	return single_release(inode, file);
}

static int vm_control_open(struct inode *inode, struct file *file)
{
	struct kvm *kvm = inode->i_private;

	if (!kvm_get_kvm_safe(kvm))
		return -ENOENT;
	file->private_data = kvm;
	return nonseekable_open(inode, file);
}

static int vm_control_release(struct inode *inode, struct file *file)
{
	kvm_put_kvm(inode->i_private);
	return 0;
}

/*
 * The statistics files are read-only and the commands go to control files
 * beside them: in lockdown, debugfs refuses to open a file that has any
 * write permission, so that the statistics stay readable there.
 */
static const struct file_operations system_fops = {
	.owner = THIS_MODULE,
	.open = system_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations system_control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = system_control_write,
};

static const struct file_operations vm_fops = {
	.owner = THIS_MODULE,
	.open = vm_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = vm_release,
};

static const struct file_operations vm_control_fops = {
	.owner = THIS_MODULE,
	.open = vm_control_open,
	.write = vm_control_write,
	.release = vm_control_release,
};

void kvm_exit_stats_create_vm_debugfs(struct kvm *kvm)
{
	debugfs_create_file("exit_stats", 0400, kvm->debugfs_dentry, kvm, &vm_fops);
	debugfs_create_file("exit_stats_control", 0200, kvm->debugfs_dentry, kvm,
			    &vm_control_fops);
}

void kvm_exit_stats_init_vm(struct kvm *kvm)
{
	mutex_lock(&exit_stats_lock);
	list_add_tail(&kvm->arch.exit_stats_link, &exit_stats_vms);
	mutex_unlock(&exit_stats_lock);
}

/* Called before the VM's vCPUs are destroyed, when none of them can run. */
void kvm_exit_stats_destroy_vm(struct kvm *kvm)
{
	mutex_lock(&exit_stats_lock);
	vm_stats_add(kvm, &exit_stats_departed);
	list_del(&kvm->arch.exit_stats_link);
	mutex_unlock(&exit_stats_lock);
}

/* The DUMP leaf: the kernel-log dump, if allowed, of the guest's scope. */
static void cpuid_dump(struct kvm_vcpu *vcpu, u32 scope, struct kvm_exit_stats_regs *r)
{
	memset(r, 0, sizeof(*r));
	if (!READ_ONCE(exit_stats_cpuid_dump))
		r->ebx = KVM_EXIT_STATS_DUMP_OFF;
	else if (!__ratelimit(&exit_stats_dump_limit))
		r->ebx = KVM_EXIT_STATS_DUMP_LIMITED;
	else
		r->eax = !dump(scope == KVM_EXIT_STATS_SCOPE_VM ? vcpu->kvm : NULL, "guest");
}

bool __kvm_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	u64 enabled[KVM_EXIT_STATS_BITMAP_WORDS] = { 0 };
	struct kvm_exit_stats_view v = {
		.isa = exit_stats_isa,
		.scope = READ_ONCE(exit_stats_cpuid_scope),
		.layout = READ_ONCE(exit_stats_cpuid_layout),
		.enabled = enabled,
	};
	struct kvm_exit_stats_regs r = { 0 };
	struct kvm_exit_stats *st = NULL;
	struct kvm_exit_stat total;

	if (v.scope == KVM_EXIT_STATS_SCOPE_OFF || !v.isa ||
	    !kvm_exit_stats_cpuid_leaf(v.layout, *eax))
		return false;

	if (*eax == KVM_EXIT_STATS_CPUID_DUMP) {
		cpuid_dump(vcpu, v.scope, &r);
		goto out;
	}
	st = stats_get(v.scope == KVM_EXIT_STATS_SCOPE_VM ? vcpu->kvm : NULL);
	if (!st)
		goto out;	/* all zeros */
	stats_total(st, &total);
	if (exit_stats_enabled)
		exit_stats_enabled(vcpu, enabled);
	v.stats = st;
	v.total_count = total.count;
	v.total_cycles = total.cycles;
	v.flags = READ_ONCE(exit_stats_cpuid_dump) ? KVM_EXIT_STATS_INFO_DUMP_ON : 0;
	kvm_exit_stats_cpuid_fill(&v, *eax, *ecx, &r);
	kfree(st);
out:
	*eax = r.eax;
	*ebx = r.ebx;
	*ecx = r.ecx;
	*edx = r.edx;
	return true;
}

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

	mutex_lock(&exit_stats_lock);
	if (exit_stats_log_every)
		st = system_stats_total(&t);
	if (st && t.count >= exit_stats_log_next) {
		dump = true;
		snprintf(trigger, sizeof(trigger), "every-%lu", exit_stats_log_every);
		exit_stats_log_next = t.count + exit_stats_log_every;
	}
	if (exit_stats_log_every && exit_stats_isa)
		schedule_delayed_work(&exit_stats_log_work,
				      msecs_to_jiffies(EXIT_STATS_LOG_POLL_MS));
	mutex_unlock(&exit_stats_lock);
	if (dump)
		stats_dump(st, "system", trigger);
	kfree(st);
}

/* Applies kvm.exit_stats and kvm.exit_stats_log_every, once KVM is up. */
static void exit_stats_apply(void)
{
	struct kvm_exit_stats *st;
	struct kvm_exit_stat t;

	lockdep_assert_held(&exit_stats_lock);
	if (!exit_stats_isa)
		return;
	if (exit_stats_on && !static_key_enabled(&kvm_exit_stats_key)) {
		WRITE_ONCE(kvm_exit_stats_epoch, rdtsc());
		static_branch_enable(&kvm_exit_stats_key);
	} else if (!exit_stats_on && static_key_enabled(&kvm_exit_stats_key)) {
		static_branch_disable(&kvm_exit_stats_key);
	}

	if (!exit_stats_log_every)
		return;
	st = system_stats_total(&t);
	if (st)
		exit_stats_log_next = t.count + exit_stats_log_every;
	kfree(st);
	mod_delayed_work(system_wq, &exit_stats_log_work,
			 msecs_to_jiffies(EXIT_STATS_LOG_POLL_MS));
}

static int exit_stats_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int r;

	r = kstrtobool(val, &on);
	if (r)
		return r;
	mutex_lock(&exit_stats_lock);
	exit_stats_on = on;
	if (static_key_enabled(&kvm_exit_stats_key) != on)
		exit_stats_apply();
	mutex_unlock(&exit_stats_lock);
	return 0;
}

static int exit_stats_log_every_set(const char *val, const struct kernel_param *kp)
{
	unsigned long every;
	int r;

	r = kstrtoul(val, 0, &every);
	if (r)
		return r;
	mutex_lock(&exit_stats_lock);
	exit_stats_log_every = every;
	exit_stats_apply();
	mutex_unlock(&exit_stats_lock);
	return 0;
}

static const char *const cpuid_scopes[] = {
	[KVM_EXIT_STATS_SCOPE_OFF] = "off",
	[KVM_EXIT_STATS_SCOPE_VM] = "vm",
	[KVM_EXIT_STATS_SCOPE_SYSTEM] = "system",
};

static int cpuid_scope_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(cpuid_scopes, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(exit_stats_cpuid_scope, i);
	return 0;
}

static int cpuid_scope_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", cpuid_scopes[READ_ONCE(exit_stats_cpuid_scope)]);
}

static int cpuid_layout_set(const char *val, const struct kernel_param *kp)
{
	static const char *const layouts[] = { "a", "b", "c" };
	int i = sysfs_match_string(layouts, val);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(exit_stats_cpuid_layout, KVM_EXIT_STATS_LAYOUT_A + i);
	return 0;
}

static int cpuid_layout_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", 'a' + READ_ONCE(exit_stats_cpuid_layout) -
				      KVM_EXIT_STATS_LAYOUT_A);
}

static const struct kernel_param_ops cpuid_scope_ops = {
	.set = cpuid_scope_set,
	.get = cpuid_scope_get,
};

static const struct kernel_param_ops cpuid_layout_ops = {
	.set = cpuid_layout_set,
	.get = cpuid_layout_get,
};

static const struct kernel_param_ops exit_stats_ops = {
	.set = exit_stats_set,
	.get = param_get_bool,
};

static const struct kernel_param_ops exit_stats_log_every_ops = {
	.set = exit_stats_log_every_set,
	.get = param_get_ulong,
};

module_param_cb(exit_stats, &exit_stats_ops, &exit_stats_on, 0644);
MODULE_PARM_DESC(exit_stats, "Count VM-exits and their handling cycles per exit reason");
module_param_cb(exit_stats_log_every, &exit_stats_log_every_ops,
		&exit_stats_log_every, 0644);
MODULE_PARM_DESC(exit_stats_log_every,
		 "Dump the exit statistics to the kernel log every N exits (0: never)");
module_param_cb(exit_stats_cpuid, &cpuid_scope_ops, &exit_stats_cpuid_scope, 0644);
MODULE_PARM_DESC(exit_stats_cpuid,
		 "What the CPUID leaves 0x4ffffff0-0x4fffffff show a guest: off, vm or system");
module_param_cb(exit_stats_cpuid_layout, &cpuid_layout_ops, &exit_stats_cpuid_layout, 0644);
MODULE_PARM_DESC(exit_stats_cpuid_layout, "Layout of CPUID leaves 0x4ffffffc-0x4fffffff: a, b or c");
module_param(exit_stats_cpuid_dump, bool, 0644);
MODULE_PARM_DESC(exit_stats_cpuid_dump,
		 "Let guests dump the statistics to the kernel log (CPUID 0x4ffffff6, rate-limited)");

/*
 * Called by the vendor module once kvm_init() has created debugfs "kvm".
 * With KVM built as modules, kvm.ko keeps its parameters and the totals of
 * departed VMs while the vendor module is unloaded and loaded again.
 */
void kvm_exit_stats_init(enum kvm_exit_stats_isa isa,
			 void (*enabled)(struct kvm_vcpu *vcpu, u64 *enabled))
{
	struct dentry *dir;

	WARN_ON_ONCE(!kvm_exit_stats_tables_fit_slots());

	ratelimit_set_flags(&exit_stats_dump_limit, RATELIMIT_MSG_ON_RELEASE);
	mutex_lock(&exit_stats_lock);
	if (exit_stats_departed_isa != isa)
		memset(&exit_stats_departed, 0, sizeof(exit_stats_departed));
	exit_stats_isa = isa;
	exit_stats_departed_isa = isa;
	exit_stats_enabled = enabled;
	exit_stats_apply();
	mutex_unlock(&exit_stats_lock);

	dir = debugfs_lookup("kvm", NULL);
	if (IS_ERR_OR_NULL(dir))
		return;
	exit_stats_dentry = debugfs_create_file("exit_stats", 0400, dir, NULL, &system_fops);
	exit_stats_control_dentry = debugfs_create_file("exit_stats_control", 0200, dir, NULL,
							&system_control_fops);
	dput(dir);
}
EXPORT_SYMBOL_GPL(kvm_exit_stats_init);

/*
 * Called by the vendor module before kvm_exit(), when no VM is left.  The
 * parameters keep their values: they apply again when a vendor module is
 * loaded.
 */
void kvm_exit_stats_exit(void)
{
	mutex_lock(&exit_stats_lock);
	exit_stats_isa = 0;	/* the log poll does not rearm itself */
	exit_stats_enabled = NULL;
	mutex_unlock(&exit_stats_lock);
	cancel_delayed_work_sync(&exit_stats_log_work);
	debugfs_remove(exit_stats_control_dentry);
	debugfs_remove(exit_stats_dentry);
	exit_stats_control_dentry = NULL;
	exit_stats_dentry = NULL;
}
EXPORT_SYMBOL_GPL(kvm_exit_stats_exit);
