// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics in KVM's binary statistics: the stats
 * file of each VM and of each vCPU (KVM_GET_STATS_FD) has, after KVM's own
 * descriptors, those of the exit statistics, whose data follow KVM's and are
 * added up at each read from the same sums as the debugfs files.  So QEMU's
 * query-stats, libvirt, or any holder of the file descriptor read them,
 * without debugfs and in lockdown.
 *
 * Every array but the histograms has one entry per exit reason with a slot
 * of the ISA (exit_stats_abi.h), in slot order, then one for every reason
 * without a slot; "exit_stats_reason" holds the reason number of each entry
 * (U64_MAX for that last one), so that a reader needs no table of its own.
 * The histograms are of all reasons together.  docs/interfaces.md of
 * kvm-exit-stats documents each descriptor.
 */
#include <linux/kvm_host.h>
#include <linux/slab.h>

#include "exit_stats_internal.h"

enum exit_stats_bin_field {
	BIN_REASON,		/* the reason number of each entry */
	BIN_COUNT,		/* exits */
	BIN_TIMED,		/* exits timed */
	BIN_CYCLES,		/* in KVM, of the exits timed */
	BIN_CYCLES_MAX,		/* the longest in KVM */
	BIN_E2E,		/* exit-to-entry */
	BIN_E2E_MAX,		/* the longest exit-to-entry */
	BIN_USER,		/* the parts of exit-to-entry not in KVM */
	BIN_BLOCKED,
	BIN_PREEMPTED,
	BIN_PER_REASON,
	BIN_E2E_HIST = BIN_PER_REASON,	/* histograms, all reasons together */
	BIN_CYCLES_HIST,
	BIN_FIELDS,
};

#define CYC	KVM_STATS_UNIT_CYCLES
static const struct {
	const char *name;
	u32 flags;
} bin_field[BIN_FIELDS] = {
	[BIN_REASON]	 = { "exit_stats_reason", KVM_STATS_TYPE_INSTANT },
	[BIN_COUNT]	 = { "exit_stats_count", KVM_STATS_TYPE_LINEAR_HIST },
	[BIN_TIMED]	 = { "exit_stats_timed", KVM_STATS_TYPE_CUMULATIVE },
	[BIN_CYCLES]	 = { "exit_stats_cycles_total", KVM_STATS_TYPE_CUMULATIVE | CYC },
	[BIN_CYCLES_MAX] = { "exit_stats_cycles_max", KVM_STATS_TYPE_PEAK | CYC },
	[BIN_E2E]	 = { "exit_stats_e2e_total", KVM_STATS_TYPE_CUMULATIVE | CYC },
	[BIN_E2E_MAX]	 = { "exit_stats_e2e_max", KVM_STATS_TYPE_PEAK | CYC },
	[BIN_USER]	 = { "exit_stats_user_total", KVM_STATS_TYPE_CUMULATIVE | CYC },
	[BIN_BLOCKED]	 = { "exit_stats_blocked_total", KVM_STATS_TYPE_CUMULATIVE | CYC },
	[BIN_PREEMPTED]	 = { "exit_stats_preempted_total", KVM_STATS_TYPE_CUMULATIVE | CYC },
	[BIN_E2E_HIST]	 = { "exit_stats_e2e_hist", KVM_STATS_TYPE_LOG_HIST | CYC },
	[BIN_CYCLES_HIST] = { "exit_stats_cycles_hist", KVM_STATS_TYPE_LOG_HIST | CYC },
};

#undef CYC

/* The layout of one kind of stats file, VM's or vCPU's, with ours added. */
struct exit_stats_bin {
	struct kvm_stats_header header;
	struct kvm_stats_desc *desc;	/* KVM's, then ours */
	size_t kvm_size;		/* of KVM's data; ours follow */
	size_t size;			/* of all the data */
};

static struct exit_stats_bin bin_vm, bin_vcpu;
static u32 bin_entries;			/* per reason: the ISA's slots and "other" */

static int bin_layout(struct exit_stats_bin *b, const struct kvm_stats_header *kvm_header,
		      const struct kvm_stats_desc *kvm_desc, size_t kvm_size)
{
	u32 n = kvm_header->num_desc, i;
	size_t offset = kvm_size;

	b->desc = kcalloc(n + BIN_FIELDS, sizeof(*b->desc), GFP_KERNEL);
	if (!b->desc)
		return -ENOMEM;
	memcpy(b->desc, kvm_desc, n * sizeof(*b->desc));
	for (i = 0; i < BIN_FIELDS; i++) {
		struct kvm_stats_desc *d = &b->desc[n + i];

		d->flags = bin_field[i].flags | KVM_STATS_BASE_POW10;
		d->size = i < BIN_PER_REASON ? bin_entries : KVM_EXIT_STATS_HIST_BUCKETS;
		d->bucket_size = (d->flags & KVM_STATS_TYPE_MASK) == KVM_STATS_TYPE_LINEAR_HIST;
		d->offset = offset;
		strscpy(d->name, bin_field[i].name, sizeof(d->name));
		offset += d->size * sizeof(u64);
	}
	b->kvm_size = kvm_size;
	b->size = offset;
	b->header = *kvm_header;
	b->header.num_desc = n + BIN_FIELDS;
	b->header.data_offset = b->header.desc_offset + b->header.num_desc * sizeof(*b->desc);
	return 0;
}

void kvm_exit_stats_binary_init(u32 slots)
{
	bin_entries = slots + 1;
	if (bin_layout(&bin_vm, &kvm_vm_stats_header, kvm_vm_stats_desc,
		       sizeof(struct kvm_vm_stat)) ||
	    bin_layout(&bin_vcpu, &kvm_vcpu_stats_header, kvm_vcpu_stats_desc,
		       sizeof(struct kvm_vcpu_stat))) {
		pr_warn("kvm_exit_stats: no memory for the binary statistics' layout: KVM's alone\n");
		kvm_exit_stats_binary_exit();
	}
}

void kvm_exit_stats_binary_exit(void)
{
	kfree(bin_vm.desc);
	kfree(bin_vcpu.desc);
	bin_vm.desc = NULL;
	bin_vcpu.desc = NULL;
}

/* Our data: the statistics @st and histograms @hs (may be NULL) of a scope. */
#define A(field, i)	d[(field) * bin_entries + (i)]

static void bin_fill(u64 *d, const struct kvm_exit_stats *st, const struct kvm_exit_hists *hs)
{
	u64 *hist = d + BIN_PER_REASON * bin_entries;
	struct kvm_exit_stat other;
	u32 i, k, j;

	kvm_exit_stats_other(st, &other);
	for (i = 0; i < bin_entries; i++) {
		const struct kvm_exit_stat *s = i + 1 < bin_entries ? &st->slot[i] : &other;
		bool timed = s->timed;

		A(BIN_REASON, i) = i + 1 < bin_entries ?
				   kvm_exit_stats_slot_reason(kvm_exit_stats_cur_isa, i) : U64_MAX;
		A(BIN_COUNT, i) = s->count;
		A(BIN_TIMED, i) = s->timed;
		A(BIN_CYCLES, i) = s->cycles;
		A(BIN_CYCLES_MAX, i) = timed ? s->max : 0;
		A(BIN_E2E, i) = kvm_exit_stat_e2e(s);
		A(BIN_E2E_MAX, i) = timed ? s->e2e_max : 0;
		A(BIN_USER, i) = s->part[KVM_EXIT_STATS_USER];
		A(BIN_BLOCKED, i) = s->part[KVM_EXIT_STATS_BLOCKED];
		A(BIN_PREEMPTED, i) = s->part[KVM_EXIT_STATS_PREEMPTED];
	}
	for (i = 0; hs && i <= KVM_EXIT_STATS_HIST_OTHER; i++)
		for (k = 0; k < KVM_EXIT_STATS_HISTS; k++)
			for (j = 0; j < KVM_EXIT_STATS_HIST_BUCKETS; j++)
				hist[k * KVM_EXIT_STATS_HIST_BUCKETS + j] +=
					hs->slot[i].bucket[k][j];
}

#undef A

/*
 * A read of the stats file of @vcpu, or of @kvm if @vcpu is NULL: KVM's
 * statistics @kvm_stat, then ours, taken now.
 */
ssize_t kvm_exit_stats_stats_read(struct kvm *kvm, struct kvm_vcpu *vcpu, const void *kvm_stat,
				  char __user *user_buffer, size_t size, loff_t *offset)
{
	const struct exit_stats_bin *b = vcpu ? &bin_vcpu : &bin_vm;
	char *id = vcpu ? vcpu->stats_id : kvm->stats_id;
	struct kvm_exit_hists *hs = NULL;
	struct kvm_exit_stats *st = NULL;
	ssize_t ret = -ENOMEM;
	void *data;

	if (!b->desc)
		return kvm_stats_read(id, vcpu ? &kvm_vcpu_stats_header : &kvm_vm_stats_header,
				      vcpu ? kvm_vcpu_stats_desc : kvm_vm_stats_desc,
				      (void *)kvm_stat, vcpu ? sizeof(struct kvm_vcpu_stat) :
				      sizeof(struct kvm_vm_stat), user_buffer, size, offset);
	data = kvzalloc(b->size, GFP_KERNEL_ACCOUNT);
	/* The data only for a read that reaches them. */
	if (data && *offset + size > b->header.data_offset + b->kvm_size) {
		st = vcpu ? kvm_exit_stats_read_vcpu(vcpu) : kvm_exit_stats_read(kvm);
		hs = kvm_exit_stats_hist_read(kvm, vcpu);
		if (!st || !hs)
			goto out;
		bin_fill(data + b->kvm_size, st, hs);
	}
	if (data) {
		memcpy(data, kvm_stat, b->kvm_size);
		ret = kvm_stats_read(id, &b->header, b->desc, data, b->size, user_buffer,
				     size, offset);
	}
out:
	kvfree(hs);
	kfree(st);
	kvfree(data);
	return ret;
}
