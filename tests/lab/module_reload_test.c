// SPDX-License-Identifier: GPL-2.0
/*
 * KVM as modules (Debian's own kernel, the modules of make debian-modules in
 * /modules): the vendor module (kvm_amd or kvm_intel) unloaded and loaded
 * again keeps what kvm.ko holds, the parameters kvm.exit_stats and
 * kvm.exit_stats_log_every and the totals of departed VMs; kvm.ko itself
 * unloaded and loaded again starts from zero with its defaults; a vendor
 * module that still has a VM cannot be unloaded.  After each reload, N
 * CPUID exits count exactly, as the kvm_exit tracepoint does.
 *
 * Usage: module_reload_test   (in an L1 that has /modules; needs rmmod, insmod)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab_test.h"

#define N_CPUID 1000

static const char *vendor(void)
{
	return lab_isa() == KES_ISA_VMX ? "kvm_intel" : "kvm_amd";
}

/* Runs a shell command; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = system(cmd);
	return WIFEXITED(r) ? WEXITSTATUS(r) : 128;
}

static bool loaded(const char *module)
{
	char path[64];
	struct stat s;

	snprintf(path, sizeof(path), "/sys/module/%s", module);
	return !stat(path, &s);
}

static bool same_stats(const struct kes_stats *a, const struct kes_stats *b, const char *what)
{
	bool ok = check_u64(b->total.count, a->total.count, "%s: TOTAL count", what);
	size_t r;

	ok &= check_u64(b->total.cycles, a->total.cycles, "%s: TOTAL cycles", what);
	for (r = 0; r < a->nrows; r++)
		ok &= check_u64(kes_stats_count(b, a->rows[r].reason), a->rows[r].s.count,
				"%s: %s", what, a->rows[r].name);
	return ok;
}

/* N CPUID exits: counted exactly if @on, not at all if not; as the tracepoint. */
static bool cpuid_workload(bool on, const char *what)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct kes_stats s0, s1;
	struct tp_counts tp;
	struct wl_vm *vm;
	bool ok = true;

	spec.n[WL_CPUID] = N_CPUID;
	vm = wl_create(&spec);
	stats_load(SYSTEM_STATS, &s0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s1);
	ok &= check(tp_count(&tp, lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid")) >=
		    N_CPUID, "%s: the tracepoint saw fewer than %d CPUID exits", what, N_CPUID);
	if (on) {
		ok &= check_workload_faults(&s0, &s1, vm, &tp, what);
		ok &= check_matches_tracepoint(&s0, &s1, &tp, what);
	} else {
		ok &= same_stats(&s0, &s1, what);
	}
	wl_destroy(vm);
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	return ok;
}

static bool reload_vendor(void)
{
	struct kes_stats before, after;
	bool ok = true;

	ok &= cpuid_workload(true, "before the reload");	/* a departed VM */
	set_param("exit_stats_log_every", "123456789");
	set_param("exit_stats", "0");
	stats_load(SYSTEM_STATS, &before);

	ok &= check(!sh("rmmod %s", vendor()), "rmmod %s failed", vendor());
	ok &= check(!loaded(vendor()) && loaded("kvm"), "%s should be gone and kvm loaded",
		    vendor());
	ok &= check(access(SYSTEM_STATS, F_OK) && errno == ENOENT,
		    "%s is still there without a vendor module", SYSTEM_STATS);
	ok &= check(!strcmp(get_param("exit_stats_log_every"), "123456789"),
		    "kvm.exit_stats_log_every is %s with %s unloaded",
		    get_param("exit_stats_log_every"), vendor());
	ok &= check(!strcmp(get_param("exit_stats"), "off"), "kvm.exit_stats is %s with %s unloaded",
		    get_param("exit_stats"), vendor());

	ok &= check(!sh("kvm-modules load"), "loading %s again failed", vendor());
	ok &= check(!strcmp(get_param("exit_stats_log_every"), "123456789"),
		    "kvm.exit_stats_log_every is %s after the reload, was 123456789",
		    get_param("exit_stats_log_every"));
	ok &= check(!strcmp(get_param("exit_stats"), "off"),
		    "kvm.exit_stats is %s after the reload, was off", get_param("exit_stats"));
	stats_load(SYSTEM_STATS, &after);
	ok &= same_stats(&before, &after, "system-wide, across the reload");

	ok &= cpuid_workload(false, "after the reload, exit_stats=0");
	set_param("exit_stats", "1");
	ok &= cpuid_workload(true, "after the reload, exit_stats=1");
	set_param("exit_stats_log_every", "0");
	kes_stats_free(&before);
	kes_stats_free(&after);
	return ok;
}

static bool reload_kvm(void)
{
	struct kes_stats st;
	bool ok = true;

	ok &= check(!sh("kvm-modules unload"), "rmmod %s kvm failed", vendor());
	ok &= check(!loaded("kvm") && !loaded(vendor()), "kvm and %s should be gone", vendor());
	ok &= check(!sh("kvm-modules load"), "loading kvm and %s again failed", vendor());
	ok &= check(!strcmp(get_param("exit_stats"), "time"),
		    "a new kvm.ko has exit_stats=%s, expected the default time", get_param("exit_stats"));
	ok &= check(!strcmp(get_param("exit_stats_log_every"), "0"),
		    "a new kvm.ko has exit_stats_log_every=%s, expected the default 0",
		    get_param("exit_stats_log_every"));
	stats_load(SYSTEM_STATS, &st);
	ok &= check_u64(st.total.count, 0, "system-wide TOTAL of a new kvm.ko");
	kes_stats_free(&st);
	ok &= cpuid_workload(true, "after reloading kvm.ko");
	return ok;
}

static bool busy_with_vm(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct wl_vm *vm;
	bool ok = true;

	spec.n[WL_CPUID] = N_CPUID;
	vm = wl_create(&spec);
	ok &= check(sh("rmmod %s 2>/dev/null", vendor()), "rmmod %s succeeded with a VM alive",
		    vendor());
	ok &= check(loaded(vendor()), "%s is gone although a VM is alive", vendor());
	wl_run(vm);	/* the VM still runs */
	wl_destroy(vm);
	return ok;
}

int main(void)
{
	ksft_print_header();
	ksft_set_plan(3);
	ksft_test_result(reload_vendor(),
			 "%s unloaded and loaded again: kvm's parameters and the system-wide totals stay; exact counts after\n",
			 vendor());
	ksft_test_result(reload_kvm(),
			 "kvm.ko unloaded and loaded again: defaults, zeros, exact counts after\n");
	ksft_test_result(busy_with_vm(), "%s cannot be unloaded while a VM is alive\n", vendor());
	ksft_finished();
}
