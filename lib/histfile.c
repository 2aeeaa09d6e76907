// SPDX-License-Identifier: GPL-2.0
/* Parser of the exit_stats_hist text format: strict, with line-numbered errors. */
#include "histfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"

static const char *const kinds[KES_HIST_KINDS] = { "e2e", "kvm" };

/* A line "REASON NAME KIND B0 ... B31" (REASON "-" and NAME "other": the rest). */
static int parse_line(struct kes_cursor *c, const char *s, const char *e,
		      const struct kes_hists *h, struct kes_hist_row *row, int *kind)
{
	const char *f[KES_HIST_BUCKETS + 3], *fe[KES_HIST_BUCKETS + 3];
	uint64_t reason, sum = 0;
	int i, n;

	memset(row, 0, sizeof(*row));
	n = kes_split(s, e, f, fe, KES_HIST_BUCKETS + 3);
	if (n != KES_HIST_BUCKETS + 3)
		return kes_fail(c, "expected %d fields \"REASON NAME KIND\" and %d buckets, found %s%d",
				KES_HIST_BUCKETS + 3, KES_HIST_BUCKETS,
				n > KES_HIST_BUCKETS + 3 ? "more than " : "",
				n > KES_HIST_BUCKETS + 3 ? KES_HIST_BUCKETS + 3 : n);
	if (kes_parse_name(c, f[1], fe[1], row->name, sizeof(row->name)))
		return -1;
	row->other = fe[0] - f[0] == 1 && *f[0] == '-';
	if (row->other) {
		if (strcmp(row->name, "other"))
			return kes_fail(c, "a line with REASON \"-\" must be named \"other\"");
	} else if (!kes_parse_u64(f[0], fe[0], UINT32_MAX, &reason)) {
		return kes_fail(c, "REASON is not a decimal number below 2^32");
	} else {
		row->reason = (uint32_t)reason;
		if (kes_check_name(c, h->isa, row->reason, row->name))
			return -1;
	}
	for (*kind = 0; *kind < KES_HIST_KINDS; (*kind)++)
		if ((size_t)(fe[2] - f[2]) == strlen(kinds[*kind]) &&
		    !strncmp(f[2], kinds[*kind], strlen(kinds[*kind])))
			break;
	if (*kind == KES_HIST_KINDS)
		return kes_fail(c, "KIND is neither e2e nor kvm");
	for (i = 0; i < KES_HIST_BUCKETS; i++)
		if (!kes_parse_u64(f[3 + i], fe[3 + i], UINT64_MAX, &row->b[*kind][i]) ||
		    __builtin_add_overflow(sum, row->b[*kind][i], &sum))
			return kes_fail(c, "bucket %d is not a decimal number, or the buckets add up to more than 2^64",
					i);
	if (!sum)
		return kes_fail(c, "a line of empty buckets: the kernel writes none");
	return 0;
}

/* Same reason (or both "other") as @row. */
static bool same(const struct kes_hist_row *a, const struct kes_hist_row *b)
{
	return a->other == b->other && (a->other || a->reason == b->reason);
}

/*
 * Adds the line's @kind of @row to @h: a reason's e2e line comes first, its
 * kvm line next; reasons in increasing order, "other" last.
 */
static int add_line(struct kes_cursor *c, struct kes_hists *h, const struct kes_hist_row *row,
		    int kind, size_t *cap)
{
	struct kes_hist_row *last = h->nrows ? &h->rows[h->nrows - 1] : NULL;

	if (last && same(last, row)) {
		if (kind != KES_HIST_KVM || kes_hist_sum(last->b[KES_HIST_KVM]))
			return kes_fail(c, "a second %s line of the same reason", kinds[kind]);
		memcpy(last->b[KES_HIST_KVM], row->b[KES_HIST_KVM], sizeof(last->b[0]));
		return 0;
	}
	if (last && (last->other || (!row->other && row->reason <= last->reason)))
		return kes_fail(c, "REASON is not above the previous line's (\"other\" comes last)");
	if (last && !kes_hist_sum(last->b[KES_HIST_KVM]))
		return kes_fail(c, "the previous reason has no kvm line");
	if (kind != KES_HIST_E2E)
		return kes_fail(c, "a reason's e2e line comes before its kvm line");
	if (h->nrows == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct kes_hist_row *rows = realloc(h->rows, ncap * sizeof(*rows));

		if (!rows)
			return kes_fail(c, "out of memory");
		h->rows = rows;
		*cap = ncap;
	}
	h->rows[h->nrows++] = *row;
	return 0;
}

/*
 * Every exit timed is in both histograms of its reason: their sums are
 * equal.
 */
static int check_sums(struct kes_cursor *c, const struct kes_hist_row *row)
{
	if (kes_hist_sum(row->b[KES_HIST_E2E]) != kes_hist_sum(row->b[KES_HIST_KVM]))
		return kes_fail(c, "%s: the e2e buckets add up to %llu, the kvm buckets to %llu",
				row->name, (unsigned long long)kes_hist_sum(row->b[KES_HIST_E2E]),
				(unsigned long long)kes_hist_sum(row->b[KES_HIST_KVM]));
	return 0;
}

int kes_hists_parse(const char *text, size_t len, struct kes_hists *h, char *err,
		    size_t errlen)
{
	struct kes_cursor c = { text, text + len, 0, err, errlen };
	uint64_t buckets = 0;
	const char *s, *e;
	size_t cap = 0;
	int more;

	memset(h, 0, sizeof(*h));
	while ((more = kes_next_line(&c, &s, &e)) > 0) {
		struct kes_hist_row row;
		int kind = KES_HIST_E2E;

		if (c.line == 1) {
			if (kes_parse_header(&c, s, e, &h->isa, &h->tsc_khz, "buckets", &buckets))
				goto bad;
			if (buckets != KES_HIST_BUCKETS) {
				kes_fail(&c, "buckets=%llu: this reader knows %d",
					 (unsigned long long)buckets, KES_HIST_BUCKETS);
				goto bad;
			}
		} else if (s < e && *s == '#') {
			continue;
		} else if (parse_line(&c, s, e, h, &row, &kind) ||
			   add_line(&c, h, &row, kind, &cap)) {
			goto bad;
		} else if (kind == KES_HIST_KVM && check_sums(&c, &h->rows[h->nrows - 1])) {
			goto bad;
		}
	}
	if (more < 0)
		goto bad;
	if (!c.line) {
		snprintf(err, errlen, "empty: expected the header \"# isa=vmx|svm tsc_khz=N buckets=%d\"",
			 KES_HIST_BUCKETS);
		goto bad;
	}
	if (h->nrows && !kes_hist_sum(h->rows[h->nrows - 1].b[KES_HIST_KVM])) {
		c.line++;
		kes_fail(&c, "the last reason has no kvm line: the file is truncated");
		goto bad;
	}
	return 0;
bad:
	kes_hists_free(h);
	return -1;
}

static int parse(const char *text, size_t len, void *h, char *err, size_t errlen)
{
	return kes_hists_parse(text, len, h, err, errlen);
}

int kes_hists_load(const char *path, struct kes_hists *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	return kes_load_file(path, "exit_stats_hist", parse, h, err, errlen);
}

void kes_hists_free(struct kes_hists *h)
{
	free(h->rows);
	h->rows = NULL;
	h->nrows = 0;
}

const struct kes_hist_row *kes_hists_row(const struct kes_hists *h, uint32_t reason)
{
	size_t i;

	for (i = 0; i < h->nrows; i++)
		if (!h->rows[i].other && h->rows[i].reason == reason)
			return &h->rows[i];
	return NULL;
}

void kes_hist_bounds(unsigned int i, uint64_t *lo, uint64_t *hi)
{
	*lo = i ? 1ULL << (i - 1) : 0;
	*hi = i == KES_HIST_BUCKETS - 1 ? UINT64_MAX : 1ULL << i;
}

uint64_t kes_hist_sum(const uint64_t *b)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < KES_HIST_BUCKETS; i++)
		sum += b[i];
	return sum;
}

bool kes_hist_quantile(const uint64_t *b, double q, uint64_t *lo, uint64_t *hi)
{
	uint64_t sum = kes_hist_sum(b), seen = 0, rank;
	unsigned int i;

	if (!sum)
		return false;
	/* The smallest rank r with r >= q * sum: the exit at that place in order. */
	rank = (uint64_t)(q * (double)sum);
	if ((double)rank < q * (double)sum)
		rank++;
	if (rank < 1)
		rank = 1;
	for (i = 0; i < KES_HIST_BUCKETS - 1; i++) {
		seen += b[i];
		if (seen >= rank)
			break;
	}
	kes_hist_bounds(i, lo, hi);
	return true;
}
