// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics for KVM on x86, VMX and SVM.
 *
 * Every VM-exit is counted under its exit reason (VMX: the basic exit
 * reason; SVM: the exit code), together with the TSC cycles KVM spent on
 * it: from the VM-exit, where the vendor code fires the kvm_exit
 * tracepoint, until KVM is done with it, i.e. the exit handler returned or
 * the fastpath re-enters the guest.  Exits handled in the fastpath and
 * failed VM-entries are counted like all others, so that the count of every
 * reason adds up to KVM's own "exits": VMX's VMFAIL (KVM's reason 0xdead)
 * and the VM-entry failure KVM synthesizes for a guest state it must
 * emulate (INVALID_STATE) too, which the kvm_exit tracepoint does not show.
 * An SEV-ES guest's VMGEXIT is counted under the exit its GHCB names.  Not
 * included: time the vCPU thread then spends in userspace (e.g. a VMM
 * emulating a port), and the completion KVM runs on the next KVM_RUN for an
 * exit that went there.  The exit path is exit_stats_path.h.
 *
 * The exit path touches only the vCPU's own statistics, which only the
 * vCPU's thread writes: no atomics, no locks, and nothing at all while the
 * kvm.exit_stats static key is off.  Readers add up the vCPUs of each VM.
 * When a VM is destroyed its numbers are folded into the "departed"
 * totals, so the system-wide statistics include VMs that are gone.  A
 * reset is carried out by each vCPU itself (KVM_REQ_EXIT_STATS_RESET), so
 * that it cannot race with the vCPU's updates; readers see a vCPU with a
 * reset pending as all zeros.  A per-vCPU seqcount, which the vCPU's thread
 * alone writes, makes every read see each exit whole and a vCPU either
 * before or after its reset, never half of each (vcpu_read_again()).
 *
 * Guests may read the statistics through CPUID leaves 0x4ffffff0-0x4fffffff
 * (asm/kvm_exit_stats_cpuid.h) only if their VM was opted in, by the VMM
 * (KVM_ENABLE_CAP, KVM_CAP_X86_EXIT_STATS_CPUID) or by the host (the VM's
 * exit_stats_control file), up to what kvm.exit_stats_cpuid allows (default
 * off); by default only the guest kernel (CPL 0) may.  A query computes
 * only what it answers, without locks or allocation: one reason or the
 * totals, summed over the VM's vCPUs, or for the whole host over per-CPU
 * counts that are kept only while kvm.exit_stats_cpuid=system.
 *
 * Interfaces: /sys/kernel/debug/kvm/exit_stats (system-wide, read-only) and
 * exit_stats_control ("reset", "dump"); /sys/kernel/debug/kvm/<pid>-<fd>/
 * exit_stats and exit_stats_control ("dump", "cpuid=SCOPE[,user]");
 * kvm.exit_stats=0|1, kvm.exit_stats_log_every=N, kvm.exit_stats_cpuid=
 * off|vm|system, kvm.exit_stats_cpuid_layout=a|b|c, kvm.exit_stats_cpuid_dump.
 */
#define pr_fmt(fmt) "kvm_exit_stats: " fmt

#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <asm/tsc.h>

#include "kvm_cache_regs.h"
#include "exit_stats.h"

struct static_key_true kvm_exit_stats_key = STATIC_KEY_TRUE_INIT;
EXPORT_SYMBOL_GPL(kvm_exit_stats_key);
/* The per-CPU counts of system scope: on while kvm.exit_stats_cpuid=system. */
DEFINE_STATIC_KEY_FALSE(kvm_exit_stats_cpu_key);
struct kvm_exit_stats_cpu __percpu *kvm_exit_stats_cpu __read_mostly;

#define EXIT_STATS_LOG_POLL_MS	100
/* A guest may have the host log dumped at most once in 5 seconds, per VM. */
#define EXIT_STATS_DUMP_INTERVAL	(5 * HZ)

/*
 * exit_stats_lock protects the list of VMs, the departed totals, the ISA,
 * the per-CPU counts' allocation, and the state of the parameters.  The
 * VM-exit path and the guests' CPUID queries never take it.
 */
static DEFINE_MUTEX(exit_stats_lock);
static LIST_HEAD(exit_stats_vms);
static struct kvm_exit_stats exit_stats_departed;
static enum kvm_exit_stats_isa exit_stats_isa;
/* The ISA whose exits "departed" holds, kept while no vendor module is loaded. */
static enum kvm_exit_stats_isa exit_stats_departed_isa;
static struct dentry *exit_stats_dentry, *exit_stats_control_dentry;
/* Odd while a reset zeroes the per-CPU counts. */
static seqcount_mutex_t exit_stats_cpu_seq = SEQCNT_MUTEX_ZERO(exit_stats_cpu_seq,
							      &exit_stats_lock);

static bool exit_stats_on = true;
static unsigned long exit_stats_log_every;
static u64 exit_stats_log_next;
static bool (*exit_stats_enabled)(struct kvm_vcpu *vcpu, u32 reason);

/* The most any VM may see through CPUID (KVM_EXIT_STATS_SCOPE_*). */
static int exit_stats_cpuid_cap = KVM_EXIT_STATS_SCOPE_OFF;
static int exit_stats_cpuid_layout = KVM_EXIT_STATS_LAYOUT_C;
static bool exit_stats_cpuid_dump;

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

/*
 * Add @src to @dst.  The vCPU that owns @src may be updating it meanwhile:
 * each field is read once and whole (an aligned u64), the count first
 * (kvm_exit_stat_add() writes it last), so that the other fields include
 * every exit counted, and maybe the next ones while that vCPU runs; exact
 * when it does not.
 */
static void stat_merge(struct kvm_exit_stat *dst, const struct kvm_exit_stat *src)
{
	u64 count = READ_ONCE(src->count), min_inv, max;

	if (!count)
		return;
	smp_rmb();	/* the count before the rest: kvm_exit_stat_add() writes it last */
	min_inv = READ_ONCE(src->min_inv);
	max = READ_ONCE(src->max);
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
		/* Pairs with smp_wmb() in kvm_exit_stats_unknown_stat(): count before reason. */
		smp_rmb();
		stat_merge(kvm_exit_stats_unknown_stat(dst, READ_ONCE(u->reason)), &u->stat);
	}
	stat_merge(&dst->unlisted, &src->unlisted);
	dst->all.count += READ_ONCE(src->all.count);
	dst->all.cycles += READ_ONCE(src->all.cycles);
	dst->untimed += READ_ONCE(src->untimed);
}

/*
 * A vCPU's thread counts each exit, and zeroes its statistics for a reset,
 * inside its seqcount, so that a read that the seqcount did not see change
 * has every exit counted whole (count, cycles, minimum and maximum of the
 * same exits) and the vCPU before or after a reset, never a mix.  Counting
 * an exit takes a few instructions with preemption on: a reader that keeps
 * finding the seqcount odd (the vCPU thread was preempted in the middle)
 * takes what it read after EXIT_STATS_READ_TRIES tries, rather than wait
 * for the scheduler; at worst that read counts one exit of that vCPU in
 * some of its fields only.  A reset runs with preemption off.
 */
#define EXIT_STATS_READ_TRIES	64

static bool vcpu_read_again(const struct kvm_vcpu_exit_stats *es, unsigned int seq,
			    unsigned int *tries)
{
	if (!(seq & 1) && !read_seqcount_retry(&es->seq, seq))
		return false;
	if (++*tries >= EXIT_STATS_READ_TRIES)
		return false;
	cpu_relax();
	return true;
}

/*
 * Adds @vcpu's statistics to @dst (read into @tmp, then added): a vCPU with
 * a reset pending adds nothing.
 */
static void vcpu_stats_add(struct kvm_vcpu *vcpu, struct kvm_exit_stats *dst,
			   struct kvm_exit_stats *tmp)
{
	const struct kvm_vcpu_exit_stats *es = &vcpu->arch.exit_stats;
	unsigned int seq, tries = 0;

	do {
		seq = raw_read_seqcount(&es->seq);
		memset(tmp, 0, sizeof(*tmp));
		if (!kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			stats_merge(tmp, &es->s);
	} while (vcpu_read_again(es, seq, &tries));
	stats_merge(dst, tmp);
}

/* Two numbers of @vcpu (in its statistics), before or after any reset. */
static void vcpu_read2(struct kvm_vcpu *vcpu, const u64 *a, const u64 *b,
		       u64 *sum_a, u64 *sum_b)
{
	const struct kvm_vcpu_exit_stats *es = &vcpu->arch.exit_stats;
	unsigned int seq, tries = 0;
	u64 va, vb;

	do {
		seq = raw_read_seqcount(&es->seq);
		va = 0;
		vb = 0;
		if (!kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu)) {
			va = READ_ONCE(*a);
			vb = READ_ONCE(*b);
		}
	} while (vcpu_read_again(es, seq, &tries));
	*sum_a += va;
	*sum_b += vb;
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

	lockdep_assert_held(&exit_stats_lock);
	stats_merge(dst, &exit_stats_departed);
	list_for_each_entry(kvm, &exit_stats_vms, arch.exit_stats.link)
		vm_stats_add(kvm, dst, tmp);
}

/* The sum of all exit reasons of @st. */
static void total_add(struct kvm_exit_stat *t, const struct kvm_exit_stat *s)
{
	/*
	 * A reason whose exits were all untimed has a minimum of 0 in the
	 * file (kvm_exit_stat_min()), and TOTAL's minimum is the rows' least.
	 */
	u64 min = kvm_exit_stat_min(s);

	if (!s->count)
		return;
	if (!t->count || min < kvm_exit_stat_min(t))
		t->min_inv = ~min;
	if (s->max > t->max)
		t->max = s->max;
	t->count += s->count;
	t->cycles += s->cycles;
}

/* The sum of all exit reasons of @st, a copy that nothing updates. */
static void stats_total(const struct kvm_exit_stats *st, struct kvm_exit_stat *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < KVM_EXIT_STATS_SLOTS; i++)
		total_add(t, &st->slot[i]);
	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++)
		total_add(t, &st->unknown[i].stat);
	total_add(t, &st->unlisted);
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
	if (st->untimed)
		seq_printf(m, "# untimed (counted, 0 cycles: the TSC went back): count=%llu\n",
			   st->untimed);
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

/*
 * The statistics of @kvm, or the system-wide ones if NULL (the caller holds
 * exit_stats_lock then); kfree() them.
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
static struct kvm_exit_stats *stats_read(struct kvm *kvm)
{
	struct kvm_exit_stats *st;

	if (kvm)
		return stats_get(kvm);
	mutex_lock(&exit_stats_lock);
	st = stats_get(NULL);
	mutex_unlock(&exit_stats_lock);
	return st;
}

/* The system-wide statistics (kfree() them) and their sum in @t. */
static struct kvm_exit_stats *system_stats_total(struct kvm_exit_stat *t)
{
	struct kvm_exit_stats *st = stats_get(NULL);

	if (st)
		stats_total(st, t);
	return st;
}

/* Dumps the statistics of @kvm, or the system-wide ones if NULL, to the log. */
static int dump(struct kvm *kvm, const char *trigger)
{
	struct kvm_exit_stats *st;
	char scope[48];

	st = stats_read(kvm);
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

static void cpu_counts_zero(void *unused)
{
	memset(this_cpu_ptr(kvm_exit_stats_cpu), 0, sizeof(struct kvm_exit_stats_cpu));
}

/*
 * Zeroes the per-CPU counts; a reader sees them all before or all after.
 * Only while they are kept (system scope allowed): they are zeroed again
 * before they are next kept, so a reset sends no IPI to every CPU on a
 * host that does not use them.
 */
static void cpu_counts_reset(void)
{
	lockdep_assert_held(&exit_stats_lock);
	if (!kvm_exit_stats_cpu || !static_key_enabled(&kvm_exit_stats_cpu_key))
		return;
	write_seqcount_begin(&exit_stats_cpu_seq);
	on_each_cpu(cpu_counts_zero, NULL, 1);
	write_seqcount_end(&exit_stats_cpu_seq);
}

static void system_stats_reset(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	unsigned long i;

	mutex_lock(&exit_stats_lock);
	memset(&exit_stats_departed, 0, sizeof(exit_stats_departed));
	list_for_each_entry(kvm, &exit_stats_vms, arch.exit_stats.link)
		kvm_for_each_vcpu(i, vcpu, kvm)
			kvm_make_request(KVM_REQ_EXIT_STATS_RESET, vcpu);
	cpu_counts_reset();
	exit_stats_log_next = exit_stats_log_every;
	mutex_unlock(&exit_stats_lock);
}

/* Called by the vCPU itself, before it enters the guest. */
void kvm_exit_stats_reset_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_exit_stats *es = &vcpu->arch.exit_stats;

	preempt_disable();
	write_seqcount_begin(&es->seq);
	memset(&es->s, 0, sizeof(es->s));
	kvm_clear_request(KVM_REQ_EXIT_STATS_RESET, vcpu);
	write_seqcount_end(&es->seq);
	preempt_enable();
}

void kvm_exit_stats_init_vcpu(struct kvm_vcpu *vcpu)
{
	seqcount_init(&vcpu->arch.exit_stats.seq);
}

/* m->private: the VM, or NULL for the system-wide file. */
static int exit_stats_show(struct seq_file *m, void *unused)
{
	struct kvm_exit_stats *st;
	int r;

	st = stats_read(m->private);
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

/*
 * What a VM's guest may read through CPUID: @scope (KVM_EXIT_STATS_SCOPE_*,
 * at most what kvm.exit_stats_cpuid allows), and from guest user space too
 * if @user.  The VMM sets it with KVM_ENABLE_CAP, the host with the VM's
 * exit_stats_control file.
 */
static int vm_cpuid_set(struct kvm *kvm, u64 scope, bool user)
{
	struct kvm_exit_stats_vm *vm = &kvm->arch.exit_stats;

	if (scope > KVM_EXIT_STATS_SCOPE_SYSTEM)
		return -EINVAL;
	if (scope > READ_ONCE(exit_stats_cpuid_cap))
		return -EPERM;
	WRITE_ONCE(vm->cpuid_user, user && scope);
	WRITE_ONCE(vm->cpuid_scope, scope);
	return 0;
}

/* KVM_CHECK_EXTENSION: the widest scope this host allows, 0 if none. */
int kvm_exit_stats_check_cap(void)
{
	return READ_ONCE(exit_stats_cpuid_cap);
}

/* KVM_ENABLE_CAP: args[0] the scope, args[1] KVM_EXIT_STATS_CPUID_USER or 0. */
int kvm_exit_stats_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap)
{
	if (cap->flags || cap->args[1] & ~(u64)KVM_EXIT_STATS_CPUID_USER ||
	    cap->args[2] || cap->args[3])
		return -EINVAL;
	return vm_cpuid_set(kvm, cap->args[0], cap->args[1] & KVM_EXIT_STATS_CPUID_USER);
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

static const char *const cpuid_scopes[] = {
	[KVM_EXIT_STATS_SCOPE_OFF] = "off",
	[KVM_EXIT_STATS_SCOPE_VM] = "vm",
	[KVM_EXIT_STATS_SCOPE_SYSTEM] = "system",
};

/* "cpuid=SCOPE" or "cpuid=SCOPE,user", as the host opts a VM in. */
static int vm_cpuid_command(struct kvm *kvm, char *arg)
{
	char *flag = strchr(arg, ',');
	int scope;

	if (flag)
		*flag++ = '\0';
	if (flag && strcmp(flag, "user"))
		return -EINVAL;
	scope = match_string(cpuid_scopes, ARRAY_SIZE(cpuid_scopes), arg);
	if (scope < 0)
		return -EINVAL;
	return vm_cpuid_set(kvm, scope, flag);
}

static ssize_t vm_control_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char cmd[24];
	int r;

	r = read_command(ubuf, len, cmd, sizeof(cmd));
	if (r)
		return r;
	if (!strcmp(cmd, "dump"))
		r = dump(file->private_data, "request");
	else if (!strncmp(cmd, "cpuid=", 6))
		r = vm_cpuid_command(file->private_data, cmd + 6);
	else
		r = -EINVAL;
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

/*
 * The dump a guest asked for, printed by a worker a tick later rather than
 * in the vCPU's path, so that the console never holds up the vCPU.
 */
static void vm_dump_fn(struct work_struct *work)
{
	struct kvm_exit_stats_vm *vm = container_of(to_delayed_work(work),
						    struct kvm_exit_stats_vm, dump_work);
	struct kvm *kvm = container_of(vm, struct kvm, arch.exit_stats);

	dump(vm->dump_scope == KVM_EXIT_STATS_SCOPE_VM ? kvm : NULL, "guest");
}

void kvm_exit_stats_init_vm(struct kvm *kvm)
{
	struct kvm_exit_stats_vm *vm = &kvm->arch.exit_stats;

	vm->cpuid_layout = READ_ONCE(exit_stats_cpuid_layout);
	ratelimit_state_init(&vm->dump_limit, EXIT_STATS_DUMP_INTERVAL, 1);
	ratelimit_set_flags(&vm->dump_limit, RATELIMIT_MSG_ON_RELEASE);
	INIT_DELAYED_WORK(&vm->dump_work, vm_dump_fn);
	mutex_lock(&exit_stats_lock);
	list_add_tail(&vm->link, &exit_stats_vms);
	mutex_unlock(&exit_stats_lock);
}

/*
 * Called before the VM's vCPUs are destroyed, when none of them can run: no
 * reset can overtake a read, but a vCPU with a reset pending counts nothing.
 */
void kvm_exit_stats_destroy_vm(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	cancel_delayed_work_sync(&kvm->arch.exit_stats.dump_work);
	mutex_lock(&exit_stats_lock);
	kvm_for_each_vcpu(i, vcpu, kvm)
		if (!kvm_test_request(KVM_REQ_EXIT_STATS_RESET, vcpu))
			stats_merge(&exit_stats_departed, &vcpu->arch.exit_stats.s);
	list_del(&kvm->arch.exit_stats.link);
	mutex_unlock(&exit_stats_lock);
}

/* Sources of the CPUID answers: ctx is the querying vCPU. */
static void vm_slot(const void *ctx, u32 slot, u64 *count, u64 *cycles)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, ((struct kvm_vcpu *)ctx)->kvm) {
		struct kvm_exit_stat *s = &vcpu->arch.exit_stats.s.slot[slot];

		vcpu_read2(vcpu, &s->count, &s->cycles, count, cycles);
	}
}

static void vm_total(const void *ctx, u64 *count, u64 *cycles)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, ((struct kvm_vcpu *)ctx)->kvm) {
		struct kvm_exit_stats *s = &vcpu->arch.exit_stats.s;

		vcpu_read2(vcpu, &s->all.count, &s->all.cycles, count, cycles);
	}
}

/* The per-CPU counts of @slot, or of all reasons if @all, summed. */
static void cpu_read(u32 slot, bool all, u64 *count, u64 *cycles)
{
	unsigned int seq;
	int cpu;

	do {
		seq = read_seqcount_begin(&exit_stats_cpu_seq);
		*count = 0;
		*cycles = 0;
		for_each_possible_cpu(cpu) {
			struct kvm_exit_stats_cpu *c = per_cpu_ptr(kvm_exit_stats_cpu, cpu);
			const u64 *n = all ? &c->all.count : &c->slot[slot].count;
			const u64 *t = all ? &c->all.cycles : &c->slot[slot].cycles;

			*count += READ_ONCE(*n);
			*cycles += READ_ONCE(*t);
		}
	} while (read_seqcount_retry(&exit_stats_cpu_seq, seq));
}

static void system_slot(const void *ctx, u32 slot, u64 *count, u64 *cycles)
{
	cpu_read(slot, false, count, cycles);
}

static void system_total(const void *ctx, u64 *count, u64 *cycles)
{
	cpu_read(0, true, count, cycles);
}

static bool vcpu_enabled(const void *ctx, u32 reason)
{
	return exit_stats_enabled((struct kvm_vcpu *)ctx, reason);
}

/* The DUMP leaf: asks for the log dump of the guest's scope, if allowed. */
static void cpuid_dump(struct kvm_vcpu *vcpu, u32 scope, struct kvm_exit_stats_regs *r)
{
	struct kvm_exit_stats_vm *vm = &vcpu->kvm->arch.exit_stats;

	memset(r, 0, sizeof(*r));
	if (!READ_ONCE(exit_stats_cpuid_dump)) {
		r->ebx = KVM_EXIT_STATS_DUMP_OFF;
	} else if (!__ratelimit(&vm->dump_limit)) {
		r->ebx = KVM_EXIT_STATS_DUMP_LIMITED;
	} else {
		vm->dump_scope = scope;
		queue_delayed_work(system_unbound_wq, &vm->dump_work, 1);
		r->eax = 1;
	}
}

bool __kvm_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	struct kvm_exit_stats_vm *vm = &vcpu->kvm->arch.exit_stats;
	struct kvm_exit_stats_source src = { .enabled = vcpu_enabled, .ctx = vcpu };
	struct kvm_exit_stats_view v = {
		.isa = READ_ONCE(exit_stats_isa),
		.layout = vm->cpuid_layout,
		.scope = min_t(u32, READ_ONCE(vm->cpuid_scope), READ_ONCE(exit_stats_cpuid_cap)),
		.src = &src,
	};
	struct kvm_exit_stats_regs r;

	/*
	 * Not for a VM that was not opted in, nor from guest user space unless
	 * allowed, nor for a nested guest (L2), which is not this VM's guest.
	 */
	if (!v.scope || !v.isa || !exit_stats_enabled || is_guest_mode(vcpu) ||
	    !kvm_exit_stats_cpuid_leaf(v.layout, *eax))
		return false;
	if (!READ_ONCE(vm->cpuid_user) && kvm_x86_call(get_cpl)(vcpu))
		return false;
	/* System scope counts per CPU, which only the cap "system" turns on. */
	if (v.scope == KVM_EXIT_STATS_SCOPE_SYSTEM &&
	    !static_branch_unlikely(&kvm_exit_stats_cpu_key))
		v.scope = KVM_EXIT_STATS_SCOPE_VM;

	if (*eax == KVM_EXIT_STATS_CPUID_DUMP) {
		cpuid_dump(vcpu, v.scope, &r);
	} else {
		src.slot = v.scope == KVM_EXIT_STATS_SCOPE_VM ? vm_slot : system_slot;
		src.total = v.scope == KVM_EXIT_STATS_SCOPE_VM ? vm_total : system_total;
		v.flags = (READ_ONCE(exit_stats_cpuid_dump) ? KVM_EXIT_STATS_INFO_DUMP_ON : 0) |
			  (READ_ONCE(vm->cpuid_user) ? KVM_EXIT_STATS_INFO_USER : 0);
		kvm_exit_stats_cpuid_fill(&v, *eax, *ecx, &r);
	}
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

/*
 * Before the statistics are switched on: an exit that began while they were
 * last on and ended while they were off is still pending in its vCPU, with
 * its old start; the end of whatever exit that vCPU handles when they are
 * on again would count it.  So every vCPU forgets it, while the key is off:
 * no vCPU begins an exit then, and one that passed the key's test in
 * kvm_exit_stats_end() before it went off just writes the same NULL.  An
 * exit in flight at the switch is not counted; every later one is.
 */
static void forget_pending_exits(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm *kvm;
	unsigned long i;

	lockdep_assert_held(&exit_stats_lock);
	list_for_each_entry(kvm, &exit_stats_vms, arch.exit_stats.link)
		kvm_for_each_vcpu(i, vcpu, kvm)
			WRITE_ONCE(vcpu->arch.exit_stats.cur, NULL);
}

/* Applies the parameters, once a vendor module is loaded. */
static void exit_stats_apply(void)
{
	bool cpu_counts = exit_stats_cpuid_cap == KVM_EXIT_STATS_SCOPE_SYSTEM;
	struct kvm_exit_stats *st;
	struct kvm_exit_stat t;

	lockdep_assert_held(&exit_stats_lock);
	if (!exit_stats_isa)
		return;
	if (exit_stats_on && !static_key_enabled(&kvm_exit_stats_key)) {
		forget_pending_exits();
		static_branch_enable(&kvm_exit_stats_key);
	} else if (!exit_stats_on && static_key_enabled(&kvm_exit_stats_key)) {
		static_branch_disable(&kvm_exit_stats_key);
	}
	/* System scope counts from the moment it is allowed. */
	if (cpu_counts && kvm_exit_stats_cpu && !static_key_enabled(&kvm_exit_stats_cpu_key)) {
		write_seqcount_begin(&exit_stats_cpu_seq);
		on_each_cpu(cpu_counts_zero, NULL, 1);
		write_seqcount_end(&exit_stats_cpu_seq);
		static_branch_enable(&kvm_exit_stats_cpu_key);
	} else if (!cpu_counts && static_key_enabled(&kvm_exit_stats_cpu_key)) {
		static_branch_disable(&kvm_exit_stats_cpu_key);
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

/* kvm.exit_stats_cpuid: the most any VM may see; lowering it applies at once. */
static int cpuid_cap_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(cpuid_scopes, val);

	if (i < 0)
		return -EINVAL;
	mutex_lock(&exit_stats_lock);
	WRITE_ONCE(exit_stats_cpuid_cap, i);
	exit_stats_apply();
	mutex_unlock(&exit_stats_lock);
	return 0;
}

static int cpuid_cap_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", cpuid_scopes[READ_ONCE(exit_stats_cpuid_cap)]);
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
module_param_cb(exit_stats_cpuid, &cpuid_cap_ops, &exit_stats_cpuid_cap, 0644);
MODULE_PARM_DESC(exit_stats_cpuid,
		 "The most a VM opted in may see through CPUID 0x4ffffff0-0x4fffffff: off, vm or system");
module_param_cb(exit_stats_cpuid_layout, &cpuid_layout_ops, &exit_stats_cpuid_layout, 0644);
MODULE_PARM_DESC(exit_stats_cpuid_layout,
		 "Layout of CPUID leaves 0x4ffffffc-0x4fffffff for the VMs created from now on: a, b or c");
module_param(exit_stats_cpuid_dump, bool, 0644);
MODULE_PARM_DESC(exit_stats_cpuid_dump,
		 "Let opted-in guests dump their statistics to the kernel log (CPUID 0x4ffffff6, once in 5 s per VM)");

/*
 * Called by the vendor module once kvm_init() has created debugfs "kvm".
 * With KVM built as modules, kvm.ko keeps its parameters and the totals of
 * departed VMs while the vendor module is unloaded and loaded again.
 */
void kvm_exit_stats_init(enum kvm_exit_stats_isa isa,
			 bool (*enabled)(struct kvm_vcpu *vcpu, u32 reason))
{
	struct dentry *dir;

	WARN_ON_ONCE(!kvm_exit_stats_tables_fit_slots());

	mutex_lock(&exit_stats_lock);
	if (exit_stats_departed_isa != isa)
		memset(&exit_stats_departed, 0, sizeof(exit_stats_departed));
	kvm_exit_stats_cpu = alloc_percpu(struct kvm_exit_stats_cpu);
	if (!kvm_exit_stats_cpu)
		pr_warn("no memory for the per-CPU counts: guests see at most their own VM\n");
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
	if (static_key_enabled(&kvm_exit_stats_cpu_key))
		static_branch_disable(&kvm_exit_stats_cpu_key);
	free_percpu(kvm_exit_stats_cpu);
	kvm_exit_stats_cpu = NULL;
	mutex_unlock(&exit_stats_lock);
	cancel_delayed_work_sync(&exit_stats_log_work);
	debugfs_remove(exit_stats_control_dentry);
	debugfs_remove(exit_stats_dentry);
	exit_stats_control_dentry = NULL;
	exit_stats_dentry = NULL;
}
EXPORT_SYMBOL_GPL(kvm_exit_stats_exit);
