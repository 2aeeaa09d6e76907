// SPDX-License-Identifier: GPL-2.0
/* A VM that executes batches of CPUID queries (query_vm.h). */
#include "query_vm.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "processor.h"
#include "svm_util.h"
#include "lab_test.h"

#define USER_CS		0x23	/* GDT entry 4, RPL 3 */
#define USER_DS		0x2b	/* GDT entry 5, RPL 3 */
#define IOPL_3		(3u << 12)

/* The guest's view of the current batch, and its setup (sync_global_to_guest). */
static struct query guest_q[QVM_MAX_QUERIES];
static uint64_t guest_nq;
static uint64_t guest_io;
static uint64_t l2_stack[512];

/* Port writes first, then one batch of queries per GUEST_SYNC, forever. */
static void batch_loop(void)
{
	uint64_t i;

	GUEST_SYNC2(WL_READY, 0);
	for (i = 0; i < guest_io; i++)
		asm volatile("outb %%al, %%dx" : : "a"(0), "d"(WL_IO_PORT));
	for (;;) {
		GUEST_SYNC2(WL_READY, 1);
		for (i = 0; i < guest_nq; i++) {
			struct query *q = &guest_q[i];

			if (q->emulated)
				asm volatile(KVM_FEP "cpuid"
					     : "=a"(q->r[0]), "=b"(q->r[1]), "=c"(q->r[2]), "=d"(q->r[3])
					     : "a"(q->leaf), "c"(q->ecx));
			else
				__cpuid(q->leaf, q->ecx, &q->r[0], &q->r[1], &q->r[2], &q->r[3]);
		}
	}
}

/*
 * L1, a guest hypervisor: runs the batch loop as its own guest (L2), which
 * talks to the host directly (L1 intercepts neither CPUID nor port I/O).
 */
static void l1_code(struct svm_test_data *svm)
{
	generic_svm_setup(svm, batch_loop, &l2_stack[ARRAY_SIZE(l2_stack)]);
	run_guest(svm->vmcb, svm->vmcb_gpa);
	GUEST_FAIL("L2 exited to L1: exit code %#lx", (unsigned long)svm->vmcb->control.exit_code);
}

/* Every page table entry, at every level, lets CPL 3 through. */
static void pt_make_user(struct kvm_vm *vm, uint64_t table_gpa, int level)
{
	uint64_t *pte = addr_gpa2hva(vm, table_gpa);
	int i;

	for (i = 0; i < 512; i++) {
		if (!(pte[i] & PTE_PRESENT_MASK))
			continue;
		pte[i] |= PTE_USER_MASK;
		if (level > 1 && !(pte[i] & PTE_LARGE_MASK))
			pt_make_user(vm, PTE_GET_PA(pte[i]), level - 1);
	}
}

/* The vCPU starts at CPL 3: user code and data segments, IOPL 3. */
static void make_user(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	uint64_t *gdt = addr_gva2hva(vm, vm->arch.gdt);
	struct kvm_segment cs = {
		.limit = 0xffffffff, .selector = USER_CS, .type = 0xb, .present = 1,
		.dpl = 3, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment ds = {
		.limit = 0xffffffff, .selector = USER_DS, .type = 0x3, .present = 1,
		.dpl = 3, .s = 1, .db = 1, .g = 1,
	};
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	gdt[USER_CS >> 3] = 0x00affb000000ffffULL;	/* 64-bit code, DPL 3 */
	gdt[USER_DS >> 3] = 0x00cff3000000ffffULL;	/* data, DPL 3 */
	pt_make_user(vm, vm->pgd, 4);
	vcpu_sregs_get(vcpu, &sregs);
	sregs.cs = cs;
	sregs.ss = ds;
	sregs.ds = ds;
	sregs.es = ds;
	vcpu_sregs_set(vcpu, &sregs);
	vcpu_regs_get(vcpu, &regs);
	regs.rflags |= IOPL_3;
	vcpu_regs_set(vcpu, &regs);
}

/* Runs the vCPU to its next GUEST_SYNC, letting its port writes through. */
static void run_to_sync(struct qvm *q)
{
	struct ucall uc;

	for (;;) {
		vcpu_run(q->vcpu);
		if (q->vcpu->run->exit_reason == KVM_EXIT_IO &&
		    q->vcpu->run->io.port == WL_IO_PORT)
			continue;
		switch (get_ucall(q->vcpu, &uc)) {
		case UCALL_SYNC:
			return;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("unexpected exit %s", exit_reason_str(q->vcpu->run->exit_reason));
		}
	}
}

struct qvm *qvm_create(uint64_t io, enum qvm_mode mode)
{
	struct qvm *q = calloc(1, sizeof(*q));
	vm_vaddr_t svm_gva;

	TEST_ASSERT(q, "out of memory");
	q->vm = vm_create_with_one_vcpu(&q->vcpu, mode == QVM_NESTED ? (void *)l1_code : batch_loop);
	if (mode == QVM_NESTED) {
		TEST_ASSERT(kvm_cpu_has(X86_FEATURE_SVM), "a nested guest needs SVM here");
		vcpu_alloc_svm(q->vm, &svm_gva);
		vcpu_args_set(q->vcpu, 1, svm_gva);
	} else if (mode == QVM_USER) {
		make_user(q->vm, q->vcpu);
	}
	guest_io = io;
	sync_global_to_guest(q->vm, guest_io);
	snprintf(q->stats, sizeof(q->stats), "/sys/kernel/debug/kvm/%d-%d/exit_stats",
		 gettid(), q->vm->fd);	/* the creating thread's: wl_debugfs_dir_of() */
	snprintf(q->control, sizeof(q->control), "%s_control", q->stats);
	run_to_sync(q);		/* WL_READY */
	run_to_sync(q);		/* the port writes done */
	return q;
}

void qvm_destroy(struct qvm *q)
{
	kvm_vm_free(q->vm);
	free(q);
}

void qvm_query(struct qvm *q, struct query *qs, uint64_t n)
{
	TEST_ASSERT(n <= QVM_MAX_QUERIES, "too many queries");
	memcpy(guest_q, qs, n * sizeof(*qs));
	guest_nq = n;
	sync_global_to_guest(q->vm, guest_q);
	sync_global_to_guest(q->vm, guest_nq);
	run_to_sync(q);		/* the batch done */
	sync_global_from_guest(q->vm, guest_q);
	memcpy(qs, guest_q, n * sizeof(*qs));
}

bool qvm_answers_as_kvm(struct qvm *q, bool emulated, const char *what)
{
	static const uint32_t ecxs[] = { 0, 10 };
	static struct query qs[2 + 16 * 2];
	uint32_t leaf;
	uint64_t i, n = 0;
	bool ok = true;
	size_t e;

	for (e = 0; e < 2; e++)
		qs[n++] = (struct query){ .leaf = 0x4fffffe0, .ecx = ecxs[e], .emulated = emulated };
	for (leaf = 0x4ffffff0; leaf <= 0x4fffffff && leaf >= 0x4ffffff0; leaf++)
		for (e = 0; e < 2; e++)
			qs[n++] = (struct query){ .leaf = leaf, .ecx = ecxs[e], .emulated = emulated };
	qvm_query(q, qs, n);
	for (i = 2; i < n; i++) {
		const struct query *own = &qs[qs[i].ecx == ecxs[0] ? 0 : 1];

		ok &= check(!memcmp(qs[i].r, own->r, 16),
			    "%s: leaf %#x ecx %u answered %08x %08x %08x %08x, KVM's own is %08x %08x %08x %08x",
			    what, qs[i].leaf, qs[i].ecx, qs[i].r[0], qs[i].r[1], qs[i].r[2], qs[i].r[3],
			    own->r[0], own->r[1], own->r[2], own->r[3]);
	}
	return ok;
}
