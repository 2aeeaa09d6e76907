// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-hammer: for make bench, what a guest that hammers the statistics'
 * CPUID leaves costs everybody else.  One VM's vCPU executes CPUID in a
 * tight loop (pinned to the last CPU) while this thread (on the first CPU)
 * creates and destroys VMs, each with one vCPU, as fast as it can; then it
 * prints the rate of the VMs' lives and the hammer's rate of queries.
 *
 *   kvm-hammer none|cpuid|totals [SECONDS]
 *     none    no hammer: the create/destroy rate alone
 *     cpuid   the hammer asks CPUID leaf 0: ordinary CPUID exits
 *     totals  the hammer asks the system-wide totals (leaf 0x4ffffff4), its
 *             VM opted in for system scope
 *
 *   kvm-hammer dump N
 *     N VMs, one after the other, each times one plain CPUID and then one
 *     query of the dump leaf (which has the host print its statistics),
 *     from the guest's side: how long a dump keeps the vCPU from its guest.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <asm/kvm_exit_stats_cpuid.h>

#include "kvm_util.h"
#include "processor.h"
#include "workload.h"

static volatile uint64_t guest_stop;
static uint64_t guest_leaf, guest_queries;
static uint64_t guest_plain_tsc, guest_dump_tsc, guest_dump_eax;

static void hammer_code(void)
{
	uint32_t a, b, c, d;

	while (!guest_stop) {
		__cpuid(guest_leaf, 0, &a, &b, &c, &d);
		guest_queries++;
	}
	GUEST_DONE();
}

static void dump_code(void)
{
	uint32_t a, b, c, d;
	uint64_t t0;

	__cpuid(0, 0, &a, &b, &c, &d);	/* the first is slower: warm up */
	t0 = rdtsc();
	__cpuid(0, 0, &a, &b, &c, &d);
	guest_plain_tsc = rdtsc() - t0;
	t0 = rdtsc();
	__cpuid(KVM_EXIT_STATS_CPUID_DUMP, 0, &a, &b, &c, &d);
	guest_dump_tsc = rdtsc() - t0;
	guest_dump_eax = a;
	GUEST_DONE();
}

static void idle_code(void)
{
	GUEST_DONE();
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *hammer_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct ucall uc;

	pin(sysconf(_SC_NPROCESSORS_ONLN) - 1);
	vcpu_run(vcpu);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "the hammer stopped: %s",
		    exit_reason_str(vcpu->run->exit_reason));
	return NULL;
}

static int churn(const char *mode, double seconds)
{
	struct kvm_vcpu *vcpu = NULL;
	struct kvm_vm *hammer = NULL;
	unsigned long lives = 0;
	pthread_t t;
	double t0, t1;

	if (strcmp(mode, "none")) {
		hammer = vm_create_with_one_vcpu(&vcpu, hammer_code);
		guest_leaf = strcmp(mode, "totals") ? 0 : KVM_EXIT_STATS_CPUID_TOTAL_COUNT;
		sync_global_to_guest(hammer, guest_leaf);
		if (guest_leaf)
			TEST_ASSERT(!wl_guest_access(hammer->fd, KVM_EXIT_STATS_SCOPE_SYSTEM, false),
				    "cannot opt the hammer's VM in: kvm.exit_stats_cpuid=system?");
		pthread_create(&t, NULL, hammer_thread, vcpu);
		usleep(100 * 1000);
	}
	pin(0);
	t0 = now();
	do {
		struct kvm_vcpu *v;
		struct kvm_vm *vm = vm_create_with_one_vcpu(&v, idle_code);

		kvm_vm_free(vm);
		lives++;
	} while ((t1 = now()) - t0 < seconds);
	if (hammer) {
		*(volatile uint64_t *)addr_gva2hva(hammer, (vm_vaddr_t)&guest_stop) = 1;
		pthread_join(t, NULL);
		sync_global_from_guest(hammer, guest_queries);
	}
	printf("kvm-hammer: mode=%s vm_lives_per_s=%.1f hammer_queries_per_s=%.0f\n", mode,
	       lives / (t1 - t0), hammer ? guest_queries / (t1 - t0) : 0.0);
	if (hammer)
		kvm_vm_free(hammer);
	return 0;
}

static int dump_cost(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct kvm_vcpu *vcpu;
		struct kvm_vm *vm = vm_create_with_one_vcpu(&vcpu, dump_code);
		struct ucall uc;

		TEST_ASSERT(!wl_guest_access(vm->fd, KVM_EXIT_STATS_SCOPE_VM, false),
			    "cannot opt the VM in: kvm.exit_stats_cpuid=vm?");
		vcpu_run(vcpu);
		TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_DONE, "guest stopped: %s",
			    exit_reason_str(vcpu->run->exit_reason));
		sync_global_from_guest(vm, guest_plain_tsc);
		sync_global_from_guest(vm, guest_dump_tsc);
		sync_global_from_guest(vm, guest_dump_eax);
		TEST_ASSERT(guest_dump_eax == 1, "the host did not take the dump: kvm.exit_stats_cpuid_dump=1?");
		printf("kvm-hammer: dump=%u plain_cpuid_tsc=%llu dump_cpuid_tsc=%llu\n", i,
		       (unsigned long long)guest_plain_tsc, (unsigned long long)guest_dump_tsc);
		kvm_vm_free(vm);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "dump"))
		return dump_cost(argc > 2 ? atoi(argv[2]) : 5);
	if (argc < 2 || (strcmp(argv[1], "none") && strcmp(argv[1], "cpuid") &&
			 strcmp(argv[1], "totals"))) {
		fprintf(stderr, "usage: kvm-hammer none|cpuid|totals [SECONDS] | dump [N]\n");
		return 2;
	}
	return churn(argv[1], argc > 2 ? atof(argv[2]) : 5);
}
