// SPDX-License-Identifier: GPL-2.0
/*
 * Who may read the exit statistics through CPUID (docs/guest-abi.md, "Who
 * sees what"), with real guests:
 *  - by default (kvm.exit_stats_cpuid=off) no VM, and a VMM cannot opt in;
 *  - per VM: a VM opted in sees the leaves, in the scope it was given; a VM
 *    beside it that was not, sees what KVM answers without the change;
 *  - the host's cap: KVM_CHECK_EXTENSION tells it, KVM_ENABLE_CAP beyond it
 *    fails with EPERM, lowering it applies to VMs already opted in;
 *  - the host's own opt-in, the VM's exit_stats_control file ("cpuid=...");
 *  - guest user space (CPL 3) only with KVM_EXIT_STATS_CPUID_USER;
 *  - KVM's instruction emulator (em_cpuid, reached with the forced-emulation
 *    prefix) answers exactly as the CPUID intercept does;
 *  - a nested guest (L2, SVM) whose L1 does not intercept CPUID gets KVM's
 *    own answers, never its L1's VM's statistics;
 *  - the dump leaf's allowance is per VM.
 *
 * Usage: guest_access_test
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "lab_test.h"
#include "query_vm.h"

#define SIGNATURE	0x4ffffff0
#define INFO		0x4ffffff1
#define R_COUNT		0x4ffffff2
#define R_CYCLES	0x4ffffff3
#define T_COUNT		0x4ffffff4
#define T_CYCLES	0x4ffffff5
#define DUMP		0x4ffffff6
#define R_INFO		0x4ffffff7
#define SCOPE_OFF	0
#define SCOPE_VM	1
#define SCOPE_SYSTEM	2

static int check_extension(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int r;

	TEST_ASSERT(fd >= 0, "cannot open /dev/kvm");
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_X86_EXIT_STATS_CPUID);
	close(fd);
	return r;
}

static int enable_cap(struct qvm *q, uint64_t scope, uint64_t arg1, uint64_t arg2,
		      uint32_t flags)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_EXIT_STATS_CPUID, .flags = flags,
		.args = { scope, arg1, arg2 },
	};

	return ioctl(q->vm->fd, KVM_ENABLE_CAP, &cap) ? -errno : 0;
}

static void opt_in(struct qvm *q, unsigned int scope, bool user)
{
	int r = wl_guest_access(q->vm->fd, scope, user);

	TEST_ASSERT(!r, "KVM_ENABLE_CAP(KVM_CAP_X86_EXIT_STATS_CPUID, %u): %s", scope, strerror(-r));
}

/* The answer to one CPUID query in @q's guest. */
static struct query ask(struct qvm *q, uint32_t leaf, uint32_t ecx)
{
	struct query one = { .leaf = leaf, .ecx = ecx };

	qvm_query(q, &one, 1);
	return one;
}

static bool has_signature(const struct query *a)
{
	return a->r[0] == 0x4fffffff && !memcmp(&a->r[1], "KVMExitStats", 12);
}

/* The guest sees the leaves, with INFO's scope and flags as given. */
static bool sees(struct qvm *q, unsigned int scope, uint32_t flags, const char *what)
{
	struct query sig = ask(q, SIGNATURE, 0), info = ask(q, INFO, 0);

	return check(has_signature(&sig), "%s: no signature: %08x %08x %08x %08x", what,
		     sig.r[0], sig.r[1], sig.r[2], sig.r[3]) &&
	       check(info.r[3] == (scope | flags),
		     "%s: INFO EDX %#x, expected scope %u and flags %#x", what, info.r[3], scope,
		     flags);
}

static bool defaults(void)
{
	struct qvm *q = qvm_create(0, QVM_KERNEL);
	bool ok = true;

	ok &= check(!strcmp(get_param("exit_stats_cpuid"), "off"),
		    "kvm.exit_stats_cpuid is %s by default, expected off", get_param("exit_stats_cpuid"));
	ok &= check_u64(check_extension(), 0, "KVM_CHECK_EXTENSION by default");
	ok &= check_u64(-wl_guest_access(q->vm->fd, SCOPE_VM, false), EPERM,
			"KVM_ENABLE_CAP(vm) by default: errno");
	ok &= qvm_answers_as_kvm(q, false, "by default");
	qvm_destroy(q);
	return ok;
}

static bool per_vm(void)
{
	struct qvm *a, *b, *c;
	struct kes_stats before, after;
	struct query t;
	uint64_t total;
	bool ok = true;

	set_param("exit_stats_cpuid", "system");
	TEST_ASSERT(!write_file(SYSTEM_CONTROL, "reset"), "cannot reset");
	a = qvm_create(100, QVM_KERNEL);
	b = qvm_create(200, QVM_KERNEL);
	c = qvm_create(300, QVM_KERNEL);
	opt_in(a, SCOPE_VM, false);
	opt_in(c, SCOPE_SYSTEM, false);
	ok &= sees(a, SCOPE_VM, 0, "VM opted in for vm");
	ok &= qvm_answers_as_kvm(b, false, "VM beside it, not opted in");
	ok &= sees(c, SCOPE_SYSTEM, 0, "VM opted in for system");

	/* Its own exits, or every VM's: as its file, or the system-wide file. */
	stats_load(a->stats, &before);
	t = ask(a, T_COUNT, 0);
	stats_load(a->stats, &after);
	total = (uint64_t)t.r[1] << 32 | t.r[2];
	ok &= check(total >= before.total.count && total < after.total.count,
		    "scope vm: total %llu, its file %llu before, %llu after",
		    (unsigned long long)total, (unsigned long long)before.total.count,
		    (unsigned long long)after.total.count);
	kes_stats_free(&before);
	kes_stats_free(&after);
	stats_load(SYSTEM_STATS, &before);
	t = ask(c, T_COUNT, 0);
	stats_load(SYSTEM_STATS, &after);
	total = (uint64_t)t.r[1] << 32 | t.r[2];
	ok &= check(total >= before.total.count && total < after.total.count,
		    "scope system: total %llu, the system-wide file %llu before, %llu after",
		    (unsigned long long)total, (unsigned long long)before.total.count,
		    (unsigned long long)after.total.count);
	kes_stats_free(&before);
	kes_stats_free(&after);
	qvm_destroy(a);
	qvm_destroy(b);
	qvm_destroy(c);
	return ok;
}

static bool cap_limits(void)
{
	struct qvm *q = qvm_create(0, QVM_KERNEL);
	bool ok = true;

	set_param("exit_stats_cpuid", "vm");
	ok &= check_u64(check_extension(), SCOPE_VM, "KVM_CHECK_EXTENSION with the cap vm");
	ok &= check_u64(-enable_cap(q, SCOPE_SYSTEM, 0, 0, 0), EPERM, "system beyond the cap vm");
	ok &= check_u64(-enable_cap(q, 3, 0, 0, 0), EINVAL, "scope 3");
	ok &= check_u64(-enable_cap(q, SCOPE_VM, 2, 0, 0), EINVAL, "an unknown flag");
	ok &= check_u64(-enable_cap(q, SCOPE_VM, 0, 1, 0), EINVAL, "args[2] set");
	ok &= check_u64(-enable_cap(q, SCOPE_VM, 0, 0, 1), EINVAL, "cap.flags set");
	ok &= qvm_answers_as_kvm(q, false, "after refused KVM_ENABLE_CAPs");
	ok &= check_u64(-enable_cap(q, SCOPE_VM, 0, 0, 0), 0, "vm within the cap vm");
	ok &= sees(q, SCOPE_VM, 0, "opted in for vm");

	set_param("exit_stats_cpuid", "system");
	ok &= check_u64(check_extension(), SCOPE_SYSTEM, "KVM_CHECK_EXTENSION with the cap system");
	opt_in(q, SCOPE_SYSTEM, false);
	ok &= sees(q, SCOPE_SYSTEM, 0, "opted in for system");
	set_param("exit_stats_cpuid", "vm");
	ok &= sees(q, SCOPE_VM, 0, "opted in for system, the cap lowered to vm");
	set_param("exit_stats_cpuid", "off");
	ok &= qvm_answers_as_kvm(q, false, "opted in for system, the cap lowered to off");
	qvm_destroy(q);
	return ok;
}

/* Writing @cmd to @q's control file: 0 or -errno; INFO as @scope, @flags after. */
static bool control(struct qvm *q, const char *cmd, int err, unsigned int scope,
		    uint32_t flags)
{
	int r = write_file(q->control, cmd);
	bool ok = check_u64(-r, err, "writing \"%s\" to %s: errno", cmd, q->control);

	if (scope)
		ok &= sees(q, scope, flags, cmd);
	else
		ok &= qvm_answers_as_kvm(q, false, cmd);
	return ok;
}

static bool host_control(void)
{
	static const char *const bad[] = {
		"cpuid=all", "cpuid=vm,root", "cpuid=", "cpuid=vm,user,user", "cpuid=VM",
		"cpuid= vm", "cpuid",
	};
	struct qvm *q = qvm_create(0, QVM_KERNEL);
	bool ok = true;
	size_t i;

	set_param("exit_stats_cpuid", "system");
	ok &= control(q, "cpuid=vm", 0, SCOPE_VM, 0);
	ok &= control(q, "cpuid=system,user\n", 0, SCOPE_SYSTEM, KVM_EXIT_STATS_INFO_USER);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok &= control(q, bad[i], EINVAL, SCOPE_SYSTEM, KVM_EXIT_STATS_INFO_USER);
	ok &= control(q, "cpuid=off", 0, SCOPE_OFF, 0);
	set_param("exit_stats_cpuid", "vm");
	ok &= control(q, "cpuid=system", EPERM, SCOPE_OFF, 0);
	ok &= control(q, "cpuid=vm", 0, SCOPE_VM, 0);
	qvm_destroy(q);
	return ok;
}

static bool user_mode(void)
{
	struct qvm *q = qvm_create(0, QVM_USER);
	bool ok = true;

	set_param("exit_stats_cpuid", "system");
	opt_in(q, SCOPE_VM, false);
	ok &= qvm_answers_as_kvm(q, false, "CPL 3, kernel-only access");
	opt_in(q, SCOPE_VM, true);
	ok &= sees(q, SCOPE_VM, KVM_EXIT_STATS_INFO_USER, "CPL 3, user access");
	qvm_destroy(q);
	return ok;
}

/*
 * How the emulated query's answer relates to the direct one asked just
 * before: equal, but that the direct query's own CPUID exit is counted by
 * the time the emulated one is answered, in layout c (the default).
 */
enum relation { SAME, COUNT64_PLUS_1, COUNT32_PLUS_1, CYCLES_MORE };

static enum relation relation(uint32_t leaf, uint32_t ecx, uint32_t cpuid)
{
	switch (leaf) {
	case T_COUNT:
		return COUNT64_PLUS_1;
	case T_CYCLES:
	case 0x4ffffffd:	/* layout c: total cycles */
		return CYCLES_MORE;
	case 0x4ffffffc:	/* layout c: total count, 32 bits */
		return COUNT32_PLUS_1;
	case R_COUNT:
		return ecx == cpuid ? COUNT64_PLUS_1 : SAME;
	case 0x4ffffffe:	/* layout c: a reason's count, 32 bits */
		return ecx == cpuid ? COUNT32_PLUS_1 : SAME;
	case R_CYCLES:
	case 0x4fffffff:	/* layout c: a reason's cycles */
		return ecx == cpuid ? CYCLES_MORE : SAME;
	}
	return SAME;
}

static bool related(const struct query *d, const struct query *m, enum relation rel)
{
	uint64_t dv = (uint64_t)d->r[1] << 32 | d->r[2], mv = (uint64_t)m->r[1] << 32 | m->r[2];

	switch (rel) {
	case COUNT64_PLUS_1:
		return !d->r[0] && !m->r[0] && mv == dv + 1 && d->r[3] == m->r[3];
	case COUNT32_PLUS_1:
		return m->r[0] == d->r[0] + 1 && !memcmp(&d->r[1], &m->r[1], 12);
	case CYCLES_MORE:
		return d->r[0] == m->r[0] && mv >= dv && d->r[3] == m->r[3];
	default:
		return !memcmp(d->r, m->r, 16);
	}
}

/*
 * Each leaf, asked directly and then through KVM's emulator: the answers
 * relate as above.  An exit in between (a host interrupt) spoils a round:
 * try again.
 */
static bool emulated(void)
{
	uint32_t cpuid = lab_reason(lab_isa() == KES_ISA_VMX ? "CPUID" : "cpuid");
	uint32_t hlt = lab_reason(lab_isa() == KES_ISA_VMX ? "HLT" : "hlt");
	const uint32_t ecxs[] = { cpuid, hlt, 0xffff, 0 };
	static struct query qs[2 * 16 * 4];
	struct qvm *q = qvm_create(10, QVM_KERNEL);
	unsigned int round, bad = 0;
	uint64_t i, n = 0;
	uint32_t leaf;
	bool ok = true;
	size_t e;

	set_param("force_emulation_prefix", "1");
	set_param("exit_stats_cpuid", "system");
	set_param("exit_stats_cpuid_layout", "c");
	ok &= qvm_answers_as_kvm(q, true, "through the emulator, not opted in");
	opt_in(q, SCOPE_SYSTEM, false);
	for (leaf = 0x4ffffff0; leaf <= 0x4fffffff && leaf >= 0x4ffffff0; leaf++)
		for (e = 0; e < sizeof(ecxs) / sizeof(ecxs[0]); e++) {
			if (leaf == DUMP)
				continue;
			qs[n++] = (struct query){ .leaf = leaf, .ecx = ecxs[e] };
			qs[n++] = (struct query){ .leaf = leaf, .ecx = ecxs[e], .emulated = true };
		}
	for (round = 0; round < 20; round++) {
		bad = 0;
		qvm_query(q, qs, n);
		for (i = 0; i < n; i += 2)
			bad += !related(&qs[i], &qs[i + 1], relation(qs[i].leaf, qs[i].ecx, cpuid));
		if (!bad)
			break;
	}
	ksft_print_msg("%llu leaves and ECX values, direct and emulated: as expected in round %u\n",
		       (unsigned long long)n / 2, round + 1);
	for (i = 0; bad && i < n; i += 2)
		if (!related(&qs[i], &qs[i + 1], relation(qs[i].leaf, qs[i].ecx, cpuid)))
			ksft_print_msg("leaf %#x ecx %#x: direct %08x %08x %08x %08x, emulated %08x %08x %08x %08x\n",
				       qs[i].leaf, qs[i].ecx, qs[i].r[0], qs[i].r[1], qs[i].r[2],
				       qs[i].r[3], qs[i + 1].r[0], qs[i + 1].r[1], qs[i + 1].r[2],
				       qs[i + 1].r[3]);
	ok &= check(!bad, "the emulator answered %u queries otherwise, 20 rounds in a row", bad);
	set_param("force_emulation_prefix", "0");
	qvm_destroy(q);
	return ok;
}

static bool nested(void)
{
	uint32_t vmrun = lab_reason("vmrun");
	struct kes_stats st;
	struct qvm *q;
	bool ok = true;

	set_param("exit_stats_cpuid", "system");
	q = qvm_create(0, QVM_NESTED);
	opt_in(q, SCOPE_SYSTEM, true);
	ok &= qvm_answers_as_kvm(q, false, "from L2, its L1 opted in for system with user access");
	stats_load(q->stats, &st);
	ok &= check(kes_stats_count(&st, vmrun) >= 1, "no vmrun exit: L2 never ran");
	kes_stats_free(&st);
	qvm_destroy(q);
	return ok;
}

/* Dumps that guests asked for, in the log after kmsg_open(), of @scope. */
static void guest_dumps(struct kmsg *k, const char *scope_a, const char *scope_b,
			unsigned int *a, unsigned int *b)
{
	const char *line;
	char want_a[96], want_b[96];

	snprintf(want_a, sizeof(want_a), "dump scope=%s trigger=guest", scope_a);
	snprintf(want_b, sizeof(want_b), "dump scope=%s trigger=guest", scope_b);
	*a = *b = 0;
	while ((line = kmsg_next(k))) {
		*a += !!strstr(line, want_a);
		*b += !!strstr(line, want_b);
	}
}

static bool dumps(void)
{
	struct kmsg *k;
	struct qvm *a, *b;
	struct query r;
	char scope_a[64], scope_b[64];
	unsigned int na, nb;
	bool ok = true;

	set_param("exit_stats_cpuid", "vm");
	set_param("exit_stats_cpuid_dump", "1");
	a = qvm_create(0, QVM_KERNEL);
	b = qvm_create(0, QVM_KERNEL);
	opt_in(a, SCOPE_VM, false);
	opt_in(b, SCOPE_VM, false);
	snprintf(scope_a, sizeof(scope_a), "vm-%d-%d", getpid(), a->vm->fd);
	snprintf(scope_b, sizeof(scope_b), "vm-%d-%d", getpid(), b->vm->fd);
	k = kmsg_open();
	r = ask(a, DUMP, 0);
	ok &= check(r.r[0] == 1 && !r.r[1], "VM A's first dump: %08x %08x, expected 1 0",
		    r.r[0], r.r[1]);
	r = ask(a, DUMP, 0);
	ok &= check(!r.r[0] && r.r[1] == KVM_EXIT_STATS_DUMP_LIMITED,
		    "VM A's second dump: %08x %08x, expected 0 2 (limited)", r.r[0], r.r[1]);
	r = ask(b, DUMP, 0);
	ok &= check(r.r[0] == 1 && !r.r[1], "VM B's first dump, after A's: %08x %08x, expected 1 0",
		    r.r[0], r.r[1]);
	usleep(300 * 1000);	/* printed by a worker, not in the vCPU's path */
	guest_dumps(k, scope_a, scope_b, &na, &nb);
	ok &= check_u64(na, 1, "dumps of VM A in the log");
	ok &= check_u64(nb, 1, "dumps of VM B in the log");
	kmsg_close(k);
	set_param("exit_stats_cpuid_dump", "0");
	qvm_destroy(a);
	qvm_destroy(b);
	return ok;
}

int main(void)
{
	ksft_print_header();
	ksft_set_plan(8);
	ksft_test_result(defaults(), "by default no VM sees the leaves, and none can opt in\n");
	ksft_test_result(per_vm(), "opt-in per VM: vm and system scopes as the files say; a VM not opted in gets KVM's answers\n");
	ksft_test_result(cap_limits(), "kvm.exit_stats_cpuid caps every VM: EPERM beyond it, lowering it applies at once\n");
	ksft_test_result(host_control(), "the host opts a VM in through its exit_stats_control; bad commands EINVAL, nothing changes\n");
	ksft_test_result(user_mode(), "CPL 3 gets KVM's answers unless the VM was opted in with user access\n");
	ksft_test_result(emulated(), "KVM's emulator (forced-emulation prefix) answers as the CPUID intercept\n");
	if (lab_isa() == KES_ISA_SVM)
		ksft_test_result(nested(), "a nested guest (L2) that its L1 lets run CPUID gets KVM's answers, not the statistics\n");
	else
		ksft_test_result_skip("nested: VMX gives every CPUID of L2 to L1, which answers it\n");
	ksft_test_result(dumps(), "the dump allowance is per VM: A's second dump is limited, B's first is not\n");
	set_param("exit_stats_cpuid", "off");
	ksft_finished();
}
