// SPDX-License-Identifier: GPL-2.0
/*
 * Resets while readers read and vCPUs run: every read sees each vCPU either
 * entirely before or entirely after a reset, never half of each.  Each
 * vCPU loops { UD2; RDMSR }: its #UD exit (VMX basic reason 0, SVM code
 * 0x46) comes before its RDMSR exit, so the #UD count is at most one above
 * the RDMSR count at any moment, and a read, which takes the rows in
 * increasing reason order, sees the #UD row no later than the MSR row: at
 * most one above it per vCPU however long the read takes.  A read that took
 * a vCPU's #UD row from before a reset and its MSR row from after it shows
 * the #UD count far above.  (The two rows are far apart in the file, so that
 * a reset has many chances to fall between them.)
 *
 * Usage: reset_race_test [RESETS]   (default 2000)
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "lab_test.h"

#define VCPUS	4

static volatile uint64_t guest_stop;

static void guest_ud_handler(struct ex_regs *regs)
{
	regs->rip += 2;		/* past the UD2 */
}

static void guest_code(void)
{
	while (!guest_stop) {
		asm volatile("ud2");
		rdmsr(MSR_IA32_APICBASE);
	}
	GUEST_DONE();
}

struct race {
	struct kvm_vcpu *vcpu[VCPUS];
	const char *path;
	atomic_bool done;
	uint64_t reads, mixed;
	int64_t max_gap;
	uint32_t ud, msr;
};

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct ucall uc;

	vcpu_run(vcpu);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "guest did not finish: %s",
		    exit_reason_str(vcpu->run->exit_reason));
	return NULL;
}

static void *reader_thread(void *arg)
{
	struct race *r = arg;

	while (!atomic_load(&r->done)) {
		struct kes_stats st;
		int64_t gap;

		stats_load(r->path, &st);
		gap = (int64_t)kes_stats_count(&st, r->ud) - (int64_t)kes_stats_count(&st, r->msr);
		if (gap > r->max_gap)
			r->max_gap = gap;
		r->mixed += gap > VCPUS;
		r->reads++;
		kes_stats_free(&st);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long resets = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000, i;
	pthread_t vt[VCPUS], rt;
	struct race r = { 0 };
	struct kvm_vm *vm;
	char path[96];
	int v;

	ksft_print_header();
	ksft_set_plan(1);
	vm = vm_create_with_vcpus(VCPUS, guest_code, r.vcpu);
	vm_install_exception_handler(vm, UD_VECTOR, guest_ud_handler);
	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/exit_stats", getpid(), vm->fd);
	r.path = path;
	r.ud = lab_reason(lab_isa() == KES_ISA_VMX ? "EXCEPTION_NMI" : "UD_excp");
	r.msr = lab_reason(lab_isa() == KES_ISA_VMX ? "MSR_READ" : "msr");
	for (v = 0; v < VCPUS; v++)
		pthread_create(&vt[v], NULL, vcpu_thread, r.vcpu[v]);
	pthread_create(&rt, NULL, reader_thread, &r);
	for (i = 0; i < resets; i++) {
		TEST_ASSERT(!write_file(SYSTEM_CONTROL, "reset"), "cannot reset");
		usleep(500);
	}
	*(volatile uint64_t *)addr_gva2hva(vm, (vm_vaddr_t)&guest_stop) = 1;
	for (v = 0; v < VCPUS; v++)
		pthread_join(vt[v], NULL);
	atomic_store(&r.done, true);
	pthread_join(rt, NULL);
	ksft_print_msg("%lu resets, %llu reads of the VM's file while %d vCPUs ran; the #UD count at most %lld above the MSR count\n",
		       resets, (unsigned long long)r.reads, VCPUS, (long long)r.max_gap);
	ksft_test_result(check(r.reads >= 100, "only %llu reads", (unsigned long long)r.reads) &&
			 check_u64(r.mixed, 0, "reads that mixed a vCPU before and after a reset"),
			 "%lu resets while a reader read and %d vCPUs ran: no read mixed before and after\n",
			 resets, VCPUS);
	kvm_vm_free(vm);
	ksft_finished();
}
