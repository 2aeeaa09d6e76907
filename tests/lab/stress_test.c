// SPDX-License-Identifier: GPL-2.0
/*
 * The stress test of make stress (and, short, of make check): everything
 * the exit statistics do, at once, for a set time, on a debug kernel
 * (KASAN, lockdep, UBSAN, KFENCE, kmemleak), whose log the host scans for
 * any complaint.
 *
 * Phases, each ended by a quiescent point where invariants are checked:
 *  exact  Two threads create and destroy VMs (1-2 vCPUs, exit loops of
 *         CPUID, port I/O, RDMSR, WRMSR, HLT woken by a self-IPI, which on
 *         VMX is handled in KVM's fastpath), some holding their VM's file
 *         open across the VM's destruction; a thread runs opted-in guests
 *         that query every CPUID leaf with random ECX, from ring 0 and ring
 *         3; two threads read the system-wide file and the files of random
 *         VMs, live or being destroyed.  At the end, with no VM running:
 *         the system-wide delta of every reason KVM counts too equals the
 *         sum of KVM's own counters over every VM (exits, io_exits,
 *         halt_exits, read just before each VM went away), CPUID equals
 *         what the workloads and the queries did by their own count, and
 *         every file read parsed (TOTAL consistent, min <= max).
 *  chaos  The same, plus a thread that resets, dumps, switches
 *         kvm.exit_stats off and on, sets kvm.exit_stats_log_every, the
 *         CPUID cap and layout, and opts VMs in and out.  At the end: the
 *         parameters back, and one VM whose exits are exact again.
 *  reload (with KVM as modules, /modules) The vendor module and kvm.ko
 *         unloaded and loaded again between batches, while a reader holds
 *         the system-wide file open: the vendor module goes, kvm.ko stays
 *         while the file is open, reads of the removed file fail cleanly;
 *         after each reload a VM counts exactly.
 *
 * Usage: stress_test SECONDS [exact] [chaos] [reload]
 *        (default: exact chaos)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <asm/kvm_exit_stats_cpuid.h>

#include "kvm_util.h"
#include "processor.h"
#include "lab_test.h"
#include "query_vm.h"

/* What a phase did, by its own count and by KVM's own counters. */
struct tally {
	pthread_mutex_t lock;
	uint64_t vms, vcpus, exits_kvm, io_kvm, halt_kvm, cpuid_own, queries;
	uint64_t reads, reads_gone, held_reads, held_missing, resets, switches, dumps;
};

static struct tally tally = { .lock = PTHREAD_MUTEX_INITIALIZER };
static atomic_bool stop;
static atomic_bool chaos;
static atomic_uint bad;		/* failures seen by the threads */
/* The workload and the query VMs keep their guests' setup in globals. */
static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t rnd(uint64_t n)
{
	return n ? (uint64_t)random() % n : 0;
}

static void fail(const char *fmt, const char *what, long v)
{
	ksft_print_msg(fmt, what, v);
	atomic_fetch_add(&bad, 1);
}

/* A file read: it parses (the parser checks TOTAL and every row), or the VM is gone. */
static void read_one(const char *path, bool may_be_gone)
{
	char err[300];
	struct kes_stats st;
	int r = kes_stats_load(path, &st, err, sizeof(err));

	pthread_mutex_lock(&tally.lock);
	if (!r)
		tally.reads++;
	else if (may_be_gone && (r == -ENOENT || r == -EIO))
		tally.reads_gone++;
	pthread_mutex_unlock(&tally.lock);
	if (!r) {
		if (!check_cycles_sane(&st, path))
			atomic_fetch_add(&bad, 1);
		kes_stats_free(&st);
	} else if (!(may_be_gone && (r == -ENOENT || r == -EIO))) {
		ksft_print_msg("reading %s: %s\n", path, err);
		atomic_fetch_add(&bad, 1);
	}
}

static void *reader(void *arg)
{
	while (!atomic_load(&stop)) {
		struct dirent *e;
		char path[320];
		DIR *d;

		read_one(SYSTEM_STATS, false);
		d = opendir("/sys/kernel/debug/kvm");
		while (d && (e = readdir(d))) {
			if (!strchr(e->d_name, '-') || rnd(3))
				continue;
			snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%s/exit_stats", e->d_name);
			read_one(path, true);
		}
		if (d)
			closedir(d);
	}
	return NULL;
}

/* One more of a tally's counts, from any thread. */
static void tally_bump(uint64_t *count)
{
	pthread_mutex_lock(&tally.lock);
	(*count)++;
	pthread_mutex_unlock(&tally.lock);
}

/*
 * A VM whose @n vCPUs are stopped, added to the tally: KVM's own counters,
 * the CPUIDs its guest made by its own count, of which @queries were
 * queries of the leaves.
 */
static void tally_vcpus(struct kvm_vcpu *const *vcpus, unsigned int n, uint64_t cpuid,
			uint64_t queries)
{
	struct kvm_counts k;

	kvm_counts_load_vcpus(vcpus, n, &k);
	pthread_mutex_lock(&tally.lock);
	tally.vms++;
	tally.vcpus += n;
	tally.exits_kvm += k.v[KVM_EXITS];
	tally.io_kvm += k.v[KVM_IO_EXITS];
	tally.halt_kvm += k.v[KVM_HALT_EXITS];
	tally.cpuid_own += cpuid;
	tally.queries += queries;
	pthread_mutex_unlock(&tally.lock);
}

/*
 * VM lives: each a workload of a random mix.  Over a VM's life its guest
 * executes CPUID n + 1 times per vCPU (the rehearsal's one, lab/workload),
 * none if n = 0: the rehearsal runs once each kind the workload has.
 * Some VMs' files are held open across the destruction and read after it:
 * the file keeps the VM, whose numbers must not change, until it is closed.
 */
static void *churner(void *arg)
{
	while (!atomic_load(&stop)) {
		struct wl_spec spec = { .vcpus = 1 + rnd(2), .pin = false };
		struct kvm_vcpu *vcpus[2];
		struct kes_stats last, held;
		char err[300];
		struct wl_vm *vm;
		int fd = -1;

		spec.n[WL_CPUID] = rnd(3000);
		spec.n[WL_IO] = rnd(500);
		spec.n[WL_RDMSR] = rnd(200);
		spec.n[WL_WRMSR] = rnd(200);
		spec.n[WL_HLT] = rnd(40);
		pthread_mutex_lock(&create_lock);
		vm = wl_create(&spec);
		pthread_mutex_unlock(&create_lock);
		wl_run(vm);
		vcpus[0] = wl_vcpu(vm, 0);
		vcpus[1] = spec.vcpus > 1 ? wl_vcpu(vm, 1) : NULL;
		tally_vcpus(vcpus, spec.vcpus,
			    spec.vcpus * (spec.n[WL_CPUID] + !!spec.n[WL_CPUID]), 0);
		if (!rnd(4) && !atomic_load(&chaos)) {
			fd = open(wl_stats_path(vm), O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				tally_bump(&tally.held_missing);
		}
		if (fd >= 0 && kes_stats_read(fd, "held", &last, err, sizeof(err)))
			fail("%s: %ld\n", "reading a VM's file before its destruction", -1);
		wl_destroy(vm);
		if (fd < 0)
			continue;
		/* The VM's fd is closed: its file, still open, keeps it. */
		lseek(fd, 0, SEEK_SET);
		if (kes_stats_read(fd, "held", &held, err, sizeof(err))) {
			ksft_print_msg("a VM's file held open across its destruction: %s\n", err);
			atomic_fetch_add(&bad, 1);
		} else {
			if (held.total.count != last.total.count)
				fail("%s: %ld exits more\n", "a destroyed VM's file changed",
				     (long)(held.total.count - last.total.count));
			kes_stats_free(&held);
			tally_bump(&tally.held_reads);
		}
		kes_stats_free(&last);
		close(fd);
	}
	return NULL;
}

/*
 * Opted-in guests query every leaf with random ECX, from ring 0 and ring 3
 * (one query VM at a time: they share their guest's batch).  Each query is
 * one CPUID exit, answered by the statistics or, not opted in, by KVM.
 */
static void *querier(void *arg)
{
	static struct query qs[QVM_MAX_QUERIES];

	while (!atomic_load(&stop)) {
		bool user = rnd(2);
		uint64_t n, i, rounds = 1 + rnd(4), done = 0;
		struct qvm *q;
		char cmd[32];

		pthread_mutex_lock(&create_lock);
		q = qvm_create(rnd(50), user ? QVM_USER : QVM_KERNEL);
		pthread_mutex_unlock(&create_lock);
		snprintf(cmd, sizeof(cmd), "cpuid=%s%s", rnd(2) ? "vm" : "system", user ? ",user" : "");
		write_file(q->control, cmd);	/* EPERM beyond the cap: fine */
		for (i = 0; i < rounds && !atomic_load(&stop); i++) {
			uint32_t leaf;

			n = 0;
			for (leaf = KVM_EXIT_STATS_CPUID_FIRST; leaf <= KVM_EXIT_STATS_CPUID_LAST; leaf++) {
				if (leaf == KVM_EXIT_STATS_CPUID_DUMP && !atomic_load(&chaos))
					continue;
				qs[n++] = (struct query){ .leaf = leaf, .ecx = (uint32_t)random() };
				qs[n++] = (struct query){ .leaf = leaf, .ecx = (uint32_t)rnd(300) };
			}
			qvm_query(q, qs, n);
			done += n;
		}
		tally_vcpus(&q->vcpu, 1, done, done);
		qvm_destroy(q);
	}
	return NULL;
}

/* The chaos: every control and parameter, at random, while VMs come and go. */
static void *controller(void *arg)
{
	static const char *const caps[] = { "off", "vm", "system" };
	static const char *const layouts[] = { "a", "b", "c" };

	while (!atomic_load(&stop)) {
		char val[24];

		switch (rnd(8)) {
		case 0:
		case 1:
			write_file(SYSTEM_CONTROL, "reset");
			tally_bump(&tally.resets);
			break;
		case 2:
			write_file(SYSTEM_CONTROL, "dump");
			tally_bump(&tally.dumps);
			break;
		case 3:
			set_param("exit_stats", "0");
			usleep(rnd(20000));
			set_param("exit_stats", "1");
			tally_bump(&tally.switches);
			break;
		case 4:
			snprintf(val, sizeof(val), "%llu", (unsigned long long)(rnd(2) ? 0 : rnd(50000)));
			set_param("exit_stats_log_every", val);
			break;
		case 5:
			set_param("exit_stats_cpuid", caps[rnd(3)]);
			break;
		case 6:
			set_param("exit_stats_cpuid_layout", layouts[rnd(3)]);
			break;
		default:
			set_param("exit_stats_cpuid_dump", rnd(2) ? "1" : "0");
			break;
		}
		usleep(1000 + rnd(20000));
	}
	return NULL;
}

/* Runs the threads of a phase for @seconds. */
static void run_phase(unsigned int seconds, bool with_chaos)
{
	pthread_t t[6];
	int n = 0, i;

	atomic_store(&stop, false);
	atomic_store(&chaos, with_chaos);
	pthread_create(&t[n++], NULL, churner, NULL);
	pthread_create(&t[n++], NULL, churner, NULL);
	pthread_create(&t[n++], NULL, querier, NULL);
	pthread_create(&t[n++], NULL, reader, NULL);
	pthread_create(&t[n++], NULL, reader, NULL);
	if (with_chaos)
		pthread_create(&t[n++], NULL, controller, NULL);
	sleep(seconds);
	atomic_store(&stop, true);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

static void tally_zero(void)
{
	pthread_mutex_lock(&tally.lock);
	tally.vms = tally.vcpus = tally.exits_kvm = tally.io_kvm = tally.halt_kvm = 0;
	tally.cpuid_own = tally.queries = tally.reads = tally.reads_gone = tally.held_reads = 0;
	tally.held_missing = 0;
	tally.resets = tally.switches = tally.dumps = 0;
	pthread_mutex_unlock(&tally.lock);
}

static void tally_print(const char *phase)
{
	ksft_print_msg("%s: %llu VMs (%llu vCPUs) created and destroyed, %llu exits (KVM's count), "
		       "%llu CPUID queries of the leaves; %llu file reads (%llu of VMs gone), "
		       "%llu VM files read after their VM's destruction (%llu VMs without a folder: KVM's "
		       "\"duplicate directory\"); %llu resets, %llu switches, %llu dumps\n",
		       phase, (unsigned long long)tally.vms, (unsigned long long)tally.vcpus,
		       (unsigned long long)tally.exits_kvm, (unsigned long long)tally.queries,
		       (unsigned long long)tally.reads, (unsigned long long)tally.reads_gone,
		       (unsigned long long)tally.held_reads, (unsigned long long)tally.held_missing,
		       (unsigned long long)tally.resets,
		       (unsigned long long)tally.switches, (unsigned long long)tally.dumps);
}

/*
 * Every reason's exits in the phase, when the file's CPUID row and the
 * guests' own count disagree: where the difference went.  (Seen once, one
 * short: a VM whose workload had no CPUID, which the tally used to count
 * one rehearsal CPUID for.)
 */
static void print_deltas(const struct kes_stats *s0, const struct kes_stats *s1, const char *phase)
{
	size_t i;

	ksft_print_msg("%s: the phase's exits by reason (KVM's own: io %llu, halt %llu):\n", phase,
		       (unsigned long long)tally.io_kvm, (unsigned long long)tally.halt_kvm);
	for (i = 0; i < s1->nrows; i++) {
		uint64_t d = stats_delta(s0, s1, s1->rows[i].reason);

		if (d)
			ksft_print_msg("  %#x %s %llu\n", s1->rows[i].reason, s1->rows[i].name,
				       (unsigned long long)d);
	}
}

/* No VM is left and every thread stopped: the system-wide file against the tally. */
static bool check_exact(const struct kes_stats *s0, const struct kes_stats *s1, const char *phase)
{
	bool vmx = lab_isa() == KES_ISA_VMX;
	bool ok = true;

	ok &= check_u64(s1->total.count - s0->total.count, tally.exits_kvm,
			"%s: system-wide TOTAL, against the sum of KVM's own exits of every VM", phase);
	ok &= check_u64(stats_delta(s0, s1, lab_reason(vmx ? "IO_INSTRUCTION" : "io")), tally.io_kvm,
			"%s: system-wide port I/O exits, against KVM's own io_exits", phase);
	ok &= check_u64(stats_delta(s0, s1, lab_reason(vmx ? "HLT" : "hlt")), tally.halt_kvm,
			"%s: system-wide HLT exits, against KVM's own halt_exits", phase);
	if (!check_u64(stats_delta(s0, s1, lab_reason(vmx ? "CPUID" : "cpuid")), tally.cpuid_own,
		       "%s: system-wide CPUID exits, against what the guests did by their own count",
		       phase)) {
		print_deltas(s0, s1, phase);
		ok = false;
	}
	ok &= check_cycles_sane(s1, phase);
	return ok;
}

/* One VM, exact in every scope, as the lab's exit_count test checks. */
static bool exact_vm(const char *what)
{
	struct wl_spec spec = { .vcpus = 2 };
	struct kes_stats s0, s1, v0, v1;
	struct kvm_counts k0, k1;
	struct tp_counts tp;
	struct wl_vm *vm;
	bool ok = true;

	spec.n[WL_CPUID] = 1000;
	spec.n[WL_IO] = 300;
	spec.n[WL_HLT] = 20;
	vm = wl_create(&spec);
	stats_load(SYSTEM_STATS, &s0);
	stats_load_vm(vm, &v0);
	kvm_counts_load_vm(vm, &k0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s1);
	stats_load_vm(vm, &v1);
	kvm_counts_load_vm(vm, &k1);
	ok &= check_workload_faults(&s0, &s1, vm, &tp, what);
	ok &= check_workload_faults(&v0, &v1, vm, &tp, what);
	ok &= check_matches_tracepoint(&v0, &v1, &tp, what);
	ok &= check_kvm_counts(&v0, &v1, &k0, &k1, what);
	wl_destroy(vm);
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	kes_stats_free(&v0);
	kes_stats_free(&v1);
	return ok;
}

static bool phase_exact(unsigned int seconds)
{
	struct kes_stats s0, s1;
	bool ok;

	tally_zero();
	atomic_store(&bad, 0);
	set_param("exit_stats_cpuid", "system");
	stats_load(SYSTEM_STATS, &s0);
	run_phase(seconds, false);
	stats_load(SYSTEM_STATS, &s1);
	tally_print("exact");
	ok = check_exact(&s0, &s1, "exact");
	ok &= check_u64(atomic_load(&bad), 0, "exact: failures the threads saw");
	ok &= check(tally.vms > 0, "exact: no VM lived");
	set_param("exit_stats_cpuid", "off");
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	return ok;
}

static bool phase_chaos(unsigned int seconds)
{
	bool ok;

	tally_zero();
	atomic_store(&bad, 0);
	run_phase(seconds, true);
	tally_print("chaos");
	set_param("exit_stats", "1");
	set_param("exit_stats_log_every", "0");
	set_param("exit_stats_cpuid", "off");
	set_param("exit_stats_cpuid_layout", "c");
	set_param("exit_stats_cpuid_dump", "0");
	ok = check_u64(atomic_load(&bad), 0, "chaos: failures the threads saw");
	ok &= check(tally.vms > 0 && tally.resets > 0, "chaos: %llu VMs, %llu resets",
		    (unsigned long long)tally.vms, (unsigned long long)tally.resets);
	ok &= exact_vm("after the chaos");
	return ok;
}

/* Runs a shell command of L1 (kvm-modules); its status. */
static int sh(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Modules out and in while a reader holds the system-wide file open: the
 * vendor module goes (its files with it: a read of the open file fails
 * cleanly), kvm.ko, which the open file holds, does not; closed, it does.
 */
static bool phase_reload(unsigned int rounds)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < rounds && ok; i++) {
		char buf[256];
		int fd = open(SYSTEM_STATS, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		ok &= check(fd >= 0, "round %u: cannot open %s", i, SYSTEM_STATS);
		ok &= exact_vm("before a reload");
		ok &= check(!sh("rmmod kvm_amd 2>/dev/null || rmmod kvm_intel"),
			    "round %u: the vendor module would not unload with the file open", i);
		n = read(fd, buf, sizeof(buf));
		ok &= check(n < 0 && (errno == EIO || errno == ENOENT),
			    "round %u: reading the open file of an unloaded module: %zd (%s)", i, n,
			    n < 0 ? strerror(errno) : "data");
		ok &= check(sh("rmmod kvm 2>/dev/null") != 0,
			    "round %u: kvm.ko unloaded while its file was open", i);
		close(fd);
		ok &= check(!sh("kvm-modules unload 2>/dev/null; kvm-modules load"),
			    "round %u: the modules did not load again", i);
		ok &= exact_vm("after a reload");
	}
	ksft_print_msg("reload: %u rounds of unloading and loading kvm and the vendor module\n", i);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned int seconds = argc > 1 ? strtoul(argv[1], NULL, 0) : 60;
	bool exact = false, chaos_on = false, reload = false;
	int i;

	for (i = 2; i < argc; i++) {
		exact |= !strcmp(argv[i], "exact");
		chaos_on |= !strcmp(argv[i], "chaos");
		reload |= !strcmp(argv[i], "reload");
	}
	if (argc <= 2)
		exact = chaos_on = true;
	srandom(time(NULL));
	ksft_print_header();
	ksft_set_plan(exact + chaos_on + reload);
	if (exact)
		ksft_test_result(phase_exact(chaos_on ? seconds / 2 : seconds),
				 "exact: VMs churned, read and queried; every exit accounted for\n");
	if (chaos_on)
		ksft_test_result(phase_chaos(exact ? seconds - seconds / 2 : seconds),
				 "chaos: resets, dumps, switches and parameters at random; exact after\n");
	if (reload)
		ksft_test_result(phase_reload(3), "reload: the modules out and in with a file open\n");
	ksft_finished();
}
