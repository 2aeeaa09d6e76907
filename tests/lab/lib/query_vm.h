/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM whose guest executes batches of CPUID queries that the host hands
 * it, for the tests of the guest ABI: directly, or with KVM's forced-
 * emulation prefix (through KVM's instruction emulator); from the guest
 * kernel, from guest user space (CPL 3), or from a nested guest (L2, SVM),
 * whose L1 does not intercept CPUID.
 */
#ifndef KES_QUERY_VM_H
#define KES_QUERY_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"

#define QVM_MAX_QUERIES 2048

struct query {
	uint32_t leaf, ecx;
	bool emulated;		/* KVM_FEP before CPUID: KVM's emulator answers */
	uint32_t r[4];		/* EAX, EBX, ECX, EDX */
};

enum qvm_mode {
	QVM_KERNEL,		/* the guest's code runs at CPL 0 */
	QVM_USER,		/* at CPL 3, with IOPL 3 for its port writes */
	QVM_NESTED,		/* in L2 of an SVM guest hypervisor (L1) */
};

struct qvm {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	char stats[96];		/* its exit_stats file */
	char control[112];	/* and exit_stats_control */
};

/*
 * A VM whose guest writes @io times to a port (WL_IO_PORT), then waits for
 * batches.  @mode QVM_NESTED needs SVM (skip the test otherwise).
 */
struct qvm *qvm_create(uint64_t io, enum qvm_mode mode);
void qvm_destroy(struct qvm *q);
/* Runs the @n queries in the guest; their answers are written back to @qs. */
void qvm_query(struct qvm *q, struct query *qs, uint64_t n);

/*
 * Every leaf 0x4ffffff0-0x4fffffff, with ECX 0 and 10, answers in @q's guest
 * as a leaf nobody defines (0x4fffffe0) with the same ECX: what KVM answers
 * without the statistics (for an Intel guest KVM's answer depends on ECX).
 * Asked through KVM's emulator if @emulated.  Says what differs, for @what.
 */
bool qvm_answers_as_kvm(struct qvm *q, bool emulated, const char *what);

#endif /* KES_QUERY_VM_H */
