// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's binary statistics (KVM_GET_STATS_FD) carry the exit statistics
 * (docs/interfaces.md, "Binary statistics"), against the debugfs files of
 * the same VM and vCPUs, read while no vCPU runs:
 *   1. each vCPU's stats file describes them with KVM's types, and maps each
 *      entry to a reason number: every reason of the vCPU's file once;
 *   2. each vCPU's equal its debugfs file, reason by reason and field by
 *      field, and their counts add up to KVM's own "exits" of the same file;
 *   3. the VM's stats file equals the VM's debugfs file;
 *   4. the histograms (tier "hist") equal the debugfs histograms of the
 *      vCPU, all reasons added up, and hold every exit timed;
 *   5. a process without privileges, that cannot open debugfs, reads the
 *      same through a stats file descriptor it was handed.
 *
 * Usage: binary_stats_test [N]   (N CPUIDs per vCPU, default 1000)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "histfile.h"
#include "kvm_util.h"
#include "lab_test.h"
#include "stats_fd.h"

#define VCPUS	2

static void vcpu_file(const struct wl_vm *vm, unsigned int i, const char *name, char *path,
		      size_t n)
{
	snprintf(path, n, "%s/vcpu%u/%s", wl_debugfs_dir(vm), i, name);
}

/* 1. Every reason of the vCPU's file has one entry, every entry a reason. */
static bool check_reasons(const struct bin_stats *b, const struct kes_stats *st)
{
	bool ok = check_u64(b->n, lab_isa() == KES_ISA_VMX ? 96 + 1 : 200 + 1,
			    "entries per reason: the ISA's slots and \"other\"");
	uint32_t i, j;
	size_t r;

	for (r = 0; r < st->nrows; r++)
		if (strcmp(st->rows[r].name, "UNKNOWN"))
			ok &= check(bin_stats_index(b, st->rows[r].reason) >= 0,
				    "%s (%u) has no entry", st->rows[r].name, st->rows[r].reason);
	for (i = 0; i < b->n; i++)
		for (j = i + 1; j < b->n; j++)
			ok &= check(b->v[BIN_REASON][i] != b->v[BIN_REASON][j],
				    "entries %u and %u are both reason %llu", i, j,
				    (unsigned long long)b->v[BIN_REASON][i]);
	return ok;
}

/* 4. The histograms: the file's, all reasons added up, and every exit timed. */
static bool check_hists(const struct bin_stats *b, const struct kes_hists *h,
			const struct kes_stats *st, const char *what)
{
	uint64_t sum[KES_HIST_KINDS][KES_HIST_BUCKETS] = { { 0 } };
	const enum bin_field field[KES_HIST_KINDS] = {
		[KES_HIST_E2E] = BIN_E2E_HIST, [KES_HIST_KVM] = BIN_CYCLES_HIST };
	bool ok = true;
	size_t r;
	int k, j;

	for (r = 0; r < h->nrows; r++)
		for (k = 0; k < KES_HIST_KINDS; k++)
			for (j = 0; j < KES_HIST_BUCKETS; j++)
				sum[k][j] += h->rows[r].b[k][j];
	for (k = 0; k < KES_HIST_KINDS; k++) {
		for (j = 0; j < KES_HIST_BUCKETS; j++)
			ok &= check_u64(b->v[field[k]][j], sum[k][j], "%s: %s bucket %d", what,
					bin_field_name(field[k]), j);
		ok &= check_u64(kes_hist_sum(b->v[field[k]]), st->total.timed,
				"%s: %s, every exit timed", what, bin_field_name(field[k]));
	}
	return ok;
}

/* 5. As nobody, with the stats file descriptors only: 0 if they read right. */
static int unprivileged(const struct wl_vm *vm, const int *fd, const struct bin_stats *want)
{
	char path[256];
	int i, ok = 1;

	if (setgid(65534) || setuid(65534)) {
		printf("# setuid(65534): %s\n", strerror(errno));
		return 1;
	}
	vcpu_file(vm, 0, "exit_stats", path, sizeof(path));
	ok &= check(open(path, O_RDONLY) < 0 && errno == EACCES,
		    "nobody opened %s, or not for want of permission (%s)", path, strerror(errno));
	for (i = 0; i < VCPUS; i++) {
		struct bin_stats b;
		uint32_t e;

		ok &= bin_stats_read(fd[i], &b);
		for (e = 0; e < b.n; e++)
			ok &= check_u64(b.v[BIN_COUNT][e], want[i].v[BIN_COUNT][e],
					"vCPU %d as nobody: reason %llu", i,
					(unsigned long long)b.v[BIN_REASON][e]);
	}
	return !ok;
}

int main(int argc, char **argv)
{
	struct wl_spec spec = { .vcpus = VCPUS };
	struct bin_stats b[VCPUS], bvm, sum;
	struct kes_stats st[VCPUS], stvm;
	struct kes_hists h[VCPUS];
	bool ok1 = true, ok2 = true, ok4 = true, ok;
	char path[256], err[256], what[32];
	int fd[VCPUS], vmfd, st_child;
	struct wl_vm *vm;
	uint32_t i, e;
	pid_t pid;

	spec.n[WL_CPUID] = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000;
	spec.n[WL_IO] = spec.n[WL_CPUID] / 10;
	spec.n[WL_RDMSR] = spec.n[WL_CPUID] / 10;
	spec.n[WL_HLT] = 10;

	ksft_print_header();
	ksft_set_plan(5);
	set_param("exit_stats", "hist");
	vm = wl_create(&spec);
	wl_run(vm);

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < VCPUS; i++) {
		snprintf(what, sizeof(what), "vCPU %u", i);
		fd[i] = vcpu_get_stats_fd(wl_vcpu(vm, i));
		vcpu_file(vm, i, "exit_stats", path, sizeof(path));
		stats_load(path, &st[i]);
		vcpu_file(vm, i, "exit_stats_hist", path, sizeof(path));
		TEST_ASSERT(!kes_hists_load(path, &h[i], err, sizeof(err)),
			    "the histograms in %s do not parse: %s", path, err);
		ok1 &= bin_stats_read(fd[i], &b[i]) && check_reasons(&b[i], &st[i]);
		ok2 &= bin_stats_check_file(&b[i], &st[i], what);
		ok2 &= check_u64(st[i].total.count, b[i].exits,
				 "%s: TOTAL, against KVM's own \"exits\" in the stats file", what);
		ok4 &= check_hists(&b[i], &h[i], &st[i], what);
		for (e = 0; e < b[i].n; e++)
			sum.v[BIN_COUNT][e] += b[i].v[BIN_COUNT][e];
	}
	ksft_test_result(ok1, "each vCPU's stats file describes the exit statistics, an entry per reason\n");
	ksft_test_result(ok2, "each vCPU's stats file equals its debugfs file, and KVM's \"exits\"\n");

	vmfd = ioctl(wl_vm_fd(vm), KVM_GET_STATS_FD, NULL);
	TEST_ASSERT(vmfd >= 0, "KVM_GET_STATS_FD on the VM: %s", strerror(errno));
	stats_load_vm(vm, &stvm);
	ok = bin_stats_read(vmfd, &bvm) && bin_stats_check_file(&bvm, &stvm, "VM");
	for (e = 0; e < bvm.n; e++)
		ok &= check_u64(bvm.v[BIN_COUNT][e], sum.v[BIN_COUNT][e],
				"VM: reason %llu, against its vCPUs'",
				(unsigned long long)bvm.v[BIN_REASON][e]);
	ksft_test_result(ok, "the VM's stats file equals its debugfs file and the sum of its vCPUs'\n");
	ksft_test_result(ok4, "the histograms equal the debugfs ones, all reasons added up\n");

	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork: %s", strerror(errno));
	if (!pid)
		_exit(unprivileged(vm, fd, b));
	TEST_ASSERT(waitpid(pid, &st_child, 0) == pid, "waitpid: %s", strerror(errno));
	ksft_test_result(WIFEXITED(st_child) && !WEXITSTATUS(st_child),
			 "a process without privileges reads them through the file descriptor\n");

	for (i = 0; i < VCPUS; i++) {
		close(fd[i]);
		kes_stats_free(&st[i]);
		kes_hists_free(&h[i]);
	}
	close(vmfd);
	kes_stats_free(&stvm);
	wl_destroy(vm);
	set_param("exit_stats", "time");
	ksft_finished();
}
