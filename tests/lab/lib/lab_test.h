/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the exit-statistics tests that run inside the lab kernel (L1):
 * snapshots of the exit_stats files, the kernel's own kvm_exit tracepoint
 * counted by reason (a hist trigger), the kernel log, and checks that say
 * what they expected.  Results are reported as TAP through kselftest.h.
 */
#ifndef KES_LAB_TEST_H
#define KES_LAB_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include <asm/kvm_exit_stats_cpuid.h>

#include "kselftest.h"
#include "test_util.h"
#include "statsfile.h"
#include "workload.h"

#define SYSTEM_STATS	"/sys/kernel/debug/kvm/exit_stats"
#define SYSTEM_CONTROL	"/sys/kernel/debug/kvm/exit_stats_control"
#define PARAM_DIR	"/sys/module/kvm/parameters"

/* The statistics in @path; the test fails if they cannot be read. */
void stats_load(const char *path, struct kes_stats *st);
/* The per-VM statistics of @vm. */
void stats_load_vm(const struct wl_vm *vm, struct kes_stats *st);
/* after - before, for @reason. */
uint64_t stats_delta(const struct kes_stats *before, const struct kes_stats *after,
		     uint32_t reason);
/* The ISA the running kernel's statistics use. */
enum kes_isa lab_isa(void);
/* QEMU's major version if L1 runs under QEMU (kes.qemu=... on its command line), else 0. */
int lab_qemu_major(void);
/* The reason number of @name in the running ISA (fails the test if none). */
uint32_t lab_reason(const char *name);

/* The kvm_exit tracepoint, counted by exit reason in the kernel. */
#define TP_MAX_REASONS 128
#define TP_OTHER_MAX 16
struct tp_counts {
	uint64_t dropped;		/* events the hist maps could not count */
	unsigned int n;
	uint32_t reason[TP_MAX_REASONS];
	uint64_t count[TP_MAX_REASONS];
	/* KVM's page faults (kvm_page_fault), by where: the workload's or not */
	uint64_t pf_fresh, pf_mmio, pf_other;
	unsigned int pf_other_n;
	uint64_t pf_other_gpa[TP_OTHER_MAX];
};
/* Starts counting from zero. */
void tp_start(void);
/* The counts so far (VMX: basic exit reasons). */
void tp_read(struct tp_counts *tp);
void tp_stop(void);
uint64_t tp_count(const struct tp_counts *tp, uint32_t reason);
uint64_t tp_total(const struct tp_counts *tp);

/*
 * Exits that KVM's fastpath handled and re-entered the guest from: a
 * kretprobe on the vendor's vcpu_run (vmx_vcpu_run, svm_vcpu_run) counting
 * its return value EXIT_FASTPATH_REENTER_GUEST, in the kernel.
 */
void fp_start(void);
uint64_t fp_reentries(void);
void fp_stop(void);

/*
 * Checks: each prints "# what: expected X, got Y" when it fails, and
 * returns whether it held; a test passes when all of its checks held.
 */
bool check_u64(uint64_t got, uint64_t expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Every reason's delta between two snapshots equals the tracepoint's count,
 * and no reason the tracepoint saw is missing.  @what names the file.
 */
bool check_matches_tracepoint(const struct kes_stats *before,
			      const struct kes_stats *after,
			      const struct tp_counts *tp, const char *what);
/* Each counted reason has cycles > 0 and min <= avg <= max. */
bool check_cycles_sane(const struct kes_stats *st, const char *what);
/*
 * The reasons the workload of @vm must have raised, by exactly how much:
 * its own exits plus the port read of the final GUEST_SYNC, on every vCPU
 * (and the extra ICR and EOI writes of HLT tries the guest reported).
 */
bool check_workload_deltas(const struct kes_stats *before,
			   const struct kes_stats *after,
			   const struct wl_vm *vm, const char *what);
/*
 * The same, with the page faults the tracepoint saw (@tp, of the same run):
 * each fresh page of the workload faulted exactly once, the MMIO page once
 * per write (SVM), and faults elsewhere, KVM's own doing, counted in.
 */
bool check_workload_faults(const struct kes_stats *before,
			   const struct kes_stats *after,
			   const struct wl_vm *vm, const struct tp_counts *tp,
			   const char *what);

/*
 * KVM's own statistics of a VM (its debugfs folder's files, summed over the
 * vCPUs), counted elsewhere in KVM: truths independent of the change.
 */
enum kvm_count {
	KVM_EXITS, KVM_IO_EXITS, KVM_IRQ_EXITS, KVM_HALT_EXITS, KVM_IRQ_WINDOW_EXITS,
	KVM_MMIO_EXITS, KVM_INSN_EMULATION, KVM_COUNTS
};
struct kvm_counts {
	uint64_t v[KVM_COUNTS];
};
void kvm_counts_load(const char *vm_dir, struct kvm_counts *k);
void kvm_counts_load_vm(const struct wl_vm *vm, struct kvm_counts *k);
/*
 * The same, summed over @n stopped vCPUs from KVM's binary statistics
 * (KVM_GET_STATS_FD): for VMs that may have no debugfs folder (KVM makes
 * none when one of the same name, <pid>-<fd>, still exists: a destroyed
 * VM's file held open keeps its folder while the fd number is reused).
 */
void kvm_counts_load_vcpus(struct kvm_vcpu *const *vcpus, unsigned int n, struct kvm_counts *k);
/*
 * KVM's own statistic @name of one vCPU, from its binary statistics
 * (KVM_GET_STATS_FD).  Getting the file descriptor is a vCPU ioctl, which
 * waits for the vCPU's KVM_RUN to end: for a vCPU that runs, get it before
 * (vcpu_get_stats_fd()) and read it with stats_fd_get(), which waits for
 * nothing.
 */
struct kvm_vcpu;
uint64_t vcpu_get_stat(struct kvm_vcpu *vcpu, const char *name);
uint64_t stats_fd_get(int stats_fd, const char *name);
/*
 * Between two snapshots of a VM's file and of KVM's own statistics of that
 * VM, taken while none of its vCPUs was in KVM_RUN: TOTAL equals KVM's
 * "exits", and each reason that one of KVM's counters counts exactly
 * (io_exits, irq_exits, halt_exits, irq_window_exits) equals it.
 */
bool check_kvm_counts(const struct kes_stats *before, const struct kes_stats *after,
		      const struct kvm_counts *k0, const struct kvm_counts *k1, const char *what);

/* Writes @val to @path; returns 0 or -errno. */
int write_file(const char *path, const char *val);
/* Sets kvm.@name; the test fails if that is refused. */
void set_param(const char *name, const char *val);
/* kvm.@name's value, without its newline (valid for the next 3 calls too). */
const char *get_param(const char *name);

/* The kernel log: lines logged after kmsg_open(), without the prefix. */
struct kmsg;
struct kmsg *kmsg_open(void);
/* The next line, NULL when there is none (yet); valid until the next call. */
const char *kmsg_next(struct kmsg *k);
void kmsg_close(struct kmsg *k);

#endif /* KES_LAB_TEST_H */
