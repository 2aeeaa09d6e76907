// SPDX-License-Identifier: GPL-2.0
/*
 * The guest ABI's register filling, tested on the kernel's own code: the
 * kernel change's exit_stats_abi.c is compiled here as it is (with a tiny
 * stand-in for <linux/types.h>) and checked against this file's own,
 * independent reading of docs/guest-abi.md: every ECX classified right
 * (undefined / not enabled / counted), every register right, no
 * out-of-bounds access (this program runs under ASan and UBSan).
 *
 * Built twice: as test_cpuid_abi (ASan, UBSan) it covers every ECX below
 * 2^20 and the boundaries of every 16-bit and 32-bit range, on every leaf
 * of every layout; as test_cpuid_sweep (-O2, -DKES_FULL_SWEEP) it sweeps
 * all 2^32 ECX values on the per-reason leaves, for both ISAs.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "abi_fixture.h"
#include "exit_reasons.h"

/* The class docs/guest-abi.md gives @reason, from the project's reason table. */
static enum kvm_exit_stats_class doc_class(const struct fixture *f, uint32_t reason)
{
	uint32_t slot = doc_slot(f->v.isa, reason);

	if (slot == UINT32_MAX || !kes_reason_name(f->v.isa, reason))
		return KVM_EXIT_STATS_REASON_UNDEFINED;
	if (!made_up_enabled(slot) && !f->stats.slot[slot].count)
		return KVM_EXIT_STATS_REASON_NOT_ENABLED;
	return KVM_EXIT_STATS_REASON_COUNTED;
}

enum meaning {
	M_KVM, M_SIGNATURE, M_INFO, M_TOTAL_COUNT32, M_TOTAL_COUNT, M_TOTAL_CYCLES,
	M_TOTAL_BOTH, M_REASON_COUNT32, M_REASON_COUNT, M_REASON_CYCLES, M_REASON_INFO, M_DUMP,
};

/* docs/guest-abi.md, the leaf table. */
static enum meaning doc_meaning(uint32_t layout, uint32_t leaf)
{
	switch (leaf) {
	case 0x4ffffff0: return M_SIGNATURE;
	case 0x4ffffff1: return M_INFO;
	case 0x4ffffff2: return M_REASON_COUNT;
	case 0x4ffffff3: return M_REASON_CYCLES;
	case 0x4ffffff4: return M_TOTAL_COUNT;
	case 0x4ffffff5: return M_TOTAL_CYCLES;
	case 0x4ffffff6: return M_DUMP;
	case 0x4ffffff7: return M_REASON_INFO;
	}
	if (layout == 0xa)
		return leaf == 0x4fffffff ? M_TOTAL_BOTH : leaf == 0x4ffffffe ? M_REASON_COUNT32 : M_KVM;
	if (layout == 0xb)
		return leaf == 0x4fffffff ? M_TOTAL_COUNT32 : leaf == 0x4ffffffe ? M_TOTAL_CYCLES :
		       leaf == 0x4ffffffd ? M_REASON_COUNT32 : leaf == 0x4ffffffc ? M_REASON_CYCLES : M_KVM;
	if (layout == 0xc)
		return leaf == 0x4ffffffc ? M_TOTAL_COUNT32 : leaf == 0x4ffffffd ? M_TOTAL_CYCLES :
		       leaf == 0x4ffffffe ? M_REASON_COUNT32 : leaf == 0x4fffffff ? M_REASON_CYCLES : M_KVM;
	return M_KVM;
}

struct regs {
	uint32_t a, b, c, d;
};

static struct regs doc_answer(const struct fixture *f, uint32_t leaf, uint32_t ecx)
{
	enum meaning m = doc_meaning(f->v.layout, leaf);
	struct regs r = { 0, 0, 0, 0 };
	uint64_t v;

	switch (m) {
	case M_SIGNATURE:
		return (struct regs){ 0x4fffffff, 0x454d564b, 0x53746978, 0x73746174 };
	case M_INFO:
		return (struct regs){ 1, f->v.isa, f->v.layout, f->v.scope | f->v.flags };
	case M_TOTAL_COUNT32:
		return (struct regs){ (uint32_t)f->total_count, 0, 0, 0 };
	case M_TOTAL_COUNT:
		return (struct regs){ 0, f->total_count >> 32, (uint32_t)f->total_count, 0 };
	case M_TOTAL_CYCLES:
		return (struct regs){ 0, f->total_cycles >> 32, (uint32_t)f->total_cycles, 0 };
	case M_TOTAL_BOTH:
		return (struct regs){ (uint32_t)f->total_count, f->total_cycles >> 32,
				      (uint32_t)f->total_cycles, 0 };
	case M_REASON_COUNT32:
	case M_REASON_COUNT:
	case M_REASON_CYCLES:
	case M_REASON_INFO:
		break;
	default:
		return r;
	}
	switch (doc_class(f, ecx)) {
	case KVM_EXIT_STATS_REASON_UNDEFINED:
		r.d = 0xffffffff;
		return r;
	default:
		if (m != M_REASON_INFO)
			break;
		r.a = 1;
		r.b = made_up_enabled(doc_slot(f->v.isa, ecx));
		r.c = f->stats.slot[doc_slot(f->v.isa, ecx)].count != 0;
		return r;
	}
	switch (doc_class(f, ecx)) {
	case KVM_EXIT_STATS_REASON_UNDEFINED:
		return r;
	case KVM_EXIT_STATS_REASON_NOT_ENABLED:
		return r;
	case KVM_EXIT_STATS_REASON_COUNTED:
		break;
	}
	v = m == M_REASON_CYCLES ? f->stats.slot[doc_slot(f->v.isa, ecx)].cycles :
				   f->stats.slot[doc_slot(f->v.isa, ecx)].count;
	if (m == M_REASON_COUNT32)
		r.a = (uint32_t)v;
	else
		r.b = v >> 32, r.c = (uint32_t)v;
	return r;
}

static const uint32_t isas[] = { KVM_EXIT_STATS_VMX, KVM_EXIT_STATS_SVM };

#ifndef KES_FULL_SWEEP

static const uint32_t layouts[] = { 0xa, 0xb, 0xc };

/* Asks the kernel's code; false (with a message) if it differs from the doc. */
static bool ask(const struct fixture *f, uint32_t leaf, uint32_t ecx)
{
	struct kvm_exit_stats_regs k;
	struct regs want = doc_answer(f, leaf, ecx);
	enum meaning m = doc_meaning(f->v.layout, leaf);
	uint64_t count, cycles;

	if (kvm_exit_stats_cpuid_leaf(f->v.layout, leaf) != (m != M_KVM)) {
		print_error("layout %#x leaf %#x: claimed %d, the doc says %d\n", f->v.layout,
			    leaf, kvm_exit_stats_cpuid_leaf(f->v.layout, leaf), m != M_KVM);
		return false;
	}
	if (m == M_KVM || m == M_DUMP)
		return true;	/* KVM's own, or the caller's side effect */
	if (m >= M_REASON_COUNT32 && m <= M_REASON_INFO &&
	    kvm_exit_stats_classify(&f->v, ecx, &count, &cycles) != doc_class(f, ecx)) {
		print_error("isa %u: reason %#x classified %d, the doc says %d\n", f->v.isa, ecx,
			    kvm_exit_stats_classify(&f->v, ecx, &count, &cycles), doc_class(f, ecx));
		return false;
	}
	memset(&k, 0x5a, sizeof(k));
	kvm_exit_stats_cpuid_fill(&f->v, leaf, ecx, &k);
	if (k.eax != want.a || k.ebx != want.b || k.ecx != want.c || k.edx != want.d) {
		print_error("isa %u layout %#x leaf %#x ecx %#x: %08x %08x %08x %08x, the doc says %08x %08x %08x %08x\n",
			    f->v.isa, f->v.layout, leaf, ecx, k.eax, k.ebx, k.ecx, k.edx,
			    want.a, want.b, want.c, want.d);
		return false;
	}
	return true;
}

/* Every ECX below 2^20 and each 16-bit boundary, on every leaf of every layout. */
static void every_value_on_every_leaf(void **state)
{
	static struct fixture f;
	size_t i, j;
	uint32_t leaf, k, e;

	(void)state;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 3; j++) {
			setup(&f, isas[i], layouts[j]);
			for (leaf = 0x4fffffe8; leaf <= 0x4fffffff; leaf++) {
				bool per_reason = doc_meaning(layouts[j], leaf) >= M_REASON_COUNT32 &&
						  doc_meaning(layouts[j], leaf) <= M_REASON_INFO;
				uint32_t below = per_reason ? 1u << 20 : 64;

				for (e = 0; e < below; e++)
					if (!ask(&f, leaf, e))
						fail();
				for (k = 1; k <= 0xffff && per_reason; k++) {
					uint32_t edge = k << 16;

					if (!ask(&f, leaf, edge - 1) || !ask(&f, leaf, edge) ||
					    !ask(&f, leaf, edge + 1))
						fail();
				}
				if (!ask(&f, leaf, 0xffffffff) || !ask(&f, leaf, 0xfffffffe) ||
				    !ask(&f, leaf, 0x7fffffff) || !ask(&f, leaf, 0x80000000))
					fail();
			}
		}
	}
}

/* Reasons the manuals define are counted, not enabled or undefined as told. */
static void classes_of_known_reasons(void **state)
{
	static struct fixture f;
	uint64_t count, cycles;

	(void)state;
	setup(&f, KVM_EXIT_STATS_VMX, 0xc);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 35, &count, &cycles),
			 KVM_EXIT_STATS_REASON_UNDEFINED);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 10, &count, &cycles),
			 KVM_EXIT_STATS_REASON_COUNTED);
	assert_int_equal(count, f.stats.slot[10].count);
	assert_int_equal(cycles, f.stats.slot[10].cycles);
	/* slot 36 (MWAIT): made-up "not enabled" and never seen */
	assert_int_equal(kvm_exit_stats_classify(&f.v, 36, &count, &cycles),
			 KVM_EXIT_STATS_REASON_NOT_ENABLED);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 0x10000 + 10, &count, &cycles),
			 KVM_EXIT_STATS_REASON_UNDEFINED);
	setup(&f, KVM_EXIT_STATS_SVM, 0xc);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 0xffffffff, &count, &cycles),
			 KVM_EXIT_STATS_REASON_COUNTED);
	assert_int_equal(count, f.stats.slot[0xb0 + 16].count);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 0x400, &count, &cycles),
			 KVM_EXIT_STATS_REASON_COUNTED);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 0xa7, &count, &cycles),
			 KVM_EXIT_STATS_REASON_UNDEFINED);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 0x404, &count, &cycles),
			 KVM_EXIT_STATS_REASON_UNDEFINED);
	assert_int_equal(kvm_exit_stats_classify(&f.v, 0xfffffffb, &count, &cycles),
			 KVM_EXIT_STATS_REASON_UNDEFINED);
}

/*
 * Constant cost: a query asks the source only for what it answers.  A
 * per-reason leaf reads that one reason (and whether KVM enables it, when it
 * has no exits, or for the info leaf), a totals leaf the totals, the
 * signature and info leaves nothing; an undefined reason nothing.
 */
static void asks_only_what_it_answers(void **state)
{
	static struct fixture f;
	struct kvm_exit_stats_regs r;
	uint32_t leaf;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		setup(&f, KVM_EXIT_STATS_SVM, layouts[i]);
		for (leaf = 0x4ffffff0; leaf <= 0x4fffffff; leaf++) {
			enum meaning m = doc_meaning(layouts[i], leaf);
			bool per_reason = m >= M_REASON_COUNT32 && m <= M_REASON_INFO;
			bool totals = m >= M_TOTAL_COUNT32 && m <= M_TOTAL_BOTH;

			if (m == M_KVM || m == M_DUMP)
				continue;
			f.slot_calls = f.total_calls = f.enabled_calls = 0;
			kvm_exit_stats_cpuid_fill(&f.v, leaf, 0x7c, &r);	/* counted */
			assert_int_equal(f.slot_calls, per_reason);
			assert_int_equal(f.total_calls, totals);
			assert_int_equal(f.enabled_calls, m == M_REASON_INFO);
			f.slot_calls = f.total_calls = f.enabled_calls = 0;
			kvm_exit_stats_cpuid_fill(&f.v, leaf, 0x72, &r);	/* no exits */
			assert_int_equal(f.slot_calls, per_reason);
			assert_int_equal(f.enabled_calls, per_reason + (m == M_REASON_INFO));
			f.slot_calls = f.total_calls = f.enabled_calls = 0;
			kvm_exit_stats_cpuid_fill(&f.v, leaf, 0xa7, &r);	/* undefined */
			assert_int_equal(f.slot_calls + f.enabled_calls, 0);
		}
	}
}

/* The kernel's names and slots agree with the project's table, both ways. */
static void names_and_slots(void **state)
{
	size_t i, j, n;
	uint32_t s;

	(void)state;
	assert_true(kvm_exit_stats_tables_fit_slots());
	for (i = 0; i < 2; i++) {
		const struct kes_reason *t = kes_reasons(isas[i], &n);

		for (j = 0; j < n; j++) {
			assert_string_equal(kvm_exit_stats_reason_name(isas[i], t[j].nr), t[j].name);
			s = kvm_exit_stats_slot(isas[i], t[j].nr);
			assert_int_equal(s, doc_slot(isas[i], t[j].nr));
			assert_int_equal(kvm_exit_stats_slot_reason(isas[i], s), t[j].nr);
		}
	}
	assert_null(kvm_exit_stats_reason_name(0, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_slots),
		cmocka_unit_test(classes_of_known_reasons),
		cmocka_unit_test(asks_only_what_it_answers),
		cmocka_unit_test(every_value_on_every_leaf),
	};

	return cmocka_run_group_tests_name("guest ABI (CPUID) register filling", tests, NULL, NULL);
}

#else /* KES_FULL_SWEEP */

struct sweep {
	uint32_t isa;
	uint64_t from, to;	/* [from, to) */
	uint64_t bad;
};

/*
 * The 64-bit count leaf: its answer shows the class and the whole value.
 * The layouts' per-reason leaves share the classification and differ only
 * in where the value goes, which test_cpuid_abi checks on every leaf.
 */
static void *sweep_part(void *arg)
{
	struct sweep *s = arg;
	struct fixture *f = malloc(sizeof(*f));
	struct kvm_exit_stats_regs k;
	struct regs want;
	uint64_t e;

	setup(f, s->isa, 0xc);
	for (e = s->from; e < s->to; e++) {
		kvm_exit_stats_cpuid_fill(&f->v, 0x4ffffff2, (uint32_t)e, &k);
		want = doc_answer(f, 0x4ffffff2, (uint32_t)e);
		if (k.eax != want.a || k.ebx != want.b || k.ecx != want.c || k.edx != want.d) {
			print_error("isa %u ecx %#llx: %08x %08x %08x %08x, the doc says %08x %08x %08x %08x\n",
				    s->isa, (unsigned long long)e, k.eax, k.ebx, k.ecx, k.edx,
				    want.a, want.b, want.c, want.d);
			if (++s->bad > 5)
				break;
		}
	}
	free(f);
	return NULL;
}

/* All 2^32 ECX values, on two threads, for each ISA. */
static void all_ecx_values(void **state)
{
	size_t i, t;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct sweep s[2] = { { isas[i], 0, 1ULL << 31, 0 },
				      { isas[i], 1ULL << 31, 1ULL << 32, 0 } };
		pthread_t tid[2];

		for (t = 0; t < 2; t++)
			assert_int_equal(pthread_create(&tid[t], NULL, sweep_part, &s[t]), 0);
		for (t = 0; t < 2; t++)
			pthread_join(tid[t], NULL);
		assert_int_equal(s[0].bad + s[1].bad, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_ecx_values),
	};

	return cmocka_run_group_tests_name("guest ABI: all 2^32 ECX values", tests, NULL, NULL);
}

#endif /* KES_FULL_SWEEP */
