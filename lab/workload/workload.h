/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM whose guest code causes exactly known VM-exits, built on the KVM
 * selftests library (tools/testing/selftests/kvm in the kernel source).
 *
 * Every vCPU runs the same guest code: a rehearsal (each kind k with
 * n[k] > 0 once, so that the workload finds everything it touches mapped),
 * GUEST_SYNC(WL_READY), then the workload (n[k] times each kind k, in the
 * order of enum wl_kind), then GUEST_SYNC(WL_DONE).  Between the two syncs
 * the only exits that are not asynchronous (host interrupts) are the
 * workload's and the one port read of GUEST_SYNC(WL_DONE) itself: no page
 * fault but the fresh pages'.
 */
#ifndef KES_WORKLOAD_H
#define KES_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wl_kind {
	WL_CPUID,	/* CPUID leaf 0 */
	WL_IO,		/* OUT to WL_IO_PORT: an exit to userspace each */
	WL_RDMSR,	/* RDMSR IA32_APIC_BASE, always intercepted */
	WL_WRMSR,	/* WRMSR IA32_APIC_BASE with its value, always intercepted */
	WL_HLT,		/* IPI to itself (x2APIC ICR write to its own APIC ID: the */
			/* form the VMX fastpath takes), STI; HLT; the handler EOIs */
			/* (retried when the IPI came before the HLT: see below) */
	WL_TSCDL,	/* arm the LAPIC TSC-deadline timer (WRMSR), spin with */
			/* interrupts on until it fires; the handler EOIs.  On VMX */
			/* KVM runs it on the VMX preemption timer. */
	WL_VMCALL,	/* VMCALL (VMX) or VMMCALL (SVM) of an unknown hypercall, */
			/* which KVM answers itself (-KVM_ENOSYS) */
	WL_RDPMC,	/* RDPMC of counter 0, always intercepted (a #GP without */
			/* a virtual PMU, which the guest skips) */
	WL_WBINVD,	/* WBINVD, always intercepted */
	WL_INVD,	/* INVD, always intercepted; KVM treats it as a NOP */
	WL_FRESH,	/* a write to a guest page never touched before: one EPT */
			/* violation (VMX) or nested page fault (SVM) each, as KVM */
			/* maps guest memory 4K at a time here (MADV_NOHUGEPAGE) */
	WL_MMIO,	/* a write to guest-physical memory without a memslot: an */
			/* MMIO exit to the VMM each (EPT misconfig / NPF) */
	WL_PAUSE,	/* PAUSE: it exits only when the CPU's pause-loop */
			/* detection says so (VMX PLE, SVM pause filter): no */
			/* exact count, checked against the tracepoint only */
	WL_NR_KINDS,
};

#define WL_IO_PORT	0x2000
/*
 * WL_FRESH: each vCPU writes to its own 8 MB of a memslot that nothing else
 * touches: in the rehearsal to the first page of each 2 MB, which also
 * faults in the page-table page that maps those 2 MB, then (the workload)
 * to the others, at most WL_FRESH_MAX of them.
 */
#define WL_FRESH_GPA	0x40000000ULL
#define WL_FRESH_SLOT	10
#define WL_FRESH_CHUNKS	4			/* of 2 MB, per vCPU */
#define WL_FRESH_MAX	(WL_FRESH_CHUNKS * 511)
/* WL_MMIO: a guest-physical page without a memslot, mapped in the guest. */
#define WL_MMIO_GPA	0x60000000ULL
#define WL_HYPERCALL	0x4b4553		/* no such hypercall */
#define WL_IPI_VECTOR	0x40
#define WL_TIMER_VECTOR	0x41
#define WL_TSCDL_DELTA	50000	/* guest TSC cycles from arming to firing */
#define WL_MAX_VCPUS	8

enum wl_stage {
	WL_READY = 1,
	WL_DONE = 2,
};

struct wl_spec {
	uint64_t n[WL_NR_KINDS];
	unsigned int vcpus;
	bool pin;		/* pin vCPU i's thread to host CPU i % nproc */
};

/* Where and when a vCPU's thread ran its workload (WL_READY to WL_DONE). */
struct wl_vcpu_run {
	int cpu_first, cpu_last;	/* sched_getcpu() at the start and the end */
	unsigned int cpus_seen;		/* bit N: it ran on host CPU N (N < 32) */
	double t_start, t_end;		/* CLOCK_MONOTONIC, seconds */
};

struct wl_vm;

/* "cpuid" etc.; NULL for an unknown kind. */
const char *wl_kind_name(enum wl_kind kind);
/* Parses "cpuid" etc.; returns -1 if unknown. */
int wl_kind_parse(const char *name);

/* Creates the VM and runs every vCPU up to GUEST_SYNC(WL_READY). */
struct wl_vm *wl_create(const struct wl_spec *spec);
/* Runs the workload on every vCPU in parallel, up to GUEST_SYNC(WL_DONE). */
void wl_run(struct wl_vm *vm);
/* Destroys the VM (closes its file descriptors). */
void wl_destroy(struct wl_vm *vm);
/*
 * How many times, over all vCPUs, the wake-up IPI of the HLT loop came
 * before its HLT (the STI shadow not honoured, as under some emulators), so
 * that the loop skipped that HLT and tried again: each try is one more ICR
 * write and one more EOI write.  Known after wl_run().
 */
uint64_t wl_early_wakeups(const struct wl_vm *vm);
/* The spec the VM was created with. */
const struct wl_spec *wl_spec(const struct wl_vm *vm);
/* Where and when vCPU @i ran the workload.  Known after wl_run(). */
const struct wl_vcpu_run *wl_vcpu_run(const struct wl_vm *vm, unsigned int i);
/* The VM's debugfs folder, /sys/kernel/debug/kvm/<pid>-<fd>. */
const char *wl_debugfs_dir(const struct wl_vm *vm);
/* The VM's statistics file, in that folder, and its control file. */
const char *wl_stats_path(const struct wl_vm *vm);
const char *wl_control_path(const struct wl_vm *vm);
/* The VM's file descriptor. */
int wl_vm_fd(const struct wl_vm *vm);
/* vCPU @i of the VM (of the KVM selftests library). */
struct kvm_vcpu *wl_vcpu(const struct wl_vm *vm, unsigned int i);
/*
 * Lets the guest of VM @vm_fd read the exit statistics through CPUID:
 * KVM_ENABLE_CAP(KVM_CAP_X86_EXIT_STATS_CPUID) with @scope
 * (KVM_EXIT_STATS_SCOPE_*) and, if @user, from guest user space too.
 * Returns 0 or -errno (EPERM: more than kvm.exit_stats_cpuid allows).
 */
int wl_guest_access(int vm_fd, unsigned int scope, bool user);
/*
 * The debugfs folder of the VM whose file descriptor is @vm_fd, called by
 * the thread that created the VM: KVM names the folder after the creating
 * thread's ID (task_pid_nr(current)), not the process's, and after the fd.
 */
void wl_debugfs_dir_of(int vm_fd, char *dir, size_t n);

#endif /* KES_WORKLOAD_H */
