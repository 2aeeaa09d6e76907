// SPDX-License-Identifier: GPL-2.0
/*
 * Exits that KVM handles in its fastpath and re-enters the guest from,
 * without ever calling the exit handler, are counted like all others.
 *
 * On VMX, KVM's fastpath handles x2APIC ICR and TSC_DEADLINE writes, HLT
 * with an interrupt it can deliver, and the VMX preemption timer that runs
 * the guest's LAPIC timer.  Evidence that the fastpath really ran: a kretprobe
 * on vmx_vcpu_run counts EXIT_FASTPATH_REENTER_GUEST returns.  On SVM the
 * fastpath needs next-RIP save, which QEMU does not emulate: the counts are
 * checked all the same, the fastpath evidence is skipped.  Linux 6.1 (Debian
 * 12's default kernel) handles an x2APIC ICR write in the fastpath without
 * re-entering the guest and has no HLT fastpath: there the evidence of the
 * first workload is skipped too.
 *
 * Usage: fastpath_test [N]   (default 200)
 */
#include <stdlib.h>
#include <sys/utsname.h>

#include "lab_test.h"

struct run {
	struct kes_stats before, after;
	struct tp_counts tp;
	uint64_t reentries;
	bool ok;
};

static void run(const struct wl_spec *spec, struct run *r)
{
	struct wl_vm *vm = wl_create(spec);

	stats_load_vm(vm, &r->before);
	tp_start();
	fp_start();
	wl_run(vm);
	r->reentries = fp_reentries();
	fp_stop();
	tp_read(&r->tp);
	tp_stop();
	stats_load_vm(vm, &r->after);
	r->ok = check_workload_faults(&r->before, &r->after, vm, &r->tp, "per-VM");
	r->ok &= check_matches_tracepoint(&r->before, &r->after, &r->tp, "per-VM");
	r->ok &= check_cycles_sane(&r->after, "per-VM");
	ksft_print_msg("%llu exits, %llu of them re-entered from the fastpath\n",
		       (unsigned long long)(r->after.total.count - r->before.total.count),
		       (unsigned long long)r->reentries);
	wl_destroy(vm);
}

static void done(struct run *r)
{
	kes_stats_free(&r->before);
	kes_stats_free(&r->after);
}

/* Whether the running kernel is Linux 6.1. */
static bool linux_6_1(void)
{
	struct utsname u;

	return !uname(&u) && !strncmp(u.release, "6.1.", 4);
}

/* kvm_amd.nrips: whether kvm_amd uses next-RIP save. */
static bool nrips(void)
{
	FILE *f = fopen("/sys/module/kvm_amd/parameters/nrips", "re");
	int c = f ? fgetc(f) : 'N';

	if (f)
		fclose(f);
	return c == 'Y' || c == '1';
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 200;
	struct wl_spec hlt = { .vcpus = 1 }, timer = { .vcpus = 1 };
	bool vmx = lab_isa() == KES_ISA_VMX;
	/* SVM's fastpath (6.12) runs only with next-RIP save. */
	bool fast = vmx || nrips();
	const char *why = "SVM's fastpath needs next-RIP save: kvm_amd.nrips=N (the emulator does not offer it)";
	struct run r;
	uint64_t timer_exits;

	ksft_print_header();
	ksft_set_plan(4);
	hlt.n[WL_HLT] = n;
	timer.n[WL_TSCDL] = n;

	run(&hlt, &r);
	ksft_test_result(r.ok, "HLT woken by a self-IPI x %llu: exact, and equal to the tracepoint\n",
			 (unsigned long long)n);
	/* Each round's x2APIC ICR write and its HLT re-enter from the fastpath. */
	if (fast && linux_6_1())
		ksft_test_result_skip("fastpath re-entries: Linux 6.1 re-enters after neither an ICR write nor a HLT (saw %llu)\n",
				      (unsigned long long)r.reentries);
	else if (fast)
		ksft_test_result(check(r.reentries >= 2 * n,
				       "only %llu fastpath re-entries for %llu ICR writes and HLTs",
				       (unsigned long long)r.reentries, (unsigned long long)(2 * n)),
				 "x2APIC ICR writes and HLTs were re-entered from the fastpath, and counted\n");
	else
		ksft_test_result_skip("fastpath re-entries: %s (saw %llu)\n", why,
				      (unsigned long long)r.reentries);
	done(&r);

	run(&timer, &r);
	ksft_test_result(r.ok, "LAPIC TSC-deadline timer x %llu: exact, and equal to the tracepoint\n",
			 (unsigned long long)n);
	if (vmx) {
		timer_exits = stats_delta(&r.before, &r.after, lab_reason("PREEMPTION_TIMER"));
		ksft_test_result(check(timer_exits >= n, "only %llu PREEMPTION_TIMER exits for %llu timer rounds",
				       (unsigned long long)timer_exits, (unsigned long long)n) &
				 check(r.reentries >= 2 * n,
				       "only %llu fastpath re-entries for %llu deadline writes and expiries",
				       (unsigned long long)r.reentries, (unsigned long long)(2 * n)),
				 "the VMX preemption timer and TSC_DEADLINE writes were re-entered from the fastpath, and counted\n");
	} else if (fast) {
		/* SVM has no preemption timer: the deadline writes re-enter. */
		ksft_test_result(check(r.reentries >= n,
				       "only %llu fastpath re-entries for %llu deadline writes",
				       (unsigned long long)r.reentries, (unsigned long long)n),
				 "TSC_DEADLINE writes were re-entered from the fastpath, and counted\n");
	} else {
		ksft_test_result_skip("fastpath re-entries: %s (saw %llu)\n", why,
				      (unsigned long long)r.reentries);
	}
	done(&r);
	ksft_finished();
}
