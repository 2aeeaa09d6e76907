/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM whose guest code causes exactly known VM-exits, built on the KVM
 * selftests library (tools/testing/selftests/kvm in the kernel source).
 *
 * Every vCPU runs the same guest code: GUEST_SYNC(WL_READY), then the
 * workload (n[k] times each kind k, in the order of enum wl_kind), then
 * GUEST_SYNC(WL_DONE).  Between the two syncs the only exits that are not
 * asynchronous (interrupts, page faults) are the workload's and the one port
 * read of GUEST_SYNC(WL_DONE) itself.
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
	WL_NR_KINDS,
};

#define WL_IO_PORT	0x2000
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
/* The VM's debugfs folder, /sys/kernel/debug/kvm/<pid>-<fd>. */
const char *wl_debugfs_dir(const struct wl_vm *vm);
/* The VM's statistics file, in that folder, and its control file. */
const char *wl_stats_path(const struct wl_vm *vm);
const char *wl_control_path(const struct wl_vm *vm);
/* The VM's file descriptor. */
int wl_vm_fd(const struct wl_vm *vm);
/*
 * Lets the guest of VM @vm_fd read the exit statistics through CPUID:
 * KVM_ENABLE_CAP(KVM_CAP_X86_EXIT_STATS_CPUID) with @scope
 * (KVM_EXIT_STATS_SCOPE_*) and, if @user, from guest user space too.
 * Returns 0 or -errno (EPERM: more than kvm.exit_stats_cpuid allows).
 */
int wl_guest_access(int vm_fd, unsigned int scope, bool user);
/* The debugfs folder of the VM whose file descriptor in this process is @vm_fd. */
void wl_debugfs_dir_of(int vm_fd, char *dir, size_t n);

#endif /* KES_WORKLOAD_H */
