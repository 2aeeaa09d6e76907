// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-exit-reason VM-exit statistics read by the guest: the CPUID leaves
 * 0x4ffffff0-0x4fffffff (asm/kvm_exit_stats_cpuid.h, laid out by
 * exit_stats_abi.c), answered only for a VM that was opted in, by the VMM
 * (KVM_ENABLE_CAP, KVM_CAP_X86_EXIT_STATS_CPUID) or by the host (the VM's
 * exit_stats_control file), up to what kvm.exit_stats_cpuid allows (default
 * off); by default only the guest kernel (CPL 0) may ask.  A query computes
 * only what it answers, without locks or allocation: one reason or the
 * totals, summed over the VM's vCPUs, or for the whole host over per-CPU
 * counts that are kept only while kvm.exit_stats_cpuid=system.
 */
#include <linux/kvm_host.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "kvm_cache_regs.h"
#include "exit_stats_internal.h"

/* A guest may have the host log dumped at most once in 5 seconds, per VM. */
#define EXIT_STATS_DUMP_INTERVAL	(5 * HZ)

/*
 * What a VM's guest may read through CPUID: @scope (KVM_EXIT_STATS_SCOPE_*,
 * at most what kvm.exit_stats_cpuid allows), and from guest user space too
 * if @user.  The VMM sets it with KVM_ENABLE_CAP, the host with the VM's
 * exit_stats_control file.
 */
static int vm_cpuid_set(struct kvm *kvm, u64 scope, bool user)
{
	struct kvm_exit_stats_vm *vm = &kvm->exit_stats;

	if (scope > KVM_EXIT_STATS_SCOPE_SYSTEM)
		return -EINVAL;
	if (scope > READ_ONCE(kvm_exit_stats_cpuid_cap))
		return -EPERM;
	WRITE_ONCE(vm->cpuid_user, user && scope);
	WRITE_ONCE(vm->cpuid_scope, scope);
	return 0;
}

/* KVM_CHECK_EXTENSION: the widest scope this host allows, 0 if none. */
int kvm_exit_stats_check_cap(void)
{
	return READ_ONCE(kvm_exit_stats_cpuid_cap);
}

/* KVM_ENABLE_CAP: args[0] the scope, args[1] KVM_EXIT_STATS_CPUID_USER or 0. */
int kvm_exit_stats_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap)
{
	if (cap->flags || cap->args[1] & ~(u64)KVM_EXIT_STATS_CPUID_USER ||
	    cap->args[2] || cap->args[3])
		return -EINVAL;
	return vm_cpuid_set(kvm, cap->args[0], cap->args[1] & KVM_EXIT_STATS_CPUID_USER);
}

const char *const kvm_exit_stats_scopes[KVM_EXIT_STATS_SCOPE_SYSTEM + 1] = {
	[KVM_EXIT_STATS_SCOPE_OFF] = "off",
	[KVM_EXIT_STATS_SCOPE_VM] = "vm",
	[KVM_EXIT_STATS_SCOPE_SYSTEM] = "system",
};

/* "cpuid=SCOPE" or "cpuid=SCOPE,user", as the host opts a VM in. */
int kvm_exit_stats_cpuid_command(struct kvm *kvm, char *arg)
{
	char *flag = strchr(arg, ',');
	int scope;

	if (flag)
		*flag++ = '\0';
	if (flag && strcmp(flag, "user"))
		return -EINVAL;
	scope = match_string(kvm_exit_stats_scopes, ARRAY_SIZE(kvm_exit_stats_scopes), arg);
	if (scope < 0)
		return -EINVAL;
	return vm_cpuid_set(kvm, scope, flag);
}

/*
 * The dump a guest asked for, printed by a worker a tick later rather than
 * in the vCPU's path, so that the console never holds up the vCPU.
 */
static void vm_dump_fn(struct work_struct *work)
{
	struct kvm_exit_stats_vm *vm = container_of(to_delayed_work(work),
						    struct kvm_exit_stats_vm, dump_work);
	struct kvm *kvm = container_of(vm, struct kvm, exit_stats);

	kvm_exit_stats_dump(vm->dump_scope == KVM_EXIT_STATS_SCOPE_VM ? kvm : NULL, "guest");
}

void kvm_exit_stats_cpuid_init_vm(struct kvm *kvm)
{
	struct kvm_exit_stats_vm *vm = &kvm->exit_stats;

	vm->cpuid_layout = READ_ONCE(kvm_exit_stats_cpuid_layout);
	ratelimit_state_init(&vm->dump_limit, EXIT_STATS_DUMP_INTERVAL, 1);
	ratelimit_set_flags(&vm->dump_limit, RATELIMIT_MSG_ON_RELEASE);
	INIT_DELAYED_WORK(&vm->dump_work, vm_dump_fn);
}

/* Sources of the CPUID answers: ctx is the querying vCPU. */
static void vm_slot(const void *ctx, u32 slot, u64 *count, u64 *cycles)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, ((struct kvm_vcpu *)ctx)->kvm)
		kvm_exit_stats_vcpu_read2(vcpu, slot, false, vcpu == ctx, count, cycles);
}

static void vm_total(const void *ctx, u64 *count, u64 *cycles)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, ((struct kvm_vcpu *)ctx)->kvm)
		kvm_exit_stats_vcpu_read2(vcpu, 0, true, vcpu == ctx, count, cycles);
}

/*
 * The host's per-CPU counts, without the asking CPUID exit (counted at its
 * VM-exit, on the CPU it ran on; unless the per-CPU counts came on after
 * it, which leaves it out twice, clamped at 0).
 */
static void system_read(const void *ctx, u32 slot, bool all, u64 *count, u64 *cycles)
{
	const struct kvm_vcpu *vcpu = ctx;

	kvm_exit_stats_cpu_read(slot, all, count, cycles);
	if (*count && kvm_exit_stats_counted_last(&vcpu->exit_stats, slot, all))
		--*count;
}

static void system_slot(const void *ctx, u32 slot, u64 *count, u64 *cycles)
{
	system_read(ctx, slot, false, count, cycles);
}

static void system_total(const void *ctx, u64 *count, u64 *cycles)
{
	system_read(ctx, 0, true, count, cycles);
}

static bool vcpu_enabled(const void *ctx, u32 reason)
{
	return kvm_exit_stats_enabled((struct kvm_vcpu *)ctx, reason);
}

/* The DUMP leaf: asks for the log dump of the guest's scope, if allowed. */
static void cpuid_dump(struct kvm_vcpu *vcpu, u32 scope, struct kvm_exit_stats_regs *r)
{
	struct kvm_exit_stats_vm *vm = &vcpu->kvm->exit_stats;

	memset(r, 0, sizeof(*r));
	if (!READ_ONCE(kvm_exit_stats_cpuid_dump)) {
		r->ebx = KVM_EXIT_STATS_DUMP_OFF;
	} else if (!__ratelimit(&vm->dump_limit)) {
		r->ebx = KVM_EXIT_STATS_DUMP_LIMITED;
	} else {
		vm->dump_scope = scope;
		queue_delayed_work(system_dfl_wq, &vm->dump_work, 1);
		r->eax = 1;
	}
}

bool __kvm_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	struct kvm_exit_stats_vm *vm = &vcpu->kvm->exit_stats;
	struct kvm_exit_stats_source src = { .enabled = vcpu_enabled, .ctx = vcpu };
	struct kvm_exit_stats_view v = {
		.isa = READ_ONCE(kvm_exit_stats_cur_isa),
		.layout = vm->cpuid_layout,
		.scope = min_t(u32, READ_ONCE(vm->cpuid_scope),
			       READ_ONCE(kvm_exit_stats_cpuid_cap)),
		.src = &src,
	};
	struct kvm_exit_stats_regs r;

	/*
	 * Not for a VM that was not opted in, nor from guest user space unless
	 * allowed, nor for a nested guest (L2), which is not this VM's guest.
	 */
	if (!v.scope || !v.isa || !kvm_exit_stats_enabled || is_guest_mode(vcpu) ||
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
		v.flags = (READ_ONCE(kvm_exit_stats_cpuid_dump) ? KVM_EXIT_STATS_INFO_DUMP_ON : 0) |
			  (READ_ONCE(vm->cpuid_user) ? KVM_EXIT_STATS_INFO_USER : 0);
		kvm_exit_stats_cpuid_fill(&v, *eax, *ecx, &r);
	}
	*eax = r.eax;
	*ebx = r.ebx;
	*ecx = r.ecx;
	*edx = r.edx;
	return true;
}
