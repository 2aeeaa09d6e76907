// SPDX-License-Identifier: GPL-2.0
/* Guest code with exactly known exits, and the host side that runs it. */
#include "workload.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <asm/kvm_exit_stats_cpuid.h>

#include "apic.h"
#include "kvm_util.h"
#include "processor.h"

struct wl_vm {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu[WL_MAX_VCPUS];
	struct wl_spec spec;
	uint64_t early_wakeups;	/* reported by the guest at WL_DONE */
	char debugfs_dir[64];
	char stats_path[80];
	char control_path[96];
};

struct wl_thread {
	struct wl_vm *wl;
	unsigned int index;
	enum wl_stage stage;
	uint64_t early_wakeups;
};

static const char *const kind_names[WL_NR_KINDS] = {
	[WL_CPUID] = "cpuid",
	[WL_IO] = "io",
	[WL_RDMSR] = "rdmsr",
	[WL_WRMSR] = "wrmsr",
	[WL_HLT] = "hlt",
	[WL_TSCDL] = "tscdl",
};

/* The guest's copy of the spec's counts (sync_global_to_guest). */
static uint64_t guest_n[WL_NR_KINDS];

const char *wl_kind_name(enum wl_kind kind)
{
	return (unsigned int)kind < WL_NR_KINDS ? kind_names[kind] : NULL;
}

int wl_kind_parse(const char *name)
{
	int k;

	for (k = 0; k < WL_NR_KINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

/* The HLT of the HLT loop; the IPI handler knows it by this label. */
extern const char wl_hlt_insn[];

static void guest_ipi_handler(struct ex_regs *regs)
{
	/*
	 * The IPI must wake the HLT: the STI shadow holds it off until HLT has
	 * exited.  Emulators do not always honour that shadow; if the IPI came
	 * first, skip the HLT (which would sleep for good) and tell the loop,
	 * which then tries again and reports the extra tries to the host.
	 */
	if (regs->rip == (uint64_t)wl_hlt_insn) {
		regs->rip++;
		regs->rax = 1;
	}
	x2apic_write_reg(APIC_EOI, 0);
}

/* The timer handler ends the spin of guest_timer_once() through its RAX. */
static void guest_timer_handler(struct ex_regs *regs)
{
	regs->rax = 1;
	x2apic_write_reg(APIC_EOI, 0);
}

/* Arms the TSC-deadline timer and spins, interrupts on, until it fires. */
static noinline void guest_timer_once(void)
{
	uint64_t fired = 0;

	wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + WL_TSCDL_DELTA);
	asm volatile("sti\n\t"
		     "1: test %%rax, %%rax\n\t"
		     "jz 1b\n\t"
		     "cli"
		     : "+a"(fired) : : "memory");
}

/* One HLT woken by a self-IPI; returns 1 if the IPI came before the HLT. */
static noinline uint64_t guest_hlt_once(uint64_t apic_id)
{
	uint64_t early = 0;

	asm volatile("cli");
	/* To its own APIC ID, no shorthand: the form KVM's VMX fastpath takes. */
	x2apic_write_reg(APIC_ICR, (apic_id << 32) | APIC_DEST_PHYSICAL |
				   APIC_DM_FIXED | WL_IPI_VECTOR);
	asm volatile("sti\n\t"
		     ".global wl_hlt_insn\n"
		     "wl_hlt_insn:\n\t"
		     "hlt\n\t"
		     "cli"
		     : "+a"(early) : : "memory");
	return early;
}

static void guest_code(void)
{
	uint32_t eax, ebx, ecx, edx;
	uint64_t i, apic_base, apic_id, early = 0;

	x2apic_enable();
	apic_base = rdmsr(MSR_IA32_APICBASE);
	apic_id = x2apic_read_reg(APIC_ID);
	if (guest_n[WL_TSCDL])
		x2apic_write_reg(APIC_LVTT, APIC_LVT_TIMER_TSCDEADLINE | WL_TIMER_VECTOR);
	GUEST_SYNC2(WL_READY, 0);

	for (i = 0; i < guest_n[WL_CPUID]; i++)
		__cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	for (i = 0; i < guest_n[WL_IO]; i++)
		asm volatile("outb %%al, %%dx" : : "a"(0), "d"(WL_IO_PORT));
	for (i = 0; i < guest_n[WL_RDMSR]; i++)
		rdmsr(MSR_IA32_APICBASE);
	for (i = 0; i < guest_n[WL_WRMSR]; i++)
		wrmsr(MSR_IA32_APICBASE, apic_base);
	for (i = 0; i < guest_n[WL_HLT]; i++) {
		while (guest_hlt_once(apic_id))
			early++;
	}
	for (i = 0; i < guest_n[WL_TSCDL]; i++)
		guest_timer_once();

	GUEST_SYNC2(WL_DONE, early);
	GUEST_DONE();
}

static void *vcpu_thread(void *arg)
{
	struct wl_thread *t = arg;
	struct kvm_vcpu *vcpu = t->wl->vcpu[t->index];
	struct ucall uc;

	if (t->wl->spec.pin) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(t->index % sysconf(_SC_NPROCESSORS_ONLN), &set);
		TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set),
			    "cannot pin vCPU %u's thread to a host CPU", t->index);
	}
	for (;;) {
		vcpu_run(vcpu);
		if (vcpu->run->exit_reason == KVM_EXIT_IO &&
		    vcpu->run->io.port == WL_IO_PORT)
			continue;
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			TEST_ASSERT(uc.args[0] == t->stage,
				    "vCPU %u reached stage %lu, expected %u",
				    t->index, uc.args[0], t->stage);
			t->early_wakeups = uc.args[1];
			return NULL;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("vCPU %u: unexpected exit %s (%u) before stage %u",
				  t->index, exit_reason_str(vcpu->run->exit_reason),
				  vcpu->run->exit_reason, t->stage);
		}
	}
}

static void run_to(struct wl_vm *wl, enum wl_stage stage)
{
	struct wl_thread t[WL_MAX_VCPUS];
	pthread_t tid[WL_MAX_VCPUS];
	unsigned int i;

	for (i = 0; i < wl->spec.vcpus; i++) {
		t[i] = (struct wl_thread){ wl, i, stage, 0 };
		TEST_ASSERT(!pthread_create(&tid[i], NULL, vcpu_thread, &t[i]),
			    "cannot start a thread for vCPU %u", i);
	}
	for (i = 0; i < wl->spec.vcpus; i++) {
		pthread_join(tid[i], NULL);
		wl->early_wakeups += t[i].early_wakeups;
	}
}

struct wl_vm *wl_create(const struct wl_spec *spec)
{
	struct wl_vm *wl = calloc(1, sizeof(*wl));
	unsigned int i;

	TEST_ASSERT(wl, "out of memory");
	TEST_ASSERT(spec->vcpus >= 1 && spec->vcpus <= WL_MAX_VCPUS,
		    "vcpus must be 1..%d, not %u", WL_MAX_VCPUS, spec->vcpus);
	wl->spec = *spec;
	wl->vm = vm_create_with_vcpus(spec->vcpus, guest_code, wl->vcpu);
	/* KVM emulates the TSC-deadline timer but leaves its CPUID bit to the VMM. */
	for (i = 0; i < spec->vcpus && spec->n[WL_TSCDL]; i++)
		vcpu_set_cpuid_feature(wl->vcpu[i], X86_FEATURE_TSC_DEADLINE_TIMER);
	memcpy(guest_n, spec->n, sizeof(guest_n));
	sync_global_to_guest(wl->vm, guest_n);
	vm_install_exception_handler(wl->vm, WL_IPI_VECTOR, guest_ipi_handler);
	vm_install_exception_handler(wl->vm, WL_TIMER_VECTOR, guest_timer_handler);
	wl_debugfs_dir_of(wl->vm->fd, wl->debugfs_dir, sizeof(wl->debugfs_dir));
	snprintf(wl->stats_path, sizeof(wl->stats_path), "%s/exit_stats", wl->debugfs_dir);
	snprintf(wl->control_path, sizeof(wl->control_path), "%s/exit_stats_control",
		 wl->debugfs_dir);
	run_to(wl, WL_READY);
	return wl;
}

void wl_run(struct wl_vm *wl)
{
	run_to(wl, WL_DONE);
}

void wl_destroy(struct wl_vm *wl)
{
	kvm_vm_free(wl->vm);
	free(wl);
}

const struct wl_spec *wl_spec(const struct wl_vm *wl)
{
	return &wl->spec;
}

uint64_t wl_early_wakeups(const struct wl_vm *wl)
{
	return wl->early_wakeups;
}

const char *wl_debugfs_dir(const struct wl_vm *wl)
{
	return wl->debugfs_dir;
}

const char *wl_stats_path(const struct wl_vm *wl)
{
	return wl->stats_path;
}

int wl_vm_fd(const struct wl_vm *wl)
{
	return wl->vm->fd;
}

int wl_guest_access(int vm_fd, unsigned int scope, bool user)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_EXIT_STATS_CPUID,
		.args = { scope, user ? KVM_EXIT_STATS_CPUID_USER : 0 },
	};

	return ioctl(vm_fd, KVM_ENABLE_CAP, &cap) ? -errno : 0;
}

const char *wl_control_path(const struct wl_vm *wl)
{
	return wl->control_path;
}

void wl_debugfs_dir_of(int vm_fd, char *dir, size_t n)
{
	snprintf(dir, n, "/sys/kernel/debug/kvm/%d-%d", getpid(), vm_fd);
}
