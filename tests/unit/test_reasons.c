// SPDX-License-Identifier: GPL-2.0
/*
 * The reason tables (reasons/exit_stats_reasons.h) against independent
 * sources: the manuals' tables transcribed in tests/data, and the kernel's
 * own names (VMX_EXIT_REASONS, SVM_EXIT_REASONS in the 6.12 uapi headers).
 *
 * Environment: KES_TEST_DATA (tests/data), KES_KERNEL_SRC (a 6.12 tree).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "exit_reasons.h"
#include "statsfile.h"
#include "test_util.h"

/* Numbers listed in a transcription of a manual's table. */
static size_t read_manual(const char *file, uint32_t *nr, size_t max)
{
	FILE *f = open_data("KES_TEST_DATA", file);
	char line[256];
	size_t n = 0;

	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < max);
		nr[n++] = (uint32_t)strtoul(line, NULL, 0);
	}
	fclose(f);
	return n;
}

/* The table's entries that are KVM's own, not the manual's. */
static const struct kes_reason kvm_own[] = {
#define EXIT_STATS_VMX_REASON(nr, name)
#define EXIT_STATS_VMX_KVM_REASON(nr, name) { nr, name },
#include "exit_stats_reasons.h"
};
#define NR_KVM_OWN (sizeof(kvm_own) / sizeof(kvm_own[0]))

static bool is_kvm_own(enum kes_isa isa, uint32_t nr)
{
	size_t i;

	for (i = 0; isa == KES_ISA_VMX && i < NR_KVM_OWN; i++)
		if (kvm_own[i].nr == nr)
			return true;
	return false;
}

static void check_against_manual(enum kes_isa isa, const char *file)
{
	uint32_t manual[512];
	size_t n = read_manual(file, manual, 512), i, ntable;
	const struct kes_reason *t = kes_reasons(isa, &ntable);

	for (i = 0; i < n; i++) {
		if (!kes_reason_name(isa, manual[i]))
			fail_msg("%s reason %u (0x%x), defined in %s, is missing from the table",
				 kes_isa_name(isa), manual[i], manual[i], file);
	}
	for (i = 0; i < ntable; i++) {
		size_t j;

		for (j = 0; j < n && manual[j] != t[i].nr; j++)
			;
		if (j == n && !is_kvm_own(isa, t[i].nr))
			fail_msg("%s reason %u (%s) is in the table but not in %s",
				 kes_isa_name(isa), t[i].nr, t[i].name, file);
	}
	assert_int_equal(ntable, n + (isa == KES_ISA_VMX ? NR_KVM_OWN : 0));
}

/*
 * KVM's own VMX reason, VMFAIL, is the number KVM's vmx.c writes for a
 * VMLAUNCH/VMRESUME that failed: "vmx->exit_reason.full =
 * EXIT_REASON_UNDEFINED", which asm/vmx.h defines.
 */
static void vmx_vmfail_is_kvms(void **state)
{
	FILE *f = open_data("KES_KERNEL_SRC", "arch/x86/kvm/vmx/vmx.c");
	struct defines *d = defines_new();
	char line[512];
	long long undefined = -1;
	uint32_t nr;
	bool found = false;

	(void)state;
	assert_int_equal(NR_KVM_OWN, 1);
	assert_int_equal(kes_reason_by_name(KES_ISA_VMX, "VMFAIL", &nr), 0);
	assert_int_equal(nr, kvm_own[0].nr);
	while (fgets(line, sizeof(line), f))
		found |= strstr(line, "exit_reason.full = EXIT_REASON_UNDEFINED;") != NULL;
	fclose(f);
	if (!found)
		fail_msg("arch/x86/kvm/vmx/vmx.c never writes EXIT_REASON_UNDEFINED as the exit reason");
	defines_load(d, "arch/x86/include/asm/vmx.h");
	assert_true(defines_get(d, "EXIT_REASON_UNDEFINED", &undefined));
	defines_free(d);
	if (undefined != nr)
		fail_msg("KVM's EXIT_REASON_UNDEFINED is %#llx, the table's VMFAIL %#x", undefined, nr);
}

static void vmx_matches_sdm(void **state)
{
	(void)state;
	check_against_manual(KES_ISA_VMX, "sdm-vmx-basic-exit-reasons.txt");
}

static void svm_matches_apm(void **state)
{
	(void)state;
	check_against_manual(KES_ISA_SVM, "apm-svm-exit-codes.txt");
}

static void check_sorted_unique(enum kes_isa isa)
{
	size_t i, j, n;
	const struct kes_reason *t = kes_reasons(isa, &n);

	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		const char *c;

		if (i > 0 && t[i].nr <= t[i - 1].nr)
			fail_msg("%s: %u follows %u: not in increasing order, or twice",
				 kes_isa_name(isa), t[i].nr, t[i - 1].nr);
		assert_true(strlen(t[i].name) > 0 && strlen(t[i].name) < KES_NAME_MAX);
		for (c = t[i].name; *c; c++)
			if (!isgraph((unsigned char)*c))
				fail_msg("%s: the name \"%s\" has a space or control character",
					 kes_isa_name(isa), t[i].name);
		/* names are looked up in any case: unique in any case too */
		for (j = 0; j < i; j++)
			if (!strcasecmp(t[i].name, t[j].name))
				fail_msg("%s: the name %s is used twice (%s)", kes_isa_name(isa),
					 t[i].name, t[j].name);
	}
}

static void tables_sorted_unique(void **state)
{
	(void)state;
	check_sorted_unique(KES_ISA_VMX);
	check_sorted_unique(KES_ISA_SVM);
}

/* The kernel's names: its "{ CONST[ + CONST], "name" }" entries, resolved. */
static void check_kernel_names(enum kes_isa isa, const char *header, const char *list)
{
	struct defines *d = defines_new();
	char line[512];
	FILE *f;
	bool in = false;
	int checked = 0;

	defines_load(d, "arch/x86/include/uapi/asm/kvm.h");	/* *_VECTOR */
	defines_load(d, header);
	f = open_data("KES_KERNEL_SRC", header);
	while (fgets(line, sizeof(line), f)) {
		char a[64], b[64] = "", name[64], *s;
		long long va, vb = 0;
		uint32_t nr;
		const char *ours;

		if (strstr(line, list) && strstr(line, "#define"))
			in = true;
		if (!in)
			continue;
		s = strchr(line, '{');
		if (s && (sscanf(s, "{ %63[A-Z0-9_] + %63[A-Z0-9_] , \"%63[^\"]\"", a, b, name) == 3 ||
			  sscanf(s, "{ %63[A-Z0-9_] , \"%63[^\"]\"", a, name) == 2)) {
			assert_true(defines_get(d, a, &va));
			if (*b)
				assert_true(defines_get(d, b, &vb));
			nr = (uint32_t)(va + vb);
			ours = kes_reason_name(isa, nr);
			for (s = name; *s; s++)
				if (*s == ' ')
					*s = '_';
			if (!strncmp(a, "SVM_VMGEXIT_", 12)) {
				/* Software-defined GHCB codes, not exit codes. */
				assert_null(ours);
				continue;
			}
			if (!ours || strcmp(ours, name))
				fail_msg("%s reason %u: the kernel names it %s, the table %s",
					 kes_isa_name(isa), nr, name, ours ? ours : "(nothing)");
			checked++;
		}
		if (!strchr(line, '\\'))
			in = false;
	}
	fclose(f);
	defines_free(d);
	assert_true(checked > 50);
}

static void vmx_names_as_kernel(void **state)
{
	(void)state;
	check_kernel_names(KES_ISA_VMX, "arch/x86/include/uapi/asm/vmx.h", "VMX_EXIT_REASONS");
}

static void svm_names_as_kernel(void **state)
{
	(void)state;
	check_kernel_names(KES_ISA_SVM, "arch/x86/include/uapi/asm/svm.h", "SVM_EXIT_REASONS");
}

static void undefined_reasons(void **state)
{
	static const uint32_t vmx[] = { 35, 38, 42, 80, 81, 84, 0xffff, 0x10000, 0xffffffff };
	static const uint32_t svm[] = { 0xa7, 0xff, 0x100, 0x3ff, 0x404, 0xf0000000,
					0x80000001, 0xfffffffb };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vmx) / sizeof(vmx[0]); i++)
		assert_null(kes_reason_name(KES_ISA_VMX, vmx[i]));
	for (i = 0; i < sizeof(svm) / sizeof(svm[0]); i++)
		assert_null(kes_reason_name(KES_ISA_SVM, svm[i]));
	assert_null(kes_reason_name(KES_ISA_NONE, 10));
}

static void lookups(void **state)
{
	uint32_t nr;

	(void)state;
	assert_string_equal(kes_reason_name(KES_ISA_VMX, 10), "CPUID");
	assert_string_equal(kes_reason_name(KES_ISA_SVM, 0x72), "cpuid");
	assert_string_equal(kes_reason_name(KES_ISA_SVM, 0xffffffff), "invalid_guest_state");
	assert_string_equal(kes_reason_name(KES_ISA_SVM, 0x40), "DE_excp");
	assert_int_equal(kes_reason_by_name(KES_ISA_VMX, "EPT_VIOLATION", &nr), 0);
	assert_int_equal(nr, 48);
	assert_int_equal(kes_reason_by_name(KES_ISA_SVM, "npf", &nr), 0);
	assert_int_equal(nr, 0x400);
	/* in any case: the manuals write SVM's names in upper case */
	assert_int_equal(kes_reason_by_name(KES_ISA_SVM, "CPUID", &nr), 0);
	assert_int_equal(nr, 0x72);
	assert_int_equal(kes_reason_by_name(KES_ISA_VMX, "ept_violation", &nr), 0);
	assert_int_equal(nr, 48);
	assert_int_equal(kes_reason_by_name(KES_ISA_SVM, "cpuid2", &nr), -1);
	assert_int_equal(kes_isa_parse("vmx"), KES_ISA_VMX);
	assert_int_equal(kes_isa_parse("svm"), KES_ISA_SVM);
	assert_int_equal(kes_isa_parse("VMX"), KES_ISA_NONE);
	assert_int_equal(kes_isa_parse(""), KES_ISA_NONE);
	assert_int_equal(kes_isa_parse(NULL), KES_ISA_NONE);
	assert_string_equal(kes_isa_name(KES_ISA_SVM), "svm");
	assert_null(kes_isa_name(KES_ISA_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmx_matches_sdm),
		cmocka_unit_test(vmx_vmfail_is_kvms),
		cmocka_unit_test(svm_matches_apm),
		cmocka_unit_test(tables_sorted_unique),
		cmocka_unit_test(vmx_names_as_kernel),
		cmocka_unit_test(svm_names_as_kernel),
		cmocka_unit_test(undefined_reasons),
		cmocka_unit_test(lookups),
	};

	return cmocka_run_group_tests_name("reason tables", tests, NULL, NULL);
}
