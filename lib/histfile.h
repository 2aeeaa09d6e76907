/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit_stats_hist text format (docs/interfaces.md): parse it, look
 * reasons up, and read percentiles off a histogram.
 *
 *   # isa=svm tsc_khz=2994000 buckets=32
 *   # reason name kind bucket_0 ... bucket_31: TSC cycles 0, [1,2), [2,4), ..., [2^30,inf)
 *   114 cpuid e2e 0 0 0 0 0 0 0 0 0 0 12 1988 ...
 *   114 cpuid kvm 0 0 0 0 0 0 0 0 0 0 2000 0 ...
 *   - other e2e ...
 *
 * Bucket 0 counts times of 0 cycles, bucket i > 0 those in [2^(i-1), 2^i),
 * the last one every time from 2^30 on (KVM's LOG_HIST).  Only reasons
 * with exits have lines; "other" holds the reasons a vCPU had no room for.
 */
#ifndef KES_HISTFILE_H
#define KES_HISTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit_reasons.h"
#include "statsfile.h"

#define KES_HIST_BUCKETS 32

enum kes_hist_kind { KES_HIST_E2E, KES_HIST_KVM, KES_HIST_KINDS };

struct kes_hist_row {
	bool other;		/* the reasons without a histogram of their own */
	uint32_t reason;	/* if not other */
	char name[KES_NAME_MAX];
	uint64_t b[KES_HIST_KINDS][KES_HIST_BUCKETS];
};

struct kes_hists {
	enum kes_isa isa;
	uint64_t tsc_khz;
	size_t nrows;
	struct kes_hist_row *rows;	/* increasing reason order, "other" last */
};

/* Parses @len bytes of @text into @h: 0, or -1 with the line's error in @err. */
int kes_hists_parse(const char *text, size_t len, struct kes_hists *h, char *err,
		    size_t errlen);

/* Reads and parses the file at @path: 0, KES_FILE_MALFORMED or a negative errno. */
int kes_hists_load(const char *path, struct kes_hists *h, char *err, size_t errlen);

void kes_hists_free(struct kes_hists *h);

/* The row of @reason, or NULL. */
const struct kes_hist_row *kes_hists_row(const struct kes_hists *h, uint32_t reason);

/* The times bucket @i holds: [*lo, *hi), *hi = UINT64_MAX for the last. */
void kes_hist_bounds(unsigned int i, uint64_t *lo, uint64_t *hi);

/* The sum of the buckets of @b. */
uint64_t kes_hist_sum(const uint64_t *b);

/*
 * The q-quantile of @b (0 < q <= 1) as the bucket bounds [*lo, *hi) it
 * falls in: a histogram tells no more.  false if @b is empty.
 */
bool kes_hist_quantile(const uint64_t *b, double q, uint64_t *lo, uint64_t *hi);

#endif /* KES_HISTFILE_H */
