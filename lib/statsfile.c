// SPDX-License-Identifier: GPL-2.0
/* Parser of the exit_stats text format: strict, with line-numbered errors. */
#include "statsfile.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textfile.h"

#define UNLISTED_PREFIX "# unlisted unknown reasons (counted in TOTAL): "

static bool is_unlisted(const char *s, const char *e)
{
	return (size_t)(e - s) >= strlen(UNLISTED_PREFIX) &&
	       !strncmp(s, UNLISTED_PREFIX, strlen(UNLISTED_PREFIX));
}

/*
 * The unlisted line into @st; there is one at most (@seen: already).  With
 * the time split, its exits' timed and parts follow their count and cycles.
 */
static int parse_unlisted(struct kes_cursor *c, const char *s, const char *e, bool *seen,
			  int *split_seen, struct kes_stats *st)
{
	static const char *const keys[] = { "count=", "cycles=", "timed=", "user=", "blocked=",
					     "preempted=" };
	struct kes_stat *u = &st->unlisted;
	uint64_t *v[] = { &u->count, &u->cycles, &u->timed, &u->user, &u->blocked,
			  &u->preempted };
	const char *f[6], *fe[6];
	int i, n, want;

	if (*seen)
		return kes_fail(c, "a second unlisted line: there is one at most");
	*seen = true;
	s += strlen(UNLISTED_PREFIX);
	n = kes_split(s, e, f, fe, 6);
	if (*split_seen < 0 && (n == 2 || n == 6))
		*split_seen = n == 6;
	st->split = *split_seen > 0;
	want = st->split ? 6 : 2;
	for (i = 0; n == want && i < n; i++) {
		size_t k = strlen(keys[i]);

		if ((size_t)(fe[i] - f[i]) <= k || strncmp(f[i], keys[i], k) ||
		    !kes_parse_u64(f[i] + k, fe[i], UINT64_MAX, v[i]))
			break;
	}
	if (n != want || i != n)
		return kes_fail(c, "malformed unlisted line: expected count=N cycles=N%s",
			    st->split ? " timed=N user=N blocked=N preempted=N" : "");
	if (!st->split)
		u->timed = u->count;
	u->e2e = u->cycles + u->user + u->blocked + u->preempted;
	if (u->timed > u->count)
		return kes_fail(c, "unlisted: timed %llu is above count %llu",
			    (unsigned long long)u->timed, (unsigned long long)u->count);
	return 0;
}

/*
 * One exit's cycles are at most the cycles of all: for a row with exits
 * timed, cycles_min <= cycles_max and cycles_min <= cycles_total.
 * (cycles_max may exceed cycles_total: a field read later may include exits
 * that an earlier one does not, docs/interfaces.md.)
 */
static int check_min_max(struct kes_cursor *c, const struct kes_stat *s)
{
	if (s->min > s->max)
		return kes_fail(c, "cycles_min %llu is above cycles_max %llu",
			    (unsigned long long)s->min, (unsigned long long)s->max);
	if (s->min > s->cycles)
		return kes_fail(c, "cycles_min %llu is above cycles_total %llu",
			    (unsigned long long)s->min, (unsigned long long)s->cycles);
	return 0;
}

/*
 * The time split of a row: no more exits timed than counted, no times
 * without an exit timed, exit-to-entry exactly the time in KVM plus the
 * parts, and its longest at least the longest time in KVM.
 */
static int check_split(struct kes_cursor *c, const struct kes_stat *s)
{
	uint64_t e2e;

	if (s->timed > s->count)
		return kes_fail(c, "timed %llu is above count %llu", (unsigned long long)s->timed,
			    (unsigned long long)s->count);
	if (!s->timed && (s->cycles || s->min || s->max || s->e2e || s->e2e_max))
		return kes_fail(c, "no exit timed but the times are not 0");
	if (__builtin_add_overflow(s->cycles, s->user, &e2e) ||
	    __builtin_add_overflow(e2e, s->blocked, &e2e) ||
	    __builtin_add_overflow(e2e, s->preempted, &e2e) || e2e != s->e2e)
		return kes_fail(c, "e2e_total %llu is not cycles_total + user_total + blocked_total + preempted_total",
			    (unsigned long long)s->e2e);
	if (s->timed && s->e2e_max < s->max)
		return kes_fail(c, "e2e_max %llu is below cycles_max %llu: an exit's time in KVM is part of its exit-to-entry",
			    (unsigned long long)s->e2e_max, (unsigned long long)s->max);
	return 0;
}

/*
 * A row: 12 fields with the time split, or 6 (a kernel from before it),
 * as many as the file's first row has (@split: -1 while unknown).
 */
static int parse_row(struct kes_cursor *c, const char *s, const char *e, struct kes_stats *st,
		     int *split_seen, struct kes_row *row, bool *is_total)
{
	static const char *const what[] = { "count", "cycles_total", "cycles_min", "cycles_max",
					    "timed", "e2e_total", "e2e_max", "user_total",
					    "blocked_total", "preempted_total" };
	uint64_t *v[] = { &row->s.count, &row->s.cycles, &row->s.min, &row->s.max,
			  &row->s.timed, &row->s.e2e, &row->s.e2e_max, &row->s.user,
			  &row->s.blocked, &row->s.preempted };
	const char *f[12], *fe[12];
	uint64_t reason;
	int i, n;

	memset(&row->s, 0, sizeof(row->s));
	n = kes_split(s, e, f, fe, 12);
	if (*split_seen < 0 && (n == 6 || n == 12))
		*split_seen = n == 12;
	if (*split_seen < 0 || n != (*split_seen ? 12 : 6))
		return kes_fail(c, "expected %s fields \"REASON NAME COUNT CYCLES_TOTAL CYCLES_MIN CYCLES_MAX%s\"%s, found %s%d",
			    *split_seen == 0 ? "6" : "12",
			    *split_seen == 0 ? "" :
			    " TIMED E2E_TOTAL E2E_MAX USER_TOTAL BLOCKED_TOTAL PREEMPTED_TOTAL",
			    *split_seen < 0 ? " (6 from a kernel before the time split)" :
			    " as the file's first row", n > 12 ? "more than " : "", n > 12 ? 12 : n);
	st->split = *split_seen > 0;
	if (kes_parse_name(c, f[1], fe[1], row->name, sizeof(row->name)))
		return -1;

	*is_total = fe[0] - f[0] == 1 && *f[0] == '-';
	if (*is_total) {
		if (strcmp(row->name, "TOTAL"))
			return kes_fail(c, "a row with REASON \"-\" must be the TOTAL row");
		row->reason = 0;
	} else if (!kes_parse_u64(f[0], fe[0], UINT32_MAX, &reason)) {
		return kes_fail(c, "REASON is not a decimal number below 2^32");
	} else {
		row->reason = (uint32_t)reason;
		if (kes_check_name(c, st->isa, row->reason, row->name))
			return -1;
	}
	for (i = 0; i < n - 2; i++)
		if (!kes_parse_u64(f[2 + i], fe[2 + i], UINT64_MAX, v[i]))
			return kes_fail(c, "%s is not a decimal number below 2^64", what[i]);
	if (!row->s.count && (row->s.cycles || row->s.min || row->s.max || row->s.timed ||
			      row->s.e2e || row->s.e2e_max || row->s.user || row->s.blocked ||
			      row->s.preempted))
		return kes_fail(c, "count is 0 but the cycles are not");
	if (!st->split)
		row->s.timed = row->s.count;
	else if (check_split(c, &row->s))
		return -1;
	return *is_total ? 0 : check_min_max(c, &row->s);	/* TOTAL: check_total() */
}

static int grow(struct kes_stats *st, size_t *cap)
{
	struct kes_row *rows;
	size_t ncap = *cap ? *cap * 2 : 128;

	rows = realloc(st->rows, ncap * sizeof(*rows));
	if (!rows)
		return -1;
	st->rows = rows;
	*cap = ncap;
	return 0;
}

/* @a += @b, false if that overflows 2^64. */
static bool add(uint64_t *a, uint64_t b)
{
	return !__builtin_add_overflow(*a, b, a);
}

/*
 * TOTAL is the sum of the rows and the unlisted exits, without overflowing
 * 2^64; its min and max (and e2e_max) are the rows' of exits timed (the
 * unlisted exits have none of their own in the file, so with them TOTAL's
 * may only be wider).
 */
static int check_total(struct kes_cursor *c, const struct kes_stats *st)
{
	struct kes_stat sum = st->unlisted;
	const struct kes_stat *t = &st->total;
	bool unlisted = st->unlisted.count > 0;
	uint64_t min = UINT64_MAX, max = 0, e2e_max = 0;
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		const struct kes_stat *s = &st->rows[i].s;

		if (!add(&sum.count, s->count))
			return kes_fail(c, "the rows' counts add up to more than 2^64");
		if (!add(&sum.cycles, s->cycles))
			return kes_fail(c, "the rows' cycles add up to more than 2^64");
		if (!add(&sum.timed, s->timed) || !add(&sum.e2e, s->e2e) || !add(&sum.user, s->user) ||
		    !add(&sum.blocked, s->blocked) || !add(&sum.preempted, s->preempted))
			return kes_fail(c, "the rows' times add up to more than 2^64");
		if (s->timed && s->min < min)
			min = s->min;
		if (s->timed && s->max > max)
			max = s->max;
		if (s->timed && s->e2e_max > e2e_max)
			e2e_max = s->e2e_max;
	}
	if (!unlisted && st->unlisted.cycles)
		return kes_fail(c, "the unlisted line has cycles but no exits");
	if (sum.count != t->count)
		return kes_fail(c, "TOTAL count %llu is not the sum of the rows, %llu",
			    (unsigned long long)t->count, (unsigned long long)sum.count);
	if (sum.cycles != t->cycles)
		return kes_fail(c, "TOTAL cycles %llu are not the sum of the rows, %llu",
			    (unsigned long long)t->cycles, (unsigned long long)sum.cycles);
	if (st->split && (sum.timed != t->timed || sum.e2e != t->e2e || sum.user != t->user ||
			  sum.blocked != t->blocked || sum.preempted != t->preempted))
		return kes_fail(c, "TOTAL's timed, e2e_total, user_total, blocked_total or preempted_total is not the sum of the rows");
	if (sum.timed && !unlisted && (t->min != min || t->max != max))
		return kes_fail(c, "TOTAL min %llu and max %llu are not the rows' min %llu and max %llu",
			    (unsigned long long)t->min, (unsigned long long)t->max,
			    (unsigned long long)min, (unsigned long long)max);
	if (unlisted && (t->min > min || t->max < max))
		return kes_fail(c, "TOTAL min %llu and max %llu do not cover the rows' min %llu and max %llu",
			    (unsigned long long)t->min, (unsigned long long)t->max,
			    (unsigned long long)min, (unsigned long long)max);
	if (st->split && (unlisted ? t->e2e_max < e2e_max : t->e2e_max != e2e_max))
		return kes_fail(c, "TOTAL e2e_max %llu is not the rows' %llu",
			    (unsigned long long)t->e2e_max, (unsigned long long)e2e_max);
	return check_min_max(c, t);	/* all there is to check when every exit is unlisted */
}

int kes_stats_parse(const char *text, size_t len, struct kes_stats *st,
		    char *err, size_t errlen)
{
	struct kes_cursor c = { text, text + len, 0, err, errlen };
	bool total = false, unlisted = false;
	int split_seen = -1, more;
	const char *p, *e;
	size_t cap = 0;

	memset(st, 0, sizeof(*st));
	while ((more = kes_next_line(&c, &p, &e)) > 0) {
		struct kes_row row;
		bool is_total = false;

		if (c.line == 1) {
			if (kes_parse_header(&c, p, e, &st->isa, &st->tsc_khz, NULL, NULL))
				goto bad;
		} else if (total) {
			kes_fail(&c, "text after the TOTAL row, which must be the last");
			goto bad;
		} else if (*p == '#') {
			if (is_unlisted(p, e) && parse_unlisted(&c, p, e, &unlisted, &split_seen, st))
				goto bad;
		} else {
			if (parse_row(&c, p, e, st, &split_seen, &row, &is_total))
				goto bad;
			if (is_total) {
				st->total = row.s;
				total = true;
				if (check_total(&c, st))
					goto bad;
			} else {
				if (st->nrows && row.reason <= st->rows[st->nrows - 1].reason) {
					kes_fail(&c, "REASON %u is not above the previous row's %u",
					     row.reason, st->rows[st->nrows - 1].reason);
					goto bad;
				}
				if (st->nrows == cap && grow(st, &cap)) {
					kes_fail(&c, "out of memory");
					goto bad;
				}
				st->rows[st->nrows++] = row;
			}
		}
	}
	if (more < 0)
		goto bad;
	if (!c.line) {
		snprintf(err, errlen, "empty: expected the header \"# isa=vmx|svm tsc_khz=N\"");
		goto bad;
	}
	if (!total) {
		c.line++;
		kes_fail(&c, "the TOTAL row is missing: the file is truncated");
		goto bad;
	}
	return 0;
bad:
	kes_stats_free(st);
	return -1;
}

static int parse(const char *text, size_t len, void *st, char *err, size_t errlen)
{
	return kes_stats_parse(text, len, st, err, errlen);
}

int kes_stats_read(int fd, const char *name, struct kes_stats *st, char *err, size_t errlen)
{
	memset(st, 0, sizeof(*st));
	return kes_read_file(fd, name, "exit_stats", parse, st, err, errlen);
}

int kes_stats_load(const char *path, struct kes_stats *st, char *err, size_t errlen)
{
	memset(st, 0, sizeof(*st));
	return kes_load_file(path, "exit_stats", parse, st, err, errlen);
}

void kes_stats_free(struct kes_stats *st)
{
	free(st->rows);
	st->rows = NULL;
	st->nrows = 0;
}

const struct kes_row *kes_stats_row(const struct kes_stats *st, uint32_t reason)
{
	size_t lo = 0, hi = st->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->rows[mid].reason == reason)
			return &st->rows[mid];
		if (st->rows[mid].reason < reason)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t kes_stats_count(const struct kes_stats *st, uint32_t reason)
{
	const struct kes_row *r = kes_stats_row(st, reason);

	return r ? r->s.count : 0;
}
