// SPDX-License-Identifier: GPL-2.0
/*
 * A host in lockdown (integrity), as a Secure Boot host is: debugfs opens
 * only files without write permission there.  The statistics files (0400)
 * must read as everywhere else: N CPUID exits exact and equal to the kvm_exit
 * tracepoint (tracefs works in integrity mode), and KVM's binary statistics
 * (KVM_GET_STATS_FD) equal to them; the control files (0200)
 * must be refused with the error lockdown gives, EPERM, and nothing changes;
 * kvm-exitstat reads, and says that its --reset was refused by lockdown.
 *
 * Usage: lockdown_test [--raise]   (--raise: put the kernel in lockdown first,
 *                                   as root can once; the lab kernel instead
 *                                   boots with lockdown=integrity)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "lab_test.h"
#include "stats_fd.h"

#define LOCKDOWN "/sys/kernel/security/lockdown"

static char *slurp(const char *path)
{
	static char buf[2][65536];
	static int next;
	char *b = buf[next++ % 2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0, r;

	b[0] = '\0';
	if (fd < 0)
		return b;
	while ((r = read(fd, b + n, sizeof(buf[0]) - 1 - n)) > 0)
		n += r;
	close(fd);
	b[n] = '\0';
	return b;
}

static bool in_lockdown(bool raise)
{
	int r;

	mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	r = raise ? write_file(LOCKDOWN, "integrity") : 0;
	if (r)
		ksft_print_msg("cannot write %s: %s\n", LOCKDOWN, strerror(-r));
	ksft_print_msg("%s: %s", LOCKDOWN, slurp(LOCKDOWN));
	return check(strstr(slurp(LOCKDOWN), "[integrity]") != NULL,
		     "the kernel is not in lockdown=integrity: %s", slurp(LOCKDOWN));
}

static bool reads_exact(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct kes_stats s0, s1, v0, v1;
	struct bin_stats b;
	struct tp_counts tp;
	struct wl_vm *vm;
	bool ok = true;
	int fd;

	spec.n[WL_CPUID] = 1000;
	spec.n[WL_IO] = 1000;
	vm = wl_create(&spec);
	stats_load(SYSTEM_STATS, &s0);
	stats_load_vm(vm, &v0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s1);
	stats_load_vm(vm, &v1);
	ok &= check_workload_faults(&s0, &s1, vm, &tp, "system-wide, in lockdown");
	ok &= check_workload_faults(&v0, &v1, vm, &tp, "per-VM, in lockdown");
	ok &= check_matches_tracepoint(&s0, &s1, &tp, "system-wide, in lockdown");
	fd = ioctl(wl_vm_fd(vm), KVM_GET_STATS_FD, NULL);
	ok &= check(fd >= 0, "KVM_GET_STATS_FD on the VM, in lockdown: %s", strerror(errno));
	ok &= fd >= 0 && bin_stats_read(fd, &b) &&
	      bin_stats_check_file(&b, &v1, "the VM's binary statistics, in lockdown");
	if (fd >= 0)
		close(fd);
	wl_destroy(vm);
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	kes_stats_free(&v0);
	kes_stats_free(&v1);
	return ok;
}

/* Opening @path with @flags fails with EPERM, and @watch does not change. */
static bool refused(const char *path, int flags, const char *watch)
{
	char *before = strdup(slurp(watch));
	int fd = open(path, flags | O_CLOEXEC);
	int err = errno;
	bool ok;

	if (fd >= 0) {
		if (write(fd, "reset", 5) < 0)
			err = errno;
		close(fd);
	}
	ok = check(fd < 0 && err == EPERM, "opening %s for writing: %s, expected EPERM",
		   path, fd < 0 ? strerror(err) : "it opened");
	ok &= check(!strcmp(before, slurp(watch)), "%s changed", watch);
	free(before);
	return ok;
}

static bool controls_refused(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct wl_vm *vm;
	bool ok = true;

	spec.n[WL_CPUID] = 100;
	vm = wl_create(&spec);
	wl_run(vm);
	ok &= refused(SYSTEM_CONTROL, O_WRONLY, SYSTEM_STATS);
	ok &= refused(wl_control_path(vm), O_WRONLY, wl_stats_path(vm));
	ok &= refused(SYSTEM_STATS, O_RDWR, SYSTEM_STATS);
	wl_destroy(vm);
	return ok;
}

/* Runs kvm-exitstat with @args; its exit status, its stderr in @err. */
static int tool(const char *args, char *err, size_t n)
{
	char cmd[256];
	FILE *f;
	int r;

	snprintf(cmd, sizeof(cmd), "/tests/kvm-exitstat %s 2>&1 >/tmp/tool.out", args);
	f = popen(cmd, "r");
	TEST_ASSERT(f, "cannot run kvm-exitstat: %s", strerror(errno));
	n = fread(err, 1, n - 1, f);
	err[n] = '\0';
	r = pclose(f);
	return WIFEXITED(r) ? WEXITSTATUS(r) : 128;
}

static bool host_tool(void)
{
	char err[4096];
	bool ok = true;
	int r;

	r = tool("--csv", err, sizeof(err));
	ok &= check(r == 0, "kvm-exitstat --csv in lockdown: exit %d: %s", r, err);
	r = tool("--reset", err, sizeof(err));
	ok &= check(r == 4 && strstr(err, "lockdown"),
		    "kvm-exitstat --reset in lockdown: exit %d (expected 4), said: %s", r, err);
	return ok;
}

int main(int argc, char **argv)
{
	bool raise = argc > 1 && !strcmp(argv[1], "--raise");

	ksft_print_header();
	ksft_set_plan(4);
	ksft_test_result(in_lockdown(raise), "the kernel is in lockdown (integrity)%s\n",
			 raise ? ", raised at run time" : ", from the command line");
	ksft_test_result(reads_exact(),
			 "in lockdown the statistics read, exact, equal to the tracepoint and to KVM_GET_STATS_FD\n");
	ksft_test_result(controls_refused(),
			 "in lockdown the control files are refused (EPERM); nothing changes\n");
	ksft_test_result(host_tool(),
			 "in lockdown kvm-exitstat reads, and says lockdown refused --reset (exit 4)\n");
	ksft_finished();
}
