// SPDX-License-Identifier: GPL-2.0
/*
 * Resets while readers read and vCPUs run: every read sees each vCPU either
 * entirely before or entirely after a reset, never half of each.  Each
 * vCPU loops { CPUID; RDMSR }: its CPUID exit (VMX basic reason 10, SVM
 * code 0x72) comes before its RDMSR exit (31, 0x7c), so the CPUID count is
 * at most one above the RDMSR count at any moment, and a read, which takes
 * the rows in increasing reason order, sees the CPUID row no later than the
 * MSR row: at most one above it per vCPU however long the read takes.  A
 * read that took a vCPU's CPUID row from before a reset and its MSR row
 * from after it shows the CPUID count far above.  And every row read is
 * whole: its exits timed, cycles, minimum and maximum are those of the
 * same exits (min <= average <= max), which a read racing a vCPU that times
 * an exit right after a reset (its rows hold one or two exits then) breaks
 * unless the vCPU times each exit (and zeroes its rows for a reset) inside
 * its seqcount.  Without the per-vCPU seqcount
 * (tests/mutants/no-seqcount.patch) such reads happen: in 2 of 2 runs of
 * 20,000 resets, 1 of 2 runs of 2,000.
 *
 * (It used UD2 and #UD exits, whose row is further from the MSR row; but
 * under QEMU 7.2's multi-threaded TCG, a nested guest whose #UD KVM injects
 * back went astray: triple faults and endless loops, with or without
 * resets.  CPUID and RDMSR need no injection.)
 *
 * Usage: reset_race_test [RESETS]   (default 2000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "lab_test.h"

/*
 * One vCPU per L1 CPU, pinned: with 4 vCPUs moving between 2 L1 CPUs,
 * nested guests under QEMU 7.2 went astray (triple faults, endless loops),
 * with or without resets, in single- and multi-threaded TCG alike
 * (docs/lab.md, "Traps found").
 */
#define VCPUS	2

static volatile uint64_t guest_stop;

static void guest_code(void)
{
	uint32_t eax, ebx, ecx, edx;

	while (!guest_stop) {
		__cpuid(0, 0, &eax, &ebx, &ecx, &edx);
		rdmsr(MSR_IA32_APICBASE);
	}
	GUEST_DONE();
}

struct race {
	struct kvm_vcpu *vcpu[VCPUS];
	const char *path;
	atomic_bool done;
	uint64_t reads, mixed, torn;
	char first_torn[160];
	int64_t max_gap;
	uint32_t cpuid, msr;
	atomic_int shutdowns;
};

static struct race *race;

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct ucall uc;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(vcpu->id % sysconf(_SC_NPROCESSORS_ONLN), &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set), "cannot pin vCPU %u", vcpu->id);
	vcpu_run(vcpu);
	if (vcpu->run->exit_reason == KVM_EXIT_SHUTDOWN) {
		atomic_fetch_add(&race->shutdowns, 1);
		return NULL;
	}
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "guest did not finish: %s",
		    exit_reason_str(vcpu->run->exit_reason));
	return NULL;
}

/* Rows whose exits timed, cycles, minimum and maximum are not of the same exits. */
static void torn_rows(struct race *r, const struct kes_stats *st)
{
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		const struct kes_stat *s = &st->rows[i].s;

		if (!s->timed || (s->min <= s->cycles / s->timed && s->cycles / s->timed <= s->max))
			continue;
		if (!r->torn++)
			snprintf(r->first_torn, sizeof(r->first_torn),
				 "%s: %llu exits timed, %llu cycles, min %llu, max %llu", st->rows[i].name,
				 (unsigned long long)s->timed, (unsigned long long)s->cycles,
				 (unsigned long long)s->min, (unsigned long long)s->max);
	}
}

static void *reader_thread(void *arg)
{
	struct race *r = arg;

	while (!atomic_load(&r->done)) {
		struct kes_stats st;
		int64_t gap;

		stats_load(r->path, &st);
		gap = (int64_t)kes_stats_count(&st, r->cpuid) - (int64_t)kes_stats_count(&st, r->msr);
		if (gap > r->max_gap)
			r->max_gap = gap;
		r->mixed += gap > VCPUS;
		torn_rows(r, &st);
		r->reads++;
		kes_stats_free(&st);
	}
	return NULL;
}

/*
 * The kvm_exit events of guest shutdowns (a filter keeps only those): what
 * was being delivered when the guest shut down (exit_int_info).
 */
#define EXIT_EVENT	"/sys/kernel/tracing/events/kvm/kvm_exit"

static void shutdowns_traced(bool on)
{
	char filter[48];

	snprintf(filter, sizeof(filter), "exit_reason == %u",
		 lab_isa() == KES_ISA_VMX ? 2 : 0x7f);	/* TRIPLE_FAULT, shutdown */
	if (on) {
		write_file("/sys/kernel/tracing/trace", "");
		write_file(EXIT_EVENT "/filter", filter);
	}
	write_file(EXIT_EVENT "/enable", on ? "1" : "0");
	if (!on)
		write_file(EXIT_EVENT "/filter", "0");
}

/* One round: a VM, its vCPUs, the reader and the resets; false if a guest shut down. */
static bool round_of(struct race *r, unsigned long resets)
{
	pthread_t vt[VCPUS], rt;
	struct kvm_vm *vm;
	char path[96];
	unsigned long i;
	int v;

	memset(r, 0, sizeof(*r));
	vm = vm_create_with_vcpus(VCPUS, guest_code, r->vcpu);
	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/exit_stats", getpid(), vm->fd);
	r->path = path;
	r->cpuid = lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid");
	r->msr = lab_reason(lab_isa() == KES_ISA_VMX ? "MSR_READ" : "msr");
	shutdowns_traced(true);
	for (v = 0; v < VCPUS; v++)
		pthread_create(&vt[v], NULL, vcpu_thread, r->vcpu[v]);
	pthread_create(&rt, NULL, reader_thread, r);
	for (i = 0; i < resets && !atomic_load(&r->shutdowns); i++) {
		TEST_ASSERT(!write_file(SYSTEM_CONTROL, "reset"), "cannot reset");
		usleep(500);
	}
	*(volatile uint64_t *)addr_gva2hva(vm, (vm_vaddr_t)&guest_stop) = 1;
	for (v = 0; v < VCPUS; v++)
		pthread_join(vt[v], NULL);
	atomic_store(&r->done, true);
	pthread_join(rt, NULL);
	shutdowns_traced(false);
	kvm_vm_free(vm);
	return !atomic_load(&r->shutdowns);
}

/*
 * A guest that does nothing but CPUID and RDMSR cannot shut down by itself:
 * QEMU 7.2 (TCG, nested SVM) was seen corrupting a nested guest while the
 * L1 CPU running it also ran other threads (the reader, the resets), in
 * single- and multi-threaded TCG alike: a reserved-bit page fault on an
 * instruction fetch the guest had just made (error code 0x18), or a RIP
 * in L1's kernel; the guest then shut down (docs/lab.md, "Traps found").
 * Such a round is run again, at most twice, each time with a RETRY line
 * that gives the evidence: the kvm_exit event of the shutdown.
 */
#define ROUNDS	3

int main(int argc, char **argv)
{
	unsigned long resets = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000;
	struct race r;
	unsigned int round;
	bool whole = false;

	ksft_print_header();
	ksft_set_plan(1);
	race = &r;
	for (round = 1; round <= ROUNDS && !whole; round++) {
		FILE *t;
		char line[512];

		whole = round_of(&r, resets);
		if (whole)
			break;
		t = fopen("/sys/kernel/tracing/trace", "re");
		while (t && fgets(line, sizeof(line), t))
			if (line[0] != '#' && strstr(line, "kvm_exit"))
				ksft_print_msg("RETRY: reset_race: round %u: a guest shut down (emulator fault): %s",
					       round, strstr(line, "kvm_exit"));
		if (t)
			fclose(t);
	}
	TEST_ASSERT(whole, "a guest that only executes CPUID and RDMSR shut down in %u rounds", ROUNDS);
	ksft_print_msg("%lu resets, %llu reads of the VM's file while %d vCPUs ran; the CPUID count at most %lld above the MSR count\n",
		       resets, (unsigned long long)r.reads, VCPUS, (long long)r.max_gap);
	if (r.torn)
		ksft_print_msg("the first row torn: %s\n", r.first_torn);
	ksft_test_result(check(r.reads >= 100, "only %llu reads", (unsigned long long)r.reads) &&
			 check_u64(r.mixed, 0, "reads that mixed a vCPU before and after a reset") &&
			 check_u64(r.torn, 0, "rows torn (min <= average <= max does not hold)"),
			 "%lu resets while a reader read and %d vCPUs ran: no read mixed before and after\n",
			 resets, VCPUS);
	ksft_finished();
}
