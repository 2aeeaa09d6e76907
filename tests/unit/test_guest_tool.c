// SPDX-License-Identifier: GPL-2.0
/*
 * The guest tool kvm-exitstat-guest, without a VM: its CPUID reading layer
 * against the kernel's own guest-ABI code over made-up statistics, for both
 * ISAs and every layout; and the tool itself (built with a stand-in for the
 * CPUID instruction, mock_cpuid.c), run as a program: its table, JSON,
 * single reason, raw leaf, errors and exit codes.
 *
 * Environment: KES_GUEST_TOOL (the tool built with mock_cpuid.c).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "abi_fixture.h"
#include "query.h"

static struct fixture host;

static void host_cpuid(uint32_t leaf, uint32_t ecx, uint32_t r[4])
{
	struct kvm_exit_stats_regs k = { 0, 0, 0, 0 };

	if (kvm_exit_stats_cpuid_leaf(host.v.layout, leaf))
		kvm_exit_stats_cpuid_fill(&host.v, leaf, ecx, &k);
	r[0] = k.eax, r[1] = k.ebx, r[2] = k.ecx, r[3] = k.edx;
}

static struct kes_cpu host_cpu = { KES_VIA_INSTRUCTION, host_cpuid, -1, 0 };

static void probe_says_what_host_is(void **state)
{
	static const uint32_t isas[] = { KVM_EXIT_STATS_VMX, KVM_EXIT_STATS_SVM };
	struct kes_host h;
	size_t i;
	char l;

	(void)state;
	for (i = 0; i < 2; i++) {
		for (l = 'a'; l <= 'c'; l++) {
			setup(&host, isas[i], 0xa + l - 'a');
			kes_probe(&host_cpu, &h);
			assert_true(h.found);
			assert_int_equal(h.abi, 1);
			assert_int_equal(h.isa, isas[i]);
			assert_int_equal(h.layout, l);
			assert_int_equal(h.scope, KES_SCOPE_VM);
			assert_false(h.user);
			host.v.flags = KVM_EXIT_STATS_INFO_USER;
			kes_probe(&host_cpu, &h);
			assert_true(h.user);
		}
	}
}

/* Every reason, read with the 64-bit leaves and with each layout's. */
static void readings_match_the_host(void **state)
{
	static const uint32_t isas[] = { KVM_EXIT_STATS_VMX, KVM_EXIT_STATS_SVM };
	size_t i, j, n;
	char l;

	(void)state;
	for (i = 0; i < 2; i++) {
		const struct kes_reason *t = kes_reasons(isas[i], &n);

		for (l = 0; l <= 'c'; l = l ? l + 1 : 'a') {
			struct kes_reader rd = { &host_cpu, l };
			uint64_t count, cycles;

			setup(&host, isas[i], l ? 0xa + l - 'a' : 0xc);
			for (j = 0; j < n; j++) {
				uint32_t s = doc_slot(isas[i], t[j].nr);
				const struct kvm_exit_stat *st = &host.stats.slot[s];
				struct kes_reading r;

				kes_read_reason(&rd, t[j].nr, &r);
				if (!l && !made_up_enabled(s) && !st->count) {
					assert_int_equal(r.state, KES_NOT_ENABLED);
					continue;
				}
				assert_int_equal(r.state, KES_COUNTED);
				assert_int_equal(r.count, l ? (uint32_t)st->count : st->count);
				assert_int_equal(r.cycles, l == 'a' ? 0 : st->cycles);
			}
			kes_read_totals(&rd, &count, &cycles);
			assert_int_equal(count, l ? (uint32_t)host.total_count : host.total_count);
			assert_int_equal(cycles, host.total_cycles);
		}
	}
}

static void undefined_reasons_say_so(void **state)
{
	struct kes_reader rd = { &host_cpu, 0 };
	struct kes_reading r;

	(void)state;
	setup(&host, KVM_EXIT_STATS_VMX, 0xc);
	kes_read_reason(&rd, 35, &r);
	assert_int_equal(r.state, KES_UNDEFINED);
	setup(&host, KVM_EXIT_STATS_VMX, 0xb);
	rd.layout = 'b';
	kes_read_reason(&rd, 0x10000, &r);
	assert_int_equal(r.state, KES_UNDEFINED);
}

struct run {
	int status;
	char out[65536], err[4096];
};

/* Runs "ENV TOOL ARGS" ($@tool_env is the tool built with a stand-in CPUID). */
static void run_cmd(struct run *r, const char *env, const char *tool_env, const char *args)
{
	const char *tool = getenv(tool_env);
	char cmd[1024], errfile[] = "/tmp/kes-guest-tool-XXXXXX";
	FILE *p, *e;
	size_t n;
	int fd;

	assert_non_null(tool);
	fd = mkstemp(errfile);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s %s 2>%s", env, tool, args, errfile);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(r->out, 1, sizeof(r->out) - 1, p);
	r->out[n] = '\0';
	r->status = WEXITSTATUS(pclose(p));
	e = fopen(errfile, "r");
	n = fread(r->err, 1, sizeof(r->err) - 1, e);
	r->err[n] = '\0';
	fclose(e);
	unlink(errfile);
}

/* Runs the tool (with mock_cpuid.c) for the host @mock. */
static void run_tool(struct run *r, const char *mock, const char *args)
{
	char env[64];

	snprintf(env, sizeof(env), "KES_MOCK_HOST=%s", mock);
	run_cmd(r, env, "KES_GUEST_TOOL", args);
}

/* @r ended with status @code, and its standard error says @part. */
static void expect_err(const struct run *r, int code, const char *part)
{
	if (r->status != code || !strstr(r->err, part))
		fail_msg("exit %d, expected %d; stderr \"%s\" should have \"%s\"",
			 r->status, code, r->err, part);
}

/* Runs the tool with mock_course_host.c: a host that answers a layout only. */
static void run_course(struct run *r, const char *course, const char *args)
{
	char env[64];

	snprintf(env, sizeof(env), "KES_MOCK_COURSE=%s", course);
	run_cmd(r, env, "KES_COURSE_TOOL", args);
}

static struct run r;

/* The made-up count of @reason on @isa, as the table prints it. */
static uint64_t count_of(uint32_t isa, uint32_t reason)
{
	setup(&host, isa, 0xc);
	return host.stats.slot[doc_slot(isa, reason)].count;
}

/* The table's line of a reason, as the tool prints it: hex on SVM. */
static void table_line(char *buf, size_t n, uint32_t isa, uint32_t reason, const char *name,
		       const char *count)
{
	char num[16];

	if (isa == KVM_EXIT_STATS_SVM)
		snprintf(num, sizeof(num), "0x%03x", reason);
	else
		snprintf(num, sizeof(num), "%u", reason);
	snprintf(buf, n, "%10s  %-25s %14s", num, name, count);
}

static void tool_table(void **state)
{
	char want[256], count[32];

	(void)state;
	run_tool(&r, "svm:c:vm", "");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# host: isa=svm layout=c scope=vm user=no abi=1\n"
				      "# via the CPUID instruction\n"));
	snprintf(count, sizeof(count), "%llu", (unsigned long long)count_of(KVM_EXIT_STATS_SVM, 0x7c));
	table_line(want, sizeof(want), KVM_EXIT_STATS_SVM, 0x7c, "msr", count);
	assert_non_null(strstr(r.out, want));
	/* totals: the made-up 0x123456789abc exits, 0xfedcba9876543210 cycles */
	table_line(want, sizeof(want), KVM_EXIT_STATS_SVM, 0, "TOTAL", "20015998343868");
	assert_non_null(strstr(r.out, want + 10));
	assert_non_null(strstr(r.out, "20015998343868 18364758544493064720"));
	/* most frequent first: the highest slot seen among the defined reasons */
	assert_non_null(strstr(r.out, "AVG\n0xfffffffd  idle_required "));
	/* cpuid's made-up slot (0x72) was never seen: no row without -a */
	assert_null(strstr(r.out, " cpuid "));
	assert_null(strstr(r.out, " - "));	/* no -a: no reason without a count */
}

static void tool_all_marks_not_enabled(void **state)
{
	char want[256];

	(void)state;
	run_tool(&r, "vmx:c:system", "-a");
	assert_int_equal(r.status, 0);
	/* VMX reason 36 (MWAIT): made-up "not enabled" and never seen */
	table_line(want, sizeof(want), KVM_EXIT_STATS_VMX, 36, "MWAIT_INSTRUCTION", "-");
	strcat(want, "                  -          -\n");
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "# -: KVM does not enable this exit on the host"));
}

static void tool_json(void **state)
{
	char want[256];

	(void)state;
	run_tool(&r, "vmx:b:vm", "--json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"isa\":\"vmx\",\"layout\":\"b\",\"scope\":\"vm\",\"user\":false,"
				      "\"abi\":1,\"via\":\"instruction\",\"device\":null,"
				      "\"read_with_layout\":null,\"reasons\":["));
	setup(&host, KVM_EXIT_STATS_VMX, 0xb);
	snprintf(want, sizeof(want), "{\"reason\":10,\"name\":\"CPUID\",\"enabled\":true,\"count\":%llu,\"cycles\":%llu,",
		 (unsigned long long)host.stats.slot[10].count,
		 (unsigned long long)host.stats.slot[10].cycles);
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "\"unreadable\":0,"
				      "\"total_at_start\":{\"count\":20015998343868,\"cycles\":18364758544493064720},"
				      "\"total\":{\"count\":20015998343868,\"cycles\":18364758544493064720}}\n"));
}

static void tool_one_reason(void **state)
{
	char want[256];

	(void)state;
	setup(&host, KVM_EXIT_STATS_SVM, 0xc);
	snprintf(want, sizeof(want), "0x400 npf: count %llu cycles %llu avg %llu\n",
		 (unsigned long long)host.stats.slot[0xb0].count,
		 (unsigned long long)host.stats.slot[0xb0].cycles,
		 (unsigned long long)(host.stats.slot[0xb0].cycles / host.stats.slot[0xb0].count));
	run_tool(&r, "svm:c:system", "--reason npf");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:c:system", "--reason 0x400");
	assert_string_equal(r.out, want);
	/* names in any case: AMD's manual writes them in upper case */
	run_tool(&r, "svm:c:system", "--reason NPF");
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:c:system", "-r CPUID");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0x072 cpuid: "));
	run_tool(&r, "svm:c:system", "--reason 0xa7");
	assert_string_equal(r.out, "0x0a7: the svm manual does not define this exit reason\n");
	run_tool(&r, "svm:c:system", "--reason nosuch");
	expect_err(&r, 2, "\"nosuch\" is neither a number nor the name of an exit reason (of vmx or svm)");
	/* numbers are decimal or 0x hex: a leading zero is not octal */
	run_tool(&r, "vmx:c:system", "-r 010");
	assert_int_equal(r.status, 0);
	assert_true(!strncmp(r.out, "10 CPUID: count ", 16));
	run_tool(&r, "vmx:c:system", "-r 0X0a");
	assert_true(!strncmp(r.out, "10 CPUID: count ", 16));
	run_tool(&r, "vmx:c:system", "-r 012");
	assert_true(!strncmp(r.out, "12 HLT: count ", 14));
	run_tool(&r, "vmx:c:system", "--raw 010");
	assert_string_equal(r.out, "leaf 0x0000000a ecx 0x00000000: eax=00000000 ebx=00000000 ecx=00000000 edx=00000000\n");
	run_tool(&r, "vmx:c:system", "--raw 0x0x4ffffff0");
	assert_int_equal(r.status, 2);
	run_tool(&r, "vmx:c:system", "--raw ' 16'");
	assert_int_equal(r.status, 2);
	run_tool(&r, "vmx:c:system", "--raw +16");
	assert_int_equal(r.status, 2);
	run_tool(&r, "vmx:c:system", "--raw 0x");
	assert_int_equal(r.status, 2);
	/* one reason is one line: no -a, no --json */
	run_tool(&r, "svm:c:system", "--reason npf --json");
	expect_err(&r, 2, "--reason shows one reason in one line of text: it takes no -a or --json");
	assert_string_equal(r.out, "");
	run_tool(&r, "svm:c:system", "-a -r npf");
	expect_err(&r, 2, "--reason shows one reason in one line of text: it takes no -a or --json");
}

static void tool_layouts(void **state)
{
	char want[256], count[32];

	(void)state;
	setup(&host, KVM_EXIT_STATS_SVM, 0xa);
	snprintf(want, sizeof(want), "0x400 npf: count %llu\n",
		 (unsigned long long)(uint32_t)host.stats.slot[0xb0].count);
	run_tool(&r, "svm:a:system", "--layout a --reason npf");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:a:system", "--layout a");
	assert_non_null(strstr(r.out, "n/a"));
	/*
	 * A layout's counts are 32 bits: an average of a count that wrapped
	 * (the made-up ones are above 2^32) is n/a, never a wrong number.
	 */
	setup(&host, KVM_EXIT_STATS_SVM, 0xc);
	snprintf(count, sizeof(count), "%llu", (unsigned long long)(uint32_t)host.stats.slot[0x7c].count);
	table_line(want, sizeof(want), KVM_EXIT_STATS_SVM, 0x7c, "msr", count);
	snprintf(want + strlen(want), sizeof(want) - strlen(want), " %18llu %10s\n",
		 (unsigned long long)host.stats.slot[0x7c].cycles, "n/a");
	run_tool(&r, "svm:c:system", "--layout c");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "# AVG n/a: a layout's counts are 32 bits; the average is shown only when\n"
				      "# fewer than 2^32 cycles prove that the count has not wrapped around\n"));
	snprintf(want, sizeof(want), "0x400 npf: count %llu cycles %llu avg n/a\n",
		 (unsigned long long)(uint32_t)host.stats.slot[0xb0].count,
		 (unsigned long long)host.stats.slot[0xb0].cycles);
	run_tool(&r, "svm:c:system", "--layout c -r npf");
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:c:system", "--layout c --json");
	snprintf(want, sizeof(want), "{\"reason\":124,\"name\":\"msr\",\"enabled\":true,\"count\":%s,"
		 "\"cycles\":%llu,\"avg_cycles\":null}", count,
		 (unsigned long long)host.stats.slot[0x7c].cycles);
	assert_non_null(strstr(r.out, want));
	/* the 64-bit leaves' counts do not wrap: an average */
	run_tool(&r, "svm:c:system", "-r npf");
	assert_non_null(strstr(r.out, " avg "));
	assert_null(strstr(r.out, "n/a"));
	/* a host that says it answers another layout's leaves */
	run_tool(&r, "svm:c:system", "--layout a --reason npf");
	expect_err(&r, 1, "the host answers layout c's leaves, not a's: say --layout c");
	assert_string_equal(r.out, "");
	/* a reason no manual defines: never "(null)" */
	run_tool(&r, "vmx:b:system", "--layout b -r 0x7fffffff");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "2147483647: the vmx manual does not define this exit reason\n");
}

/*
 * A host without the signature leaf: --layout reads it if its totals move
 * (every CPUID is an exit), and refuses if they do not.
 */
static void tool_host_without_signature(void **state)
{
	unsigned long long start, end;
	const char *p;

	(void)state;
	run_course(&r, "vmx:c", "--layout c --json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"isa\":\"vmx\",\"via\":\"instruction\",\"device\":null,"
				      "\"read_with_layout\":\"c\",\"reasons\":[{\"reason\":"));
	p = strstr(r.out, "\"total_at_start\":{\"count\":");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "\"total_at_start\":{\"count\":%llu", &start), 1);
	p = strstr(r.out, "\"total\":{\"count\":");
	assert_int_equal(sscanf(p, "\"total\":{\"count\":%llu", &end), 1);
	assert_true(end > start);	/* the tool's own CPUIDs */
	run_course(&r, "svm:b", "--layout b");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# host without a signature leaf, read with layout b's leaves; isa svm\n"));
	run_course(&r, "vmx:b", "--layout b -r 0x7fffffff");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "2147483647: the vmx manual does not define this exit reason\n");
	/* a host that does not mark a reason no manual defines: a name all the same */
	run_course(&r, "vmx:b:plain", "--layout b -r 0x7fffffff");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "2147483647 UNKNOWN: count 0 cycles 0 avg 0\n");
	/* no leaves at all: the totals stay 0 */
	run_tool(&r, "none", "--layout c --isa vmx --cpuid-device /nonexistent");
	expect_err(&r, 1, "this host does not answer layout c's leaves: their total exits did not move");
	assert_string_equal(r.out, "");
	run_tool(&r, "none", "--layout b -r 0x7fffffff --cpuid-device /nonexistent");
	assert_int_equal(r.status, 1);
	assert_null(strstr(r.out, "(null)"));
	/* few cycles prove a count has not wrapped: an average */
	run_course(&r, "svm:c", "--layout c -r CPUID");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0x072 cpuid: count "));
	assert_null(strstr(r.out, "n/a"));
	/* the ISA from the CPU's vendor (AMD), names in any case */
	run_course(&r, "svm:a", "--layout a -r CPUID");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0x072 cpuid: count "));
}

#define DEV "/tmp/kes-mock-cpuid"

/*
 * Runs the tool for the host @mock (its CPUID instruction), with the made-up
 * cpuid device of mock_cpuid_device.c at DEV: @dev is "ISA:LAYOUT:SCOPE[:user]".
 */
static void run_dev(struct run *res, const char *mock, const char *dev, const char *args)
{
	char env[512];

	snprintf(env, sizeof(env), "KES_MOCK_HOST=%s ASAN_OPTIONS=verify_asan_link_order=0 "
		 "LD_PRELOAD=%s KES_MOCK_DEVICE=" DEV ":%s", mock, getenv("KES_MOCK_DEVICE_SO"), dev);
	run_cmd(res, env, "KES_GUEST_TOOL", args);
}

/*
 * When the instruction does not find the statistics (as for a guest's user
 * space on a host that allows only its kernel), the device does.
 */
static void tool_via_device(void **state)
{
	char want[256], count[32], env[512];

	(void)state;
	run_dev(&r, "none", "svm:c:vm:user", "--cpuid-device " DEV);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# host: isa=svm layout=c scope=vm user=yes abi=1\n"
				      "# via " DEV " (the kernel's cpuid driver)\n"));
	setup(&host, KVM_EXIT_STATS_SVM, 0xc);
	snprintf(count, sizeof(count), "%llu", (unsigned long long)host.stats.slot[0x7c].count);
	table_line(want, sizeof(want), KVM_EXIT_STATS_SVM, 0x7c, "msr", count);
	assert_non_null(strstr(r.out, want));
	/* SVM's codes -4..-1 are beyond the device's signed offsets */
	assert_non_null(strstr(r.out, "# 4 reasons at or above 0x80000000 cannot be read through the device"));
	run_dev(&r, "none", "svm:c:vm:user", "--cpuid-device " DEV " -a");
	table_line(want, sizeof(want), KVM_EXIT_STATS_SVM, 0xffffffff, "invalid_guest_state", "?");
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "# ?: 4 reasons at or above"));
	run_dev(&r, "none", "svm:c:vm:user", "--cpuid-device " DEV " --json");
	assert_non_null(strstr(r.out, "{\"isa\":\"svm\",\"layout\":\"c\",\"scope\":\"vm\",\"user\":true,"
				      "\"abi\":1,\"via\":\"device\",\"device\":\"" DEV "\","));
	assert_non_null(strstr(r.out, "\"unreadable\":4,"));
	run_dev(&r, "none", "vmx:b:system", "--cpuid-device " DEV " -r cpuid");
	assert_int_equal(r.status, 0);
	setup(&host, KVM_EXIT_STATS_VMX, 0xb);
	snprintf(want, sizeof(want), "10 CPUID: count %llu cycles %llu avg %llu\n",
		 (unsigned long long)host.stats.slot[10].count,
		 (unsigned long long)host.stats.slot[10].cycles,
		 (unsigned long long)(host.stats.slot[10].cycles / host.stats.slot[10].count));
	assert_string_equal(r.out, want);
	run_dev(&r, "none", "svm:c:vm", "--cpuid-device " DEV " -r 0xffffffff");
	expect_err(&r, 1, "0xffffffff cannot be read through the device: its offsets are signed");
	/* --via instruction does not look at the device */
	run_dev(&r, "none", "svm:c:vm", "--cpuid-device " DEV " --via instruction");
	assert_int_equal(r.status, 1);
	assert_null(strstr(r.err, "through " DEV ":"));
	/* --via device, though the instruction would find them */
	run_dev(&r, "svm:c:system", "svm:c:vm:user", "--cpuid-device " DEV " --via device --json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"scope\":\"vm\",\"user\":true,\"abi\":1,\"via\":\"device\""));
	run_dev(&r, "svm:c:system", "svm:c:vm:user", "--cpuid-device " DEV " --json");
	assert_non_null(strstr(r.out, "\"scope\":\"system\",\"user\":false,\"abi\":1,\"via\":\"instruction\""));
	/* the table says which device, without its control characters */
	snprintf(env, sizeof(env), "KES_MOCK_HOST=none ASAN_OPTIONS=verify_asan_link_order=0 "
		 "LD_PRELOAD=%s KES_MOCK_DEVICE=\"$(printf '" DEV "\\033x')\":svm:c:vm:user",
		 getenv("KES_MOCK_DEVICE_SO"));
	run_cmd(&r, env, "KES_GUEST_TOOL", "--cpuid-device \"$(printf '" DEV "\\033x')\"");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# via " DEV "?x (the kernel's cpuid driver)\n"));
	assert_null(strchr(r.out, '\033'));
}

static void tool_errors(void **state)
{
	(void)state;
	run_tool(&r, "none", "--cpuid-device /nonexistent/cpuid");
	expect_err(&r, 1, "this host provides no VM-exit statistics to this program");
	assert_non_null(strstr(r.err, "  - executed by this program (the CPUID instruction, from user space)\n"
				      "  - executed by the kernel through /nonexistent/cpuid: not there: load the "
				      "driver with modprobe cpuid\n"));
	assert_non_null(strstr(r.err, "CONFIG_KVM_EXIT_STATS"));
	assert_non_null(strstr(r.err, "kvm-exitstat --vm PID-FD --guest-access vm"));
	assert_non_null(strstr(r.err, "run this tool\n    as root with the cpuid module loaded (modprobe cpuid)"));
	assert_string_equal(r.out, "");
	run_tool(&r, "none", "--via device --cpuid-device /nonexistent/cpuid");
	expect_err(&r, 1, "cannot use /nonexistent/cpuid: not there: load the driver with modprobe cpuid");
	run_tool(&r, "none", "--cpuid-device /tmp");	/* a device that cannot be read */
	expect_err(&r, 1, "through /tmp: Is a directory");
	run_tool(&r, "svm:c:vm", "--layout z");
	expect_err(&r, 2, "--layout takes a, b or c, not \"z\"");
	run_tool(&r, "svm:c:vm", "--via cpu");
	expect_err(&r, 2, "--via takes instruction, device or auto, not \"cpu\"");
	run_tool(&r, "svm:c:vm", "--isa vmx");
	assert_int_equal(r.status, 2);
	run_tool(&r, "svm:c:vm", "--raw 0x4ffffff0");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "leaf 0x4ffffff0 ecx 0x00000000: eax=4fffffff ebx=454d564b ecx=53746978 edx=73746174\n");
	run_tool(&r, "svm:c:vm", "--raw 0x4ffffff2 0xa7");
	assert_string_equal(r.out, "leaf 0x4ffffff2 ecx 0x000000a7: eax=00000000 ebx=00000000 ecx=00000000 edx=ffffffff\n");
	run_tool(&r, "svm:c:vm", "--raw lots");
	assert_int_equal(r.status, 2);
	run_tool(&r, "svm:c:vm", "--dump");
	expect_err(&r, 1, "guest dumps are off (kvm.exit_stats_cpuid_dump=0)");
	run_tool(&r, "svm:c:vm", "--dump --raw 0");
	assert_int_equal(r.status, 2);
	run_tool(&r, "svm:c:vm", "extra");
	assert_int_equal(r.status, 2);
	/* control characters of the user's words and paths do not reach the terminal */
	run_tool(&r, "svm:c:vm", "--layout \"$(printf 'z\\033')\"");
	expect_err(&r, 2, "--layout takes a, b or c, not \"z?\"");
	run_tool(&r, "svm:c:vm", "-r \"$(printf 'x\\033]0;t\\007')\"");
	expect_err(&r, 2, "\"x?]0;t?\" is neither a number nor");
	run_tool(&r, "none", "--via device --cpuid-device \"$(printf '/no\\033such')\"");
	expect_err(&r, 1, "cannot use /no?such: not there");
	run_tool(&r, "none", "--cpuid-device \"$(printf '/no\\033such')\"");
	expect_err(&r, 1, "  - executed by the kernel through /no?such: not there");
	assert_non_null(strstr(r.err, "kernel reads them through /no?such.\n"));
	assert_null(strchr(r.err, '\033'));
}

/*
 * Arguments are checked before the host is asked anything: a bad one is
 * refused without a single CPUID (the stand-in fails on any with
 * KES_MOCK_NO_CPUID).
 */
static void tool_checks_arguments_first(void **state)
{
	static const struct { const char *args, *err; } bad[] = {
		{ "-r bogus", "\"bogus\" is neither a number nor the name of an exit reason (of vmx "
			      "or svm)" },
		{ "--reason 0x100000000", "\"0x100000000\" is neither a number nor the name" },
		{ "-r ''", "\"\" is neither a number nor the name" },
		{ "--layout c --isa vmx -r npf", "\"npf\" is neither a number nor a vmx exit reason name" },
		{ "--layout a --isa svm --reason EPT_VIOLATION",
		  "\"EPT_VIOLATION\" is neither a number nor a svm exit reason name" },
		{ "--raw lots", "--raw takes a leaf and an optional ECX, as 32-bit numbers" },
		{ "--raw 0x4ffffff0 0x1ffffffff", "--raw takes a leaf and an optional ECX" },
		{ "--layout z", "--layout takes a, b or c" },
		{ "--dump -a", "--dump takes no -a, --json or --layout" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_cmd(&r, "KES_MOCK_HOST=svm:c:vm KES_MOCK_NO_CPUID=1", "KES_GUEST_TOOL", bad[i].args);
		if (r.status != 2 || !strstr(r.err, bad[i].err) || strstr(r.err, "mock_cpuid"))
			fail_msg("%s: exit %d, \"%s\"; expected 2, \"%s\", no CPUID", bad[i].args,
				 r.status, r.err, bad[i].err);
		assert_string_equal(r.out, "");
	}
	/* the stand-in does fail on a CPUID: a good argument asks the host */
	run_cmd(&r, "KES_MOCK_HOST=svm:c:vm KES_MOCK_NO_CPUID=1", "KES_GUEST_TOOL", "-r npf");
	expect_err(&r, 98, "mock_cpuid: CPUID 0x4ffffff0 executed");
	/* a name of the other ISA: known once the host says its ISA */
	run_tool(&r, "svm:c:vm", "-r EPT_VIOLATION");
	expect_err(&r, 2, "\"EPT_VIOLATION\" is neither a number nor a svm exit reason name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_says_what_host_is),
		cmocka_unit_test(readings_match_the_host),
		cmocka_unit_test(undefined_reasons_say_so),
		cmocka_unit_test(tool_table),
		cmocka_unit_test(tool_all_marks_not_enabled),
		cmocka_unit_test(tool_json),
		cmocka_unit_test(tool_one_reason),
		cmocka_unit_test(tool_layouts),
		cmocka_unit_test(tool_host_without_signature),
		cmocka_unit_test(tool_via_device),
		cmocka_unit_test(tool_errors),
		cmocka_unit_test(tool_checks_arguments_first),
	};

	return cmocka_run_group_tests_name("guest tool", tests, NULL, NULL);
}
