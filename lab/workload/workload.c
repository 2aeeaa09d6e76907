// SPDX-License-Identifier: GPL-2.0
/* Guest code with exactly known exits, and the host side that runs it. */
#include "workload.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	struct wl_vcpu_run run[WL_MAX_VCPUS];
	char debugfs_dir[64];
	char stats_path[80];
	char control_path[96];
};

struct wl_thread {
	struct wl_vm *wl;
	unsigned int index;
	enum wl_stage stage;
	uint64_t early_wakeups;
	struct wl_vcpu_run run;
};

static const char *const kind_names[WL_NR_KINDS] = {
	[WL_CPUID] = "cpuid",
	[WL_IO] = "io",
	[WL_RDMSR] = "rdmsr",
	[WL_WRMSR] = "wrmsr",
	[WL_HLT] = "hlt",
	[WL_TSCDL] = "tscdl",
	[WL_VMCALL] = "vmcall",
	[WL_RDPMC] = "rdpmc",
	[WL_WBINVD] = "wbinvd",
	[WL_INVD] = "invd",
	[WL_FRESH] = "fresh",
	[WL_MMIO] = "mmio",
	[WL_PAUSE] = "pause",
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

/* The first byte of page @page of vCPU @apic_id's WL_FRESH memory. */
static volatile uint8_t *fresh_page(uint64_t apic_id, uint64_t page)
{
	return (volatile uint8_t *)(WL_FRESH_GPA + (apic_id * WL_FRESH_CHUNKS * 512 + page) * 4096);
}

/* The workload's page I of WL_FRESH: never the first of its 2 MB. */
static volatile uint8_t *fresh_nth(uint64_t apic_id, uint64_t i)
{
	return fresh_page(apic_id, i / 511 * 512 + 1 + i % 511);
}

/*
 * Runs every kind of the workload guest_n[k] times; or, for the rehearsal
 * before WL_READY, once each (the fresh pages: the first of each 2 MB), so
 * that the workload proper finds its code, data, stack, IDT and page tables
 * mapped and causes no exits but its own.  Returns the early wake-ups.
 */
static uint64_t guest_kinds(uint64_t apic_id, uint64_t apic_base, bool rehearsal)
{
	uint32_t eax, ebx, ecx, edx;
	uint64_t i, n[WL_NR_KINDS], early = 0, pmc;
	int k;

	for (k = 0; k < WL_NR_KINDS; k++)
		n[k] = rehearsal ? !!guest_n[k] : guest_n[k];
	for (i = 0; i < n[WL_CPUID]; i++)
		__cpuid(0, 0, &eax, &ebx, &ecx, &edx);
	for (i = 0; i < n[WL_IO]; i++)
		asm volatile("outb %%al, %%dx" : : "a"(0), "d"(WL_IO_PORT));
	for (i = 0; i < n[WL_RDMSR]; i++)
		rdmsr(MSR_IA32_APICBASE);
	for (i = 0; i < n[WL_WRMSR]; i++)
		wrmsr(MSR_IA32_APICBASE, apic_base);
	for (i = 0; i < n[WL_HLT]; i++) {
		while (guest_hlt_once(apic_id))
			early++;
	}
	for (i = 0; i < n[WL_TSCDL]; i++)
		guest_timer_once();
	for (i = 0; i < n[WL_VMCALL]; i++)
		kvm_hypercall(WL_HYPERCALL, 0, 0, 0, 0);
	for (i = 0; i < n[WL_RDPMC]; i++)
		rdpmc_safe(0, &pmc);
	for (i = 0; i < n[WL_WBINVD]; i++)
		asm volatile("wbinvd" : : : "memory");
	for (i = 0; i < n[WL_INVD]; i++)
		asm volatile("invd" : : : "memory");
	for (i = 0; rehearsal && n[WL_FRESH] && i < WL_FRESH_CHUNKS; i++)
		*fresh_page(apic_id, i * 512) = 1;
	for (i = 0; !rehearsal && i < n[WL_FRESH]; i++)
		*fresh_nth(apic_id, i) = 1;
	for (i = 0; i < n[WL_MMIO]; i++)
		*(volatile uint32_t *)WL_MMIO_GPA = 1;
	for (i = 0; i < n[WL_PAUSE]; i++)
		asm volatile("pause");
	return early;
}

static void guest_code(void)
{
	uint64_t apic_base, apic_id, early;

	x2apic_enable();
	apic_base = rdmsr(MSR_IA32_APICBASE);
	apic_id = x2apic_read_reg(APIC_ID);
	if (guest_n[WL_TSCDL])
		x2apic_write_reg(APIC_LVTT, APIC_LVT_TIMER_TSCDEADLINE | WL_TIMER_VECTOR);
	guest_kinds(apic_id, apic_base, true);
	GUEST_SYNC2(WL_READY, 0);
	early = guest_kinds(apic_id, apic_base, false);
	GUEST_SYNC2(WL_DONE, early);
	GUEST_DONE();
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Notes which host CPU the thread runs on. */
static void note_cpu(struct wl_vcpu_run *r)
{
	int cpu = sched_getcpu();

	if (r->cpu_first < 0)
		r->cpu_first = cpu;
	r->cpu_last = cpu;
	if (cpu >= 0 && cpu < 32)
		r->cpus_seen |= 1u << cpu;
}

/* Exits the workload causes on purpose that KVM hands to the VMM. */
static bool workload_exit(const struct kvm_run *run)
{
	return (run->exit_reason == KVM_EXIT_IO && run->io.port == WL_IO_PORT) ||
	       (run->exit_reason == KVM_EXIT_MMIO && run->mmio.phys_addr == WL_MMIO_GPA);
}

#define TRACING "/sys/kernel/tracing"
#define RING_LINES 40	/* the events of the ring printed at a shutdown */

/*
 * The last of KVM's events of this thread's vCPU, if kes-run keeps a ring
 * of them (--ring): the ring is stopped first, so that the other VMs do not
 * push them out.  A trace line begins with the task, "COMM-TID".
 */
static void print_ring(void)
{
	char line[512], last[RING_LINES][512];
	unsigned int n = 0, i;
	long tid = gettid();
	FILE *f;

	f = fopen(TRACING "/events/kvm/kvm_exit/enable", "re");
	if (!f || fgetc(f) != '1') {
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	f = fopen(TRACING "/tracing_on", "we");
	if (f) {
		fputs("0", f);
		fclose(f);
	}
	f = fopen(TRACING "/trace", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char task[128], *dash;

		if (line[0] == '#' || sscanf(line, "%127s", task) != 1)
			continue;
		dash = strrchr(task, '-');
		if (dash && strtol(dash + 1, NULL, 10) == tid)
			snprintf(last[n++ % RING_LINES], sizeof(last[0]), "%s", line);
	}
	fclose(f);
	fprintf(stderr, "its last %u events in KVM's trace ring (of %u):\n",
		n < RING_LINES ? n : RING_LINES, n);
	for (i = n > RING_LINES ? n - RING_LINES : 0; i < n; i++)
		fprintf(stderr, "  ring: %s", last[i % RING_LINES]);
}

/*
 * A guest that shut down (a triple fault): where it was, for the one who
 * reads the log (seen four times under multi-threaded TCG, cause not known
 * yet: docs/lab.md).  On SVM, KVM has reset the VMCB by then; the trace
 * ring tells what came before.
 */
static void print_shutdown_state(struct kvm_vcpu *vcpu, unsigned int index)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	print_ring();

	vcpu_regs_get(vcpu, &regs);
	vcpu_sregs_get(vcpu, &sregs);
	fprintf(stderr, "vCPU %u shut down at RIP %#llx RSP %#llx RFLAGS %#llx; CR0 %#llx CR2 %#llx "
		"CR3 %#llx CR4 %#llx EFER %#llx; IDT base %#llx limit %#x\n", index, regs.rip,
		regs.rsp, regs.rflags, sregs.cr0, sregs.cr2, sregs.cr3, sregs.cr4, sregs.efer,
		sregs.idt.base, sregs.idt.limit);
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
	t->run.cpu_first = -1;
	note_cpu(&t->run);
	t->run.t_start = mono_s();
	for (;;) {
		vcpu_run(vcpu);
		note_cpu(&t->run);
		if (workload_exit(vcpu->run))
			continue;
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			TEST_ASSERT(uc.args[0] == t->stage,
				    "vCPU %u reached stage %lu, expected %u",
				    t->index, uc.args[0], t->stage);
			t->early_wakeups = uc.args[1];
			t->run.t_end = mono_s();
			return NULL;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			if (vcpu->run->exit_reason == KVM_EXIT_SHUTDOWN)
				print_shutdown_state(vcpu, t->index);
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
		t[i] = (struct wl_thread){ .wl = wl, .index = i, .stage = stage };
		TEST_ASSERT(!pthread_create(&tid[i], NULL, vcpu_thread, &t[i]),
			    "cannot start a thread for vCPU %u", i);
	}
	for (i = 0; i < wl->spec.vcpus; i++) {
		pthread_join(tid[i], NULL);
		wl->early_wakeups += t[i].early_wakeups;
		wl->run[i] = t[i].run;
	}
}

struct wl_vm *wl_create(const struct wl_spec *spec)
{
	struct wl_vm *wl = calloc(1, sizeof(*wl));
	unsigned int i;

	TEST_ASSERT(wl, "out of memory");
	TEST_ASSERT(spec->vcpus >= 1 && spec->vcpus <= WL_MAX_VCPUS,
		    "vcpus must be 1..%d, not %u", WL_MAX_VCPUS, spec->vcpus);
	TEST_ASSERT(spec->n[WL_FRESH] <= WL_FRESH_MAX, "at most %d fresh pages per vCPU, not %llu",
		    WL_FRESH_MAX, (unsigned long long)spec->n[WL_FRESH]);
	wl->spec = *spec;
	wl->vm = vm_create_with_vcpus(spec->vcpus, guest_code, wl->vcpu);
	if (spec->n[WL_FRESH]) {
		uint64_t pages = (uint64_t)spec->vcpus * WL_FRESH_CHUNKS * 512;

		/* 4K pages (MADV_NOHUGEPAGE), so that KVM maps them one by one. */
		vm_userspace_mem_region_add(wl->vm, VM_MEM_SRC_ANONYMOUS, WL_FRESH_GPA,
					    WL_FRESH_SLOT, pages, 0);
		virt_map(wl->vm, WL_FRESH_GPA, WL_FRESH_GPA, pages);
	}
	if (spec->n[WL_MMIO])
		virt_map(wl->vm, WL_MMIO_GPA, WL_MMIO_GPA, 1);
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

const struct wl_vcpu_run *wl_vcpu_run(const struct wl_vm *wl, unsigned int i)
{
	return &wl->run[i];
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

struct kvm_vcpu *wl_vcpu(const struct wl_vm *wl, unsigned int i)
{
	return wl->vcpu[i];
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
	snprintf(dir, n, "/sys/kernel/debug/kvm/%d-%d", gettid(), vm_fd);
}
