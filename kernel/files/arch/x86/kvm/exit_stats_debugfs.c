// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics as text: the debugfs files
 * /sys/kernel/debug/kvm/exit_stats and exit_stats_control (system-wide),
 * the same two in each VM's directory, an exit_stats file in each vCPU's
 * (vcpu<N>), all in one format, an exit_stats_hist file beside each
 * exit_stats (the histograms), and the dumps to the kernel log.
 * The format is documented in docs/interfaces.md of kvm-exit-stats.
 */
#define pr_fmt(fmt) "kvm_exit_stats: " fmt

#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <asm/tsc.h>

#include "exit_stats_internal.h"

static struct dentry *exit_stats_dentry, *exit_stats_hist_dentry, *exit_stats_control_dentry;

static const char *isa_name(void)
{
	return kvm_exit_stats_cur_isa == KVM_EXIT_STATS_VMX ? "vmx" : "svm";
}

static unsigned int isa_slots(void)
{
	return kvm_exit_stats_isa_slots(kvm_exit_stats_cur_isa);
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
		u32 reason = kvm_exit_stats_slot_reason(kvm_exit_stats_cur_isa, i);
		const char *name = kvm_exit_stats_reason_name(kvm_exit_stats_cur_isa, reason);

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

/* The numbers of a row of the statistics files (docs/interfaces.md). */
static void stat_show(struct seq_file *m, const struct kvm_exit_stat *s)
{
	bool timed = s->timed;

	seq_printf(m, " %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n", s->count,
		   s->cycles, kvm_exit_stat_min(s), timed ? s->max : 0, s->timed,
		   kvm_exit_stat_e2e(s), timed ? s->e2e_max : 0, s->part[KVM_EXIT_STATS_USER],
		   s->part[KVM_EXIT_STATS_BLOCKED], s->part[KVM_EXIT_STATS_PREEMPTED]);
}

static int stats_show(struct seq_file *m, const struct kvm_exit_stats *st)
{
	const struct kvm_exit_stat *u = &st->unlisted;
	struct exit_stats_row *rows;
	struct kvm_exit_stat t;
	int i, n;

	n = stats_rows(st, &rows);
	if (n < 0)
		return n;
	seq_printf(m, "# isa=%s tsc_khz=%u\n", isa_name(), tsc_khz);
	seq_puts(m, "# reason name count cycles_total cycles_min cycles_max timed e2e_total e2e_max user_total blocked_total preempted_total\n");
	for (i = 0; i < n; i++) {
		seq_printf(m, "%u %s", rows[i].reason, rows[i].name);
		stat_show(m, rows[i].stat);
	}
	if (u->count)
		seq_printf(m, "# unlisted unknown reasons (counted in TOTAL): count=%llu cycles=%llu timed=%llu user=%llu blocked=%llu preempted=%llu\n",
			   u->count, u->cycles, u->timed, u->part[KVM_EXIT_STATS_USER],
			   u->part[KVM_EXIT_STATS_BLOCKED], u->part[KVM_EXIT_STATS_PREEMPTED]);
	if (st->untimed)
		seq_printf(m, "# untimed (counted, never timed: the TSC went back): count=%llu\n",
			   st->untimed);
	kvm_exit_stats_total(st, &t);
	seq_puts(m, "- TOTAL");
	stat_show(m, &t);
	kfree(rows);
	return 0;
}

/* Prints @st to the kernel log, the reasons that happened only. */
void kvm_exit_stats_log_dump(const struct kvm_exit_stats *st, const char *scope,
			     const char *trigger)
{
	struct exit_stats_row *rows;
	struct kvm_exit_stat t;
	int i, n;

	n = stats_rows(st, &rows);
	if (n < 0)
		return;
	kvm_exit_stats_total(st, &t);
	pr_info("dump scope=%s trigger=%s isa=%s tsc_khz=%u\n", scope, trigger,
		isa_name(), tsc_khz);
	for (i = 0; i < n; i++) {
		const struct kvm_exit_stat *s = rows[i].stat;

		if (!s->count)
			continue;
		pr_info("%s(%u) count=%llu cycles=%llu min=%llu max=%llu avg=%llu timed=%llu e2e_avg=%llu\n",
			rows[i].name, rows[i].reason, s->count, s->cycles,
			kvm_exit_stat_min(s), s->max, div64_u64(s->cycles, s->timed ?: 1),
			s->timed, div64_u64(kvm_exit_stat_e2e(s), s->timed ?: 1));
	}
	pr_info("total count=%llu cycles=%llu timed=%llu e2e=%llu\n", t.count, t.cycles,
		t.timed, kvm_exit_stat_e2e(&t));
	kfree(rows);
}

/* Dumps the statistics of @kvm, or the system-wide ones if NULL, to the log. */
int kvm_exit_stats_dump(struct kvm *kvm, const char *trigger)
{
	struct kvm_exit_stats *st;
	char scope[48];

	st = kvm_exit_stats_read(kvm);
	if (!st)
		return -ENOMEM;
	if (kvm)
		snprintf(scope, sizeof(scope), "vm-%pd", kvm->debugfs_dentry);
	else
		strscpy(scope, "system", sizeof(scope));
	kvm_exit_stats_log_dump(st, scope, trigger);
	kfree(st);
	return 0;
}

/* Shows @st, read for the file, and frees it. */
static int stats_show_free(struct seq_file *m, struct kvm_exit_stats *st)
{
	int r;

	if (!st)
		return -ENOMEM;
	r = stats_show(m, st);
	kfree(st);
	return r;
}

/* m->private: the VM, or NULL for the system-wide file. */
static int exit_stats_show(struct seq_file *m, void *unused)
{
	return stats_show_free(m, kvm_exit_stats_read(m->private));
}

/* m->private: the vCPU. */
static int vcpu_exit_stats_show(struct seq_file *m, void *unused)
{
	return stats_show_free(m, kvm_exit_stats_read_vcpu(m->private));
}

/* One kind of one slot's histogram, if it has anything (docs/interfaces.md). */
static void hist_row_show(struct seq_file *m, const char *reason, const char *name,
			  const char *kind, const u64 *b)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < KVM_EXIT_STATS_HIST_BUCKETS; i++)
		sum += b[i];
	if (!sum)
		return;
	seq_printf(m, "%s %s %s", reason, name, kind);
	for (i = 0; i < KVM_EXIT_STATS_HIST_BUCKETS; i++)
		seq_printf(m, " %llu", b[i]);
	seq_putc(m, '\n');
}

/* Shows the histograms @hs, read for the file, and frees them. */
static int hist_show_free(struct seq_file *m, struct kvm_exit_hists *hs)
{
	static const char *const kinds[KVM_EXIT_STATS_HISTS] = { "e2e", "kvm" };
	unsigned int i, k;
	char reason[12];

	if (!hs)
		return -ENOMEM;
	seq_printf(m, "# isa=%s tsc_khz=%u buckets=%d\n", isa_name(), tsc_khz,
		   KVM_EXIT_STATS_HIST_BUCKETS);
	seq_puts(m, "# reason name kind bucket_0 ... bucket_31: TSC cycles 0, [1,2), [2,4), ..., [2^30,inf)\n");
	for (i = 0; i <= KVM_EXIT_STATS_HIST_OTHER; i++) {
		const char *name = "other";

		if (i < isa_slots()) {
			u32 r = kvm_exit_stats_slot_reason(kvm_exit_stats_cur_isa, i);

			snprintf(reason, sizeof(reason), "%u", r);
			name = kvm_exit_stats_reason_name(kvm_exit_stats_cur_isa, r) ?: "UNKNOWN";
		} else if (i == KVM_EXIT_STATS_HIST_OTHER) {
			strscpy(reason, "-", sizeof(reason));
		} else {
			continue;
		}
		for (k = 0; k < KVM_EXIT_STATS_HISTS; k++)
			hist_row_show(m, reason, name, kinds[k], hs->slot[i].bucket[k]);
	}
	kvfree(hs);
	return 0;
}

/* m->private: the VM, or NULL for the system-wide file. */
static int exit_stats_hist_show(struct seq_file *m, void *unused)
{
	return hist_show_free(m, kvm_exit_stats_hist_read(m->private, NULL));
}

/* m->private: the vCPU. */
static int vcpu_exit_stats_hist_show(struct seq_file *m, void *unused)
{
	struct kvm_vcpu *vcpu = m->private;

	return hist_show_free(m, kvm_exit_stats_hist_read(vcpu->kvm, vcpu));
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
		kvm_exit_stats_reset_all();
	else if (!r)
		r = strcmp(cmd, "dump") ? -EINVAL : kvm_exit_stats_dump(NULL, "request");
	return r ?: len;
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
		r = kvm_exit_stats_dump(file->private_data, "request");
	else if (!strncmp(cmd, "cpuid=", 6))
		r = kvm_exit_stats_cpuid_command(file->private_data, cmd + 6);
	else
		r = -EINVAL;
	return r ?: len;
}

static int system_open(struct inode *inode, struct file *file)
{
	return single_open(file, exit_stats_show, NULL);
}

static int system_hist_open(struct inode *inode, struct file *file)
{
	return single_open(file, exit_stats_hist_show, NULL);
}

/*
 * A VM's and a vCPU's statistics files keep the VM (and so its vCPUs)
 * alive while they are open: single_open() of @show on @data, holding @kvm.
 */
static int open_holding(struct file *file, struct kvm *kvm,
			int (*show)(struct seq_file *m, void *unused), void *data)
{
	int r;

	if (!kvm_get_kvm_safe(kvm))
		return -ENOENT;
	r = single_open(file, show, data);
	if (r)
		kvm_put_kvm(kvm);
	return r;
}

static int release_holding(struct inode *inode, struct file *file, struct kvm *kvm)
{
	int r = single_release(inode, file);

	kvm_put_kvm(kvm);
	return r;
}

static int vm_open(struct inode *inode, struct file *file)
{
	return open_holding(file, inode->i_private, exit_stats_show, inode->i_private);
}

static int vm_hist_open(struct inode *inode, struct file *file)
{
	return open_holding(file, inode->i_private, exit_stats_hist_show, inode->i_private);
}

static int vm_release(struct inode *inode, struct file *file)
{
	return release_holding(inode, file, inode->i_private);
}

static int vcpu_open(struct inode *inode, struct file *file)
{
	struct kvm_vcpu *vcpu = inode->i_private;

	return open_holding(file, vcpu->kvm, vcpu_exit_stats_show, vcpu);
}

static int vcpu_hist_open(struct inode *inode, struct file *file)
{
	struct kvm_vcpu *vcpu = inode->i_private;

	return open_holding(file, vcpu->kvm, vcpu_exit_stats_hist_show, vcpu);
}

static int vcpu_release(struct inode *inode, struct file *file)
{
	return release_holding(inode, file, ((struct kvm_vcpu *)inode->i_private)->kvm);
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

static const struct file_operations system_hist_fops = {
	.owner = THIS_MODULE,
	.open = system_hist_open,
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

static const struct file_operations vm_hist_fops = {
	.owner = THIS_MODULE,
	.open = vm_hist_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = vm_release,
};

static const struct file_operations vcpu_hist_fops = {
	.owner = THIS_MODULE,
	.open = vcpu_hist_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = vcpu_release,
};

static const struct file_operations vcpu_fops = {
	.owner = THIS_MODULE,
	.open = vcpu_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = vcpu_release,
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
	debugfs_create_file("exit_stats_hist", 0400, kvm->debugfs_dentry, kvm, &vm_hist_fops);
	debugfs_create_file("exit_stats_control", 0200, kvm->debugfs_dentry, kvm,
			    &vm_control_fops);
}

/* In the vCPU's folder, <pid>-<fd>/vcpu<N>: its own files, read-only. */
void kvm_exit_stats_create_vcpu_debugfs(struct kvm_vcpu *vcpu, struct dentry *dir)
{
	debugfs_create_file("exit_stats", 0400, dir, vcpu, &vcpu_fops);
	debugfs_create_file("exit_stats_hist", 0400, dir, vcpu, &vcpu_hist_fops);
}

/* Once kvm_init() has created debugfs "kvm": the system-wide files. */
void kvm_exit_stats_debugfs_init(void)
{
	struct dentry *dir = debugfs_lookup("kvm", NULL);

	if (IS_ERR_OR_NULL(dir))
		return;
	exit_stats_dentry = debugfs_create_file("exit_stats", 0400, dir, NULL, &system_fops);
	exit_stats_hist_dentry = debugfs_create_file("exit_stats_hist", 0400, dir, NULL,
						     &system_hist_fops);
	exit_stats_control_dentry = debugfs_create_file("exit_stats_control", 0200, dir, NULL,
							&system_control_fops);
	dput(dir);
}

void kvm_exit_stats_debugfs_exit(void)
{
	debugfs_remove(exit_stats_control_dentry);
	debugfs_remove(exit_stats_dentry);
	debugfs_remove(exit_stats_hist_dentry);
	exit_stats_control_dentry = NULL;
	exit_stats_dentry = NULL;
	exit_stats_hist_dentry = NULL;
}
