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
			kes_probe(host_cpuid, &h);
			assert_true(h.found);
			assert_int_equal(h.abi, 1);
			assert_int_equal(h.isa, isas[i]);
			assert_int_equal(h.layout, l);
			assert_int_equal(h.scope, KES_SCOPE_VM);
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
			struct kes_reader rd = { host_cpuid, l };
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
			assert_int_equal(count, l ? (uint32_t)host.v.total_count : host.v.total_count);
			assert_int_equal(cycles, host.v.total_cycles);
		}
	}
}

static void undefined_reasons_say_so(void **state)
{
	struct kes_reader rd = { host_cpuid, 0 };
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

/* Runs the tool (with the stand-in CPUID) for the host @mock. */
static void run_tool(struct run *r, const char *mock, const char *args)
{
	const char *tool = getenv("KES_GUEST_TOOL");
	char cmd[1024], errfile[] = "/tmp/kes-guest-tool-XXXXXX";
	FILE *p, *e;
	size_t n;
	int fd;

	assert_non_null(tool);
	fd = mkstemp(errfile);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "KES_MOCK_HOST=%s %s %s 2>%s", mock, tool, args, errfile);
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

static struct run r;

/* The made-up count of @reason on @isa, as the table prints it. */
static uint64_t count_of(uint32_t isa, uint32_t reason)
{
	setup(&host, isa, 0xc);
	return host.stats.slot[doc_slot(isa, reason)].count;
}

static void tool_table(void **state)
{
	char want[256];

	(void)state;
	run_tool(&r, "svm:c:vm", "");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# host: isa=svm layout=c scope=vm abi=1\n"));
	snprintf(want, sizeof(want), "%10u  %-26s %14llu", 0x7c, "msr",
		 (unsigned long long)count_of(KVM_EXIT_STATS_SVM, 0x7c));
	assert_non_null(strstr(r.out, want));
	/* totals: the made-up 0x123456789abc exits, 0xfedcba9876543210 cycles */
	assert_non_null(strstr(r.out, "TOTAL                      20015998343868 18364758544493064720"));
	/* most frequent first: the highest slot seen among the defined reasons */
	assert_non_null(strstr(r.out, "AVG\n4294967293  idle_required "));
	/* cpuid's made-up slot (0x72) was never seen: no row without -a */
	assert_null(strstr(r.out, " cpuid "));
	assert_null(strstr(r.out, " - "));	/* no -a: no reason without a count */
}

static void tool_all_marks_not_enabled(void **state)
{
	(void)state;
	run_tool(&r, "vmx:c:system", "-a");
	assert_int_equal(r.status, 0);
	/* VMX reason 36 (MWAIT): made-up "not enabled" and never seen */
	assert_non_null(strstr(r.out, "        36  MWAIT_INSTRUCTION                       -                  -          -\n"));
	assert_non_null(strstr(r.out, "# -: KVM does not enable this exit on the host"));
}

static void tool_json(void **state)
{
	char want[256];

	(void)state;
	run_tool(&r, "vmx:b:vm", "--json");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"isa\":\"vmx\",\"layout\":\"b\",\"scope\":\"vm\",\"abi\":1,"));
	setup(&host, KVM_EXIT_STATS_VMX, 0xb);
	snprintf(want, sizeof(want), "{\"reason\":10,\"name\":\"CPUID\",\"enabled\":true,\"count\":%llu,\"cycles\":%llu,",
		 (unsigned long long)host.stats.slot[10].count,
		 (unsigned long long)host.stats.slot[10].cycles);
	assert_non_null(strstr(r.out, want));
	assert_non_null(strstr(r.out, "\"total_at_start\":{\"count\":20015998343868,\"cycles\":18364758544493064720},"
				      "\"total\":{\"count\":20015998343868,\"cycles\":18364758544493064720}}\n"));
}

static void tool_one_reason(void **state)
{
	char want[256];

	(void)state;
	setup(&host, KVM_EXIT_STATS_SVM, 0xc);
	snprintf(want, sizeof(want), "1024 npf: count %llu cycles %llu avg %llu\n",
		 (unsigned long long)host.stats.slot[0xb0].count,
		 (unsigned long long)host.stats.slot[0xb0].cycles,
		 (unsigned long long)(host.stats.slot[0xb0].cycles / host.stats.slot[0xb0].count));
	run_tool(&r, "svm:c:system", "--reason npf");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:c:system", "--reason 0x400");
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:c:system", "--reason 0xa7");
	assert_string_equal(r.out, "167: the svm manual does not define this exit reason\n");
	run_tool(&r, "svm:c:system", "--reason nosuch");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "\"nosuch\" is neither a number nor a svm exit reason name"));
}

static void tool_course_layouts(void **state)
{
	char want[256];

	(void)state;
	setup(&host, KVM_EXIT_STATS_SVM, 0xa);
	snprintf(want, sizeof(want), "1024 npf: count %llu\n",
		 (unsigned long long)(uint32_t)host.stats.slot[0xb0].count);
	run_tool(&r, "svm:a:system", "--layout a --reason npf");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, want);
	run_tool(&r, "svm:a:system", "--layout a");
	assert_non_null(strstr(r.out, "n/a"));
	run_tool(&r, "svm:c:system", "--layout a --reason npf");
	assert_non_null(strstr(r.err, "warning: the host answers with layout c, not a"));
	/* a host of the course, without the signature leaf: it falls to --layout */
	run_tool(&r, "none", "--layout c --isa vmx");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "# host of the course, layout c, isa vmx"));
}

static void tool_errors(void **state)
{
	(void)state;
	run_tool(&r, "none", "");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "this host provides no VM-exit statistics"));
	assert_non_null(strstr(r.err, "CONFIG_KVM_EXIT_STATS"));
	assert_string_equal(r.out, "");
	run_tool(&r, "svm:c:vm", "--layout z");
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--layout takes a, b or c, not \"z\""));
	run_tool(&r, "svm:c:vm", "--raw 0x4ffffff0");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "leaf 0x4ffffff0 ecx 0x00000000: eax=4fffffff ebx=454d564b ecx=53746978 edx=73746174\n");
	run_tool(&r, "svm:c:vm", "--raw 0x4ffffff2 0xa7");
	assert_string_equal(r.out, "leaf 0x4ffffff2 ecx 0x000000a7: eax=00000000 ebx=00000000 ecx=00000000 edx=ffffffff\n");
	run_tool(&r, "svm:c:vm", "--raw lots");
	assert_int_equal(r.status, 2);
	run_tool(&r, "svm:c:vm", "--dump");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "guest dumps are off (kvm.exit_stats_cpuid_dump=0)"));
	run_tool(&r, "svm:c:vm", "extra");
	assert_int_equal(r.status, 2);
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
		cmocka_unit_test(tool_course_layouts),
		cmocka_unit_test(tool_errors),
	};

	return cmocka_run_group_tests_name("guest tool", tests, NULL, NULL);
}
