// SPDX-License-Identifier: GPL-2.0-only
/*
 * exit_stats_test: the per-exit-reason VM-exit statistics that
 * CONFIG_KVM_EXIT_STATS adds to KVM's binary statistics.
 *
 * Two vCPUs run at the same time, each executing its own numbers of CPUIDs,
 * RDMSRs of the APIC base and hypercalls (VMCALL, VMMCALL on AMD) between
 * ucalls: exits that KVM handles without user space.  After every ucall,
 * the vCPU's thread checks its vCPU's stats file: the CPUID, MSR and
 * hypercall counts grew by exactly the guest's numbers, the I/O count by
 * one (the ucall), the count of all reasons as KVM's own "exits";
 * in every entry, no more exits timed than counted and exit-to-entry is
 * the sum of its parts; the histograms hold every exit timed.  Once both
 * are done, every field of the VM's file is the sum of its vCPUs'.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "kvm_util.h"
#include "processor.h"
#include "svm_util.h"
#include "vmx.h"

#define NR_VCPUS	2
#define NR_ROUNDS	8
#define NR_CPUID(i)	(500 * ((i) + 1))
#define NR_RDMSR(i)	(100 * ((i) + 1))
#define NR_HCALL(i)	(50 * ((i) + 1))
#define HC_UNKNOWN	0xffff	/* no such hypercall: KVM answers -KVM_ENOSYS itself */
#define MAX_ENTRIES	256	/* per reason: each of the ISA's slots, and "other" */

/* The per-reason arrays, in the order of the stats file's descriptors. */
enum { COUNT, TIMED, CYCLES, E2E, USER, BLOCKED, PREEMPTED, NR_FIELDS };

static const char * const field_name[NR_FIELDS] = {
	[COUNT]		= "exit_stats_count",
	[TIMED]		= "exit_stats_timed",
	[CYCLES]	= "exit_stats_cycles_total",
	[E2E]		= "exit_stats_e2e_total",
	[USER]		= "exit_stats_user_total",
	[BLOCKED]	= "exit_stats_blocked_total",
	[PREEMPTED]	= "exit_stats_preempted_total",
};

/* A stats file (a VM's or a vCPU's) and its descriptors. */
struct stats_file {
	int fd;
	struct kvm_stats_header header;
	struct kvm_stats_desc *desc;
};

/* One reading of a stats file: the per-reason arrays and the histograms. */
struct reading {
	uint64_t v[NR_FIELDS][MAX_ENTRIES];
	uint64_t hist_e2e, hist_cycles;	/* the sums of the histograms' buckets */
	uint64_t exits;			/* KVM's own counter (vCPU files only) */
};

static uint32_t nr_entries;		/* per reason, from "exit_stats_reason" */
static uint32_t cpuid_entry, io_entry, msr_entry, hcall_entry;

static void stats_open(struct stats_file *f, int fd)
{
	f->fd = fd;
	read_stats_header(fd, &f->header);
	f->desc = read_stats_descriptors(fd, &f->header);
}

static struct kvm_stats_desc *stats_find(struct stats_file *f, const char *name)
{
	struct kvm_stats_desc *d;
	uint32_t i;

	for (i = 0; i < f->header.num_desc; i++) {
		d = get_stats_descriptor(f->desc, i, &f->header);
		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}

static void stats_read(struct stats_file *f, const char *name, uint64_t *data, size_t n)
{
	struct kvm_stats_desc *d = stats_find(f, name);

	TEST_ASSERT(d, "The stats file has no '%s': no exit statistics in KVM's binary stats",
		    name);
	TEST_ASSERT(d->size == n, "'%s' has %u entries, but exit_stats_reason has %lu", name,
		    d->size, n);
	read_stat_data(f->fd, &f->header, d, data, n);
}

static uint64_t hist_sum(struct stats_file *f, const char *name)
{
	struct kvm_stats_desc *d = stats_find(f, name);
	uint64_t buckets[64], sum = 0;
	uint32_t i;

	TEST_ASSERT(d && d->size <= ARRAY_SIZE(buckets), "No histogram '%s' of at most %zu buckets",
		    name, ARRAY_SIZE(buckets));
	read_stat_data(f->fd, &f->header, d, buckets, d->size);
	for (i = 0; i < d->size; i++)
		sum += buckets[i];
	return sum;
}

static void stats_reading(struct stats_file *f, struct reading *r, bool vcpu)
{
	int i;

	for (i = 0; i < NR_FIELDS; i++)
		stats_read(f, field_name[i], r->v[i], nr_entries);
	r->hist_e2e = hist_sum(f, "exit_stats_e2e_hist");
	r->hist_cycles = hist_sum(f, "exit_stats_cycles_hist");
	if (vcpu)
		read_stat_data(f->fd, &f->header, stats_find(f, "exits"), &r->exits, 1);
}

static uint64_t total(const struct reading *r, int field)
{
	uint64_t sum = 0;
	uint32_t e;

	for (e = 0; e < nr_entries; e++)
		sum += r->v[field][e];
	return sum;
}

/* What holds in every reading: per entry, and the histograms. */
static void check_reading(const struct reading *r, const char *what)
{
	uint64_t parts;
	uint32_t e;

	for (e = 0; e < nr_entries; e++) {
		TEST_ASSERT(r->v[TIMED][e] <= r->v[COUNT][e],
			    "%s, entry %u: %lu exits timed of %lu counted", what, e,
			    r->v[TIMED][e], r->v[COUNT][e]);
		parts = r->v[CYCLES][e] + r->v[USER][e] + r->v[BLOCKED][e] + r->v[PREEMPTED][e];
		TEST_ASSERT(r->v[E2E][e] == parts,
			    "%s, entry %u: exit-to-entry is %lu cycles, but its parts (in KVM, user space, blocked, preempted) add up to %lu",
			    what, e, r->v[E2E][e], parts);
	}
	TEST_ASSERT(!r->hist_e2e || r->hist_e2e == total(r, TIMED),
		    "%s: the exit-to-entry histogram holds %lu exits, but %lu were timed", what,
		    r->hist_e2e, total(r, TIMED));
	TEST_ASSERT(r->hist_cycles == r->hist_e2e,
		    "%s: the histograms hold %lu exits (in KVM) and %lu (exit-to-entry)", what,
		    r->hist_cycles, r->hist_e2e);
}

static void guest_code(uint64_t id)
{
	uint32_t eax, ebx, ecx, edx;
	uint64_t round, i;

	for (round = 0; round < NR_ROUNDS; round++) {
		for (i = 0; i < NR_CPUID(id); i++)
			cpuid(0, &eax, &ebx, &ecx, &edx);
		for (i = 0; i < NR_RDMSR(id); i++)
			rdmsr(MSR_IA32_APICBASE);
		for (i = 0; i < NR_HCALL(id); i++)
			kvm_hypercall(HC_UNKNOWN, 0, 0, 0, 0);
		GUEST_SYNC(round);
	}
	GUEST_DONE();
}

/* The count of one entry grew by exactly what the guest did this round. */
static void check_delta(const struct reading *before, const struct reading *after,
			uint32_t entry, uint64_t want, const char *what, const char *kind)
{
	uint64_t got = after->v[COUNT][entry] - before->v[COUNT][entry];

	TEST_ASSERT(got == want, "%s: the guest caused %lu %s exits, but their count grew by %lu",
		    what, want, kind, got);
}

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct reading *before = calloc(1, sizeof(*before));
	struct reading *after = calloc(1, sizeof(*after));
	uint64_t id = vcpu->id, round, delta;
	struct stats_file f;
	struct ucall uc;
	char what[64];

	TEST_ASSERT(before && after, "Out of memory");
	stats_open(&f, vcpu_get_stats_fd(vcpu));
	stats_reading(&f, before, true);
	for (round = 0; round <= NR_ROUNDS; round++) {
		vcpu_run(vcpu);
		TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
		stats_reading(&f, after, true);
		snprintf(what, sizeof(what), "vCPU %u, round %lu", vcpu->id, round);
		check_reading(after, what);
		check_delta(before, after, cpuid_entry, round < NR_ROUNDS ? NR_CPUID(id) : 0,
			    what, "CPUID");
		check_delta(before, after, msr_entry, round < NR_ROUNDS ? NR_RDMSR(id) : 0,
			    what, "RDMSR");
		check_delta(before, after, hcall_entry, round < NR_ROUNDS ? NR_HCALL(id) : 0,
			    what, "hypercall");
		check_delta(before, after, io_entry, 1, what, "port I/O (the ucall)");
		delta = total(after, COUNT) - total(before, COUNT);
		TEST_ASSERT(delta == after->exits - before->exits,
			    "%s: KVM's 'exits' grew by %lu, the exits counted by reason by %lu",
			    what, after->exits - before->exits, delta);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			TEST_ASSERT(round < NR_ROUNDS, "%s: one ucall too many", what);
			break;
		case UCALL_DONE:
			TEST_ASSERT(round == NR_ROUNDS, "%s: the guest is done too soon", what);
			break;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("%s: unexpected ucall %lu", what, uc.cmd);
		}
		memcpy(before, after, sizeof(*before));
	}
	close(f.fd);
	free(f.desc);
	free(before);
	free(after);
	return NULL;
}

/* The entries of the reasons the guest causes, from "exit_stats_reason". */
static void find_entries(struct stats_file *f)
{
	uint32_t cpuid = host_cpu_is_intel ? EXIT_REASON_CPUID : SVM_EXIT_CPUID;
	uint32_t io = host_cpu_is_intel ? EXIT_REASON_IO_INSTRUCTION : SVM_EXIT_IOIO;
	uint32_t msr = host_cpu_is_intel ? EXIT_REASON_MSR_READ : SVM_EXIT_MSR;
	uint32_t hcall = host_cpu_is_intel ? EXIT_REASON_VMCALL : SVM_EXIT_VMMCALL;
	uint64_t reason[MAX_ENTRIES];
	struct kvm_stats_desc *d = stats_find(f, "exit_stats_reason");
	uint32_t e;

	__TEST_REQUIRE(d, "KVM's stats have no exit statistics (CONFIG_KVM_EXIT_STATS)");
	TEST_ASSERT(d->size > 1 && d->size <= ARRAY_SIZE(reason),
		    "exit_stats_reason has %u entries", d->size);
	nr_entries = d->size;
	read_stat_data(f->fd, &f->header, d, reason, nr_entries);
	TEST_ASSERT(reason[nr_entries - 1] == UINT64_MAX,
		    "The last entry, for the reasons without an entry of their own, is %lu, not U64_MAX",
		    reason[nr_entries - 1]);
	cpuid_entry = nr_entries;
	io_entry = nr_entries;
	msr_entry = nr_entries;
	hcall_entry = nr_entries;
	for (e = 0; e < nr_entries - 1; e++) {
		if (reason[e] == cpuid)
			cpuid_entry = e;
		else if (reason[e] == io)
			io_entry = e;
		else if (reason[e] == msr)
			msr_entry = e;
		else if (reason[e] == hcall)
			hcall_entry = e;
	}
	TEST_ASSERT(cpuid_entry < nr_entries && io_entry < nr_entries &&
		    msr_entry < nr_entries && hcall_entry < nr_entries,
		    "exit_stats_reason lacks CPUID (%u), I/O (%u), MSR (%u) or the hypercall (%u)",
		    cpuid, io, msr, hcall);
}

int main(void)
{
	struct reading *vm_r = calloc(1, sizeof(*vm_r));
	struct reading *vcpu_r = calloc(NR_VCPUS, sizeof(*vcpu_r));
	struct kvm_vcpu *vcpus[NR_VCPUS];
	pthread_t threads[NR_VCPUS];
	struct stats_file vm_f, f;
	struct kvm_vm *vm;
	int i, k;
	uint32_t e;

	TEST_REQUIRE(host_cpu_is_intel || host_cpu_is_amd);
	TEST_ASSERT(vm_r && vcpu_r, "Out of memory");
	vm = vm_create_with_vcpus(NR_VCPUS, guest_code, vcpus);
	stats_open(&vm_f, vm_get_stats_fd(vm));
	find_entries(&vm_f);

	for (i = 0; i < NR_VCPUS; i++) {
		vcpu_args_set(vcpus[i], 1, i);
		pthread_create(&threads[i], NULL, vcpu_thread, vcpus[i]);
	}
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(threads[i], NULL);

	stats_reading(&vm_f, vm_r, false);
	check_reading(vm_r, "the VM");
	for (i = 0; i < NR_VCPUS; i++) {
		stats_open(&f, vcpu_get_stats_fd(vcpus[i]));
		stats_reading(&f, &vcpu_r[i], true);
		close(f.fd);
		free(f.desc);
	}
	for (k = 0; k < NR_FIELDS; k++) {
		for (e = 0; e < nr_entries; e++) {
			uint64_t sum = 0;

			for (i = 0; i < NR_VCPUS; i++)
				sum += vcpu_r[i].v[k][e];
			TEST_ASSERT(vm_r->v[k][e] == sum,
				    "The VM's %s[%u] is %lu, its vCPUs' add up to %lu",
				    field_name[k], e, vm_r->v[k][e], sum);
		}
	}
	TEST_ASSERT(vm_r->v[COUNT][cpuid_entry] == NR_ROUNDS * (NR_CPUID(0) + NR_CPUID(1)),
		    "The VM counted %lu CPUIDs, its guests executed %u",
		    vm_r->v[COUNT][cpuid_entry], NR_ROUNDS * (NR_CPUID(0) + NR_CPUID(1)));

	close(vm_f.fd);
	free(vm_f.desc);
	free(vm_r);
	free(vcpu_r);
	kvm_vm_free(vm);
	return 0;
}
