// SPDX-License-Identifier: GPL-2.0
/*
 * Scopes: each VM's file shows its own exits and no other VM's; the
 * system-wide file is exactly the departed VMs plus the live ones, and
 * keeps a VM's counts after that VM is destroyed.
 */
#include <errno.h>
#include <unistd.h>

#include "lab_test.h"

/* For every reason: after == before + a + b (rows matched by reason). */
static bool check_sum(const struct kes_stats *after, const struct kes_stats *before,
		      const struct kes_stats *a, const struct kes_stats *b,
		      const char *what)
{
	bool ok = true;
	size_t r;

	for (r = 0; r < after->nrows; r++) {
		uint32_t reason = after->rows[r].reason;

		ok &= check_u64(kes_stats_count(after, reason),
				kes_stats_count(before, reason) + kes_stats_count(a, reason) +
				(b ? kes_stats_count(b, reason) : 0),
				"%s: %s", what, after->rows[r].name);
	}
	ok &= check_u64(after->total.count, before->total.count + a->total.count +
			(b ? b->total.count : 0), "%s: TOTAL", what);
	return ok;
}

static bool same_stats(const struct kes_stats *x, const struct kes_stats *y,
		       const char *what)
{
	return check_sum(x, y, &(struct kes_stats){ .isa = y->isa }, NULL, what);
}

int main(void)
{
	struct wl_spec a = { .vcpus = 1 }, b = { .vcpus = 1 };
	struct kes_stats s0, sr, s1, s2, s3, a0, a1, b0, b1, b2;
	struct wl_vm *vma, *vmb;
	struct tp_counts tp;
	char path[128];
	size_t r;
	bool ok;

	a.n[WL_CPUID] = 3000;
	b.n[WL_IO] = 700;
	b.n[WL_RDMSR] = 300;

	ksft_print_header();
	ksft_set_plan(4);

	stats_load(SYSTEM_STATS, &s0);
	vma = wl_create(&a);
	vmb = wl_create(&b);
	stats_load_vm(vma, &a0);
	stats_load_vm(vmb, &b0);
	stats_load(SYSTEM_STATS, &sr);
	tp_start();
	wl_run(vma);
	wl_run(vmb);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s1);
	stats_load_vm(vma, &a1);
	stats_load_vm(vmb, &b1);

	ok = check_workload_deltas(&a0, &a1, vma, "VM A (CPUID)");
	ok &= check_workload_deltas(&b0, &b1, vmb, "VM B (IO, RDMSR)");
	for (r = 0; r < s1.nrows; r++) {
		uint32_t reason = s1.rows[r].reason;

		ok &= check_u64(stats_delta(&a0, &a1, reason) + stats_delta(&b0, &b1, reason),
				tp_count(&tp, reason), "VM A + VM B: %s, against the tracepoint",
				s1.rows[r].name);
	}
	ksft_test_result(ok, "each VM's file shows exactly its own workload\n");

	ok = check_sum(&s1, &s0, &a1, &b1, "system-wide = before + VM A + VM B");
	ok &= check_matches_tracepoint(&sr, &s1, &tp, "system-wide");
	ksft_test_result(ok, "system-wide is the sum of the VMs, exactly\n");

	wl_destroy(vma);
	stats_load(SYSTEM_STATS, &s2);
	stats_load_vm(vmb, &b2);
	snprintf(path, sizeof(path), "%s", wl_stats_path(vmb));	/* for after it is gone */
	ok = same_stats(&s2, &s1, "system-wide after VM A is destroyed");
	ok &= same_stats(&b2, &b1, "VM B after VM A is destroyed");
	ksft_test_result(ok, "a destroyed VM's exits remain in the system-wide file\n");

	wl_destroy(vmb);
	stats_load(SYSTEM_STATS, &s3);
	ok = same_stats(&s3, &s1, "system-wide after both VMs are destroyed");
	ok &= check(access(path, F_OK) && errno == ENOENT,
		    "%s still exists after its VM was destroyed", path);
	ksft_test_result(ok, "after both VMs are gone, system-wide keeps every exit\n");

	kes_stats_free(&s0);
	kes_stats_free(&sr);
	kes_stats_free(&s1);
	kes_stats_free(&s2);
	kes_stats_free(&s3);
	kes_stats_free(&a0);
	kes_stats_free(&a1);
	kes_stats_free(&b0);
	kes_stats_free(&b1);
	kes_stats_free(&b2);
	ksft_finished();
}
