// SPDX-License-Identifier: GPL-2.0
/* Parser of the exit_stats text format: strict, with line-numbered errors. */
#include "statsfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNLISTED_PREFIX "# unlisted unknown reasons (counted in TOTAL): "
#define UNKNOWN_NAME "UNKNOWN"
/* A stats file has a few hundred rows; anything far bigger is not one. */
#define MAX_FILE_SIZE (1u << 20)

struct cursor {
	const char *p, *end;
	unsigned int line;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3))) fail(struct cursor *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->errlen, "line %u: ", c->line);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Parses all of [s, e) as a decimal number no larger than @max. */
static bool parse_u64(const char *s, const char *e, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (s == e || e - s > 20)
		return false;
	for (; s < e; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return false;
		d = (unsigned int)(*s - '0');
		if (x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

/* Splits [s, e) at single spaces into at most @max fields. */
static int split(const char *s, const char *e, const char **f, const char **fe, int max)
{
	int n = 0;

	while (n < max) {
		const char *sp = memchr(s, ' ', (size_t)(e - s));

		f[n] = s;
		fe[n] = sp ? sp : e;
		n++;
		if (!sp)
			return n;
		s = sp + 1;
	}
	return n + 1;	/* more than @max */
}

static int parse_header(struct cursor *c, const char *s, const char *e,
			struct kes_stats *st)
{
	const char *f[3], *fe[3];
	char isa[8];
	size_t n;

	if (split(s, e, f, fe, 3) != 3 || fe[0] - f[0] != 1 || *f[0] != '#' ||
	    fe[1] - f[1] < 4 || strncmp(f[1], "isa=", 4) ||
	    fe[2] - f[2] < 8 || strncmp(f[2], "tsc_khz=", 8))
		return fail(c, "expected the header \"# isa=vmx|svm tsc_khz=N\"");
	n = (size_t)(fe[1] - f[1] - 4);
	if (n >= sizeof(isa))
		return fail(c, "unknown isa: expected vmx or svm");
	memcpy(isa, f[1] + 4, n);
	isa[n] = '\0';
	st->isa = kes_isa_parse(isa);
	if (st->isa == KES_ISA_NONE)
		return fail(c, "unknown isa \"%s\": expected vmx or svm", isa);
	if (!parse_u64(f[2] + 8, fe[2], UINT64_MAX, &st->tsc_khz))
		return fail(c, "tsc_khz is not a decimal number");
	if (st->tsc_khz > KES_TSC_KHZ_MAX)
		return fail(c, "tsc_khz=%llu is no TSC frequency: more than 100 GHz (%u kHz)",
			    (unsigned long long)st->tsc_khz, KES_TSC_KHZ_MAX);
	return 0;
}

static bool is_unlisted(const char *s, const char *e)
{
	return (size_t)(e - s) >= strlen(UNLISTED_PREFIX) &&
	       !strncmp(s, UNLISTED_PREFIX, strlen(UNLISTED_PREFIX));
}

/*
 * The unlisted line into @st; there is one at most (@seen: already).  With
 * the time split, its exits' timed and parts follow their count and cycles.
 */
static int parse_unlisted(struct cursor *c, const char *s, const char *e, bool *seen,
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
		return fail(c, "a second unlisted line: there is one at most");
	*seen = true;
	s += strlen(UNLISTED_PREFIX);
	n = split(s, e, f, fe, 6);
	if (*split_seen < 0 && (n == 2 || n == 6))
		*split_seen = n == 6;
	st->split = *split_seen > 0;
	want = st->split ? 6 : 2;
	for (i = 0; n == want && i < n; i++) {
		size_t k = strlen(keys[i]);

		if ((size_t)(fe[i] - f[i]) <= k || strncmp(f[i], keys[i], k) ||
		    !parse_u64(f[i] + k, fe[i], UINT64_MAX, v[i]))
			break;
	}
	if (n != want || i != n)
		return fail(c, "malformed unlisted line: expected count=N cycles=N%s",
			    st->split ? " timed=N user=N blocked=N preempted=N" : "");
	if (!st->split)
		u->timed = u->count;
	u->e2e = u->cycles + u->user + u->blocked + u->preempted;
	if (u->timed > u->count)
		return fail(c, "unlisted: timed %llu is above count %llu",
			    (unsigned long long)u->timed, (unsigned long long)u->count);
	return 0;
}

/*
 * One exit's cycles are at most the cycles of all: for a row with exits
 * timed, cycles_min <= cycles_max and cycles_min <= cycles_total.
 * (cycles_max may exceed cycles_total: a field read later may include exits
 * that an earlier one does not, docs/interfaces.md.)
 */
static int check_min_max(struct cursor *c, const struct kes_stat *s)
{
	if (s->min > s->max)
		return fail(c, "cycles_min %llu is above cycles_max %llu",
			    (unsigned long long)s->min, (unsigned long long)s->max);
	if (s->min > s->cycles)
		return fail(c, "cycles_min %llu is above cycles_total %llu",
			    (unsigned long long)s->min, (unsigned long long)s->cycles);
	return 0;
}

/*
 * The time split of a row: no more exits timed than counted, no times
 * without an exit timed, exit-to-entry exactly the time in KVM plus the
 * parts, and its longest at least the longest time in KVM.
 */
static int check_split(struct cursor *c, const struct kes_stat *s)
{
	uint64_t e2e;

	if (s->timed > s->count)
		return fail(c, "timed %llu is above count %llu", (unsigned long long)s->timed,
			    (unsigned long long)s->count);
	if (!s->timed && (s->cycles || s->min || s->max || s->e2e || s->e2e_max))
		return fail(c, "no exit timed but the times are not 0");
	if (__builtin_add_overflow(s->cycles, s->user, &e2e) ||
	    __builtin_add_overflow(e2e, s->blocked, &e2e) ||
	    __builtin_add_overflow(e2e, s->preempted, &e2e) || e2e != s->e2e)
		return fail(c, "e2e_total %llu is not cycles_total + user_total + blocked_total + preempted_total",
			    (unsigned long long)s->e2e);
	if (s->timed && s->e2e_max < s->max)
		return fail(c, "e2e_max %llu is below cycles_max %llu: an exit's time in KVM is part of its exit-to-entry",
			    (unsigned long long)s->e2e_max, (unsigned long long)s->max);
	return 0;
}

/*
 * A row's NAME is the one the table of the file's ISA gives its REASON, as
 * the kernel writes it; UNKNOWN for a reason the table lacks.
 */
static int check_name(struct cursor *c, enum kes_isa isa, const struct kes_row *row)
{
	const char *name = kes_reason_name(isa, row->reason);

	if (name && strcmp(row->name, name))
		return fail(c, "reason %u is %s in the %s table, not \"%s\"", row->reason, name,
			    kes_isa_name(isa), row->name);
	if (!name && strcmp(row->name, UNKNOWN_NAME))
		return fail(c, "reason %u is not in the %s table: its row is named " UNKNOWN_NAME
			    ", not \"%s\"", row->reason, kes_isa_name(isa), row->name);
	return 0;
}

/*
 * A row: 12 fields with the time split, or 6 (a kernel from before it),
 * as many as the file's first row has (@split: -1 while unknown).
 */
static int parse_row(struct cursor *c, const char *s, const char *e, struct kes_stats *st,
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
	size_t nlen;
	int i, n;

	memset(&row->s, 0, sizeof(row->s));
	n = split(s, e, f, fe, 12);
	if (*split_seen < 0 && (n == 6 || n == 12))
		*split_seen = n == 12;
	if (*split_seen < 0 || n != (*split_seen ? 12 : 6))
		return fail(c, "expected %s fields \"REASON NAME COUNT CYCLES_TOTAL CYCLES_MIN CYCLES_MAX%s\"%s, found %s%d",
			    *split_seen == 0 ? "6" : "12",
			    *split_seen == 0 ? "" :
			    " TIMED E2E_TOTAL E2E_MAX USER_TOTAL BLOCKED_TOTAL PREEMPTED_TOTAL",
			    *split_seen < 0 ? " (6 from a kernel before the time split)" :
			    " as the file's first row", n > 12 ? "more than " : "", n > 12 ? 12 : n);
	st->split = *split_seen > 0;
	nlen = (size_t)(fe[1] - f[1]);
	if (!nlen)
		return fail(c, "empty NAME (fields are separated by single spaces)");
	if (nlen >= KES_NAME_MAX)
		return fail(c, "NAME longer than %d characters", KES_NAME_MAX - 1);
	for (i = 0; i < (int)nlen; i++)
		if (f[1][i] <= ' ' || f[1][i] > '~')
			return fail(c, "NAME has a character that is not printable ASCII");
	memcpy(row->name, f[1], nlen);
	row->name[nlen] = '\0';

	*is_total = fe[0] - f[0] == 1 && *f[0] == '-';
	if (*is_total) {
		if (strcmp(row->name, "TOTAL"))
			return fail(c, "a row with REASON \"-\" must be the TOTAL row");
		row->reason = 0;
	} else if (!parse_u64(f[0], fe[0], UINT32_MAX, &reason)) {
		return fail(c, "REASON is not a decimal number below 2^32");
	} else {
		row->reason = (uint32_t)reason;
		if (check_name(c, st->isa, row))
			return -1;
	}
	for (i = 0; i < n - 2; i++)
		if (!parse_u64(f[2 + i], fe[2 + i], UINT64_MAX, v[i]))
			return fail(c, "%s is not a decimal number below 2^64", what[i]);
	if (!row->s.count && (row->s.cycles || row->s.min || row->s.max || row->s.timed ||
			      row->s.e2e || row->s.e2e_max || row->s.user || row->s.blocked ||
			      row->s.preempted))
		return fail(c, "count is 0 but the cycles are not");
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
static int check_total(struct cursor *c, const struct kes_stats *st)
{
	struct kes_stat sum = st->unlisted;
	const struct kes_stat *t = &st->total;
	bool unlisted = st->unlisted.count > 0;
	uint64_t min = UINT64_MAX, max = 0, e2e_max = 0;
	size_t i;

	for (i = 0; i < st->nrows; i++) {
		const struct kes_stat *s = &st->rows[i].s;

		if (!add(&sum.count, s->count))
			return fail(c, "the rows' counts add up to more than 2^64");
		if (!add(&sum.cycles, s->cycles))
			return fail(c, "the rows' cycles add up to more than 2^64");
		if (!add(&sum.timed, s->timed) || !add(&sum.e2e, s->e2e) || !add(&sum.user, s->user) ||
		    !add(&sum.blocked, s->blocked) || !add(&sum.preempted, s->preempted))
			return fail(c, "the rows' times add up to more than 2^64");
		if (s->timed && s->min < min)
			min = s->min;
		if (s->timed && s->max > max)
			max = s->max;
		if (s->timed && s->e2e_max > e2e_max)
			e2e_max = s->e2e_max;
	}
	if (!unlisted && st->unlisted.cycles)
		return fail(c, "the unlisted line has cycles but no exits");
	if (sum.count != t->count)
		return fail(c, "TOTAL count %llu is not the sum of the rows, %llu",
			    (unsigned long long)t->count, (unsigned long long)sum.count);
	if (sum.cycles != t->cycles)
		return fail(c, "TOTAL cycles %llu are not the sum of the rows, %llu",
			    (unsigned long long)t->cycles, (unsigned long long)sum.cycles);
	if (st->split && (sum.timed != t->timed || sum.e2e != t->e2e || sum.user != t->user ||
			  sum.blocked != t->blocked || sum.preempted != t->preempted))
		return fail(c, "TOTAL's timed, e2e_total, user_total, blocked_total or preempted_total is not the sum of the rows");
	if (sum.timed && !unlisted && (t->min != min || t->max != max))
		return fail(c, "TOTAL min %llu and max %llu are not the rows' min %llu and max %llu",
			    (unsigned long long)t->min, (unsigned long long)t->max,
			    (unsigned long long)min, (unsigned long long)max);
	if (unlisted && (t->min > min || t->max < max))
		return fail(c, "TOTAL min %llu and max %llu do not cover the rows' min %llu and max %llu",
			    (unsigned long long)t->min, (unsigned long long)t->max,
			    (unsigned long long)min, (unsigned long long)max);
	if (st->split && (unlisted ? t->e2e_max < e2e_max : t->e2e_max != e2e_max))
		return fail(c, "TOTAL e2e_max %llu is not the rows' %llu",
			    (unsigned long long)t->e2e_max, (unsigned long long)e2e_max);
	return check_min_max(c, t);	/* all there is to check when every exit is unlisted */
}

int kes_stats_parse(const char *text, size_t len, struct kes_stats *st,
		    char *err, size_t errlen)
{
	struct cursor c = { text, text + len, 0, err, errlen };
	bool total = false, unlisted = false;
	int split_seen = -1;
	size_t cap = 0;

	memset(st, 0, sizeof(*st));
	while (c.p < c.end) {
		const char *nl = memchr(c.p, '\n', (size_t)(c.end - c.p)), *e = nl;
		struct kes_row row;
		bool is_total = false;

		c.line++;
		if (!nl) {
			fail(&c, "no newline at the end: the file is truncated");
			goto bad;
		}
		if (memchr(c.p, '\0', (size_t)(nl - c.p))) {
			fail(&c, "contains a NUL byte");
			goto bad;
		}
		if (e > c.p && e[-1] == '\r')
			e--;	/* a CRLF line end (a copy saved on Windows, or mailed) */
		if (c.line == 1) {
			if (parse_header(&c, c.p, e, st))
				goto bad;
		} else if (total) {
			fail(&c, "text after the TOTAL row, which must be the last");
			goto bad;
		} else if (*c.p == '#') {
			if (is_unlisted(c.p, e) && parse_unlisted(&c, c.p, e, &unlisted, &split_seen, st))
				goto bad;
		} else {
			if (parse_row(&c, c.p, e, st, &split_seen, &row, &is_total))
				goto bad;
			if (is_total) {
				st->total = row.s;
				total = true;
				if (check_total(&c, st))
					goto bad;
			} else {
				if (st->nrows && row.reason <= st->rows[st->nrows - 1].reason) {
					fail(&c, "REASON %u is not above the previous row's %u",
					     row.reason, st->rows[st->nrows - 1].reason);
					goto bad;
				}
				if (st->nrows == cap && grow(st, &cap)) {
					fail(&c, "out of memory");
					goto bad;
				}
				st->rows[st->nrows++] = row;
			}
		}
		c.p = nl + 1;
	}
	if (!c.line) {
		snprintf(err, errlen, "empty: expected the header \"# isa=vmx|svm tsc_khz=N\"");
		goto bad;
	}
	if (!total) {
		c.line++;
		fail(&c, "the TOTAL row is missing: the file is truncated");
		goto bad;
	}
	return 0;
bad:
	kes_stats_free(st);
	return -1;
}

int kes_stats_read(int fd, const char *name, struct kes_stats *st, char *err, size_t errlen)
{
	char *buf, msg[200];
	size_t len = 0;
	ssize_t n;
	int r;

	memset(st, 0, sizeof(*st));
	buf = malloc(MAX_FILE_SIZE);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	while ((n = read(fd, buf + len, MAX_FILE_SIZE - len)) > 0 || (n < 0 && errno == EINTR))
		len += n > 0 ? (size_t)n : 0;
	r = n < 0 ? -errno : 0;
	if (r) {
		snprintf(err, errlen, "%s: %s", name, strerror(-r));
	} else if (len == MAX_FILE_SIZE) {
		snprintf(err, errlen, "%s: larger than %u bytes: not an exit_stats file",
			 name, MAX_FILE_SIZE);
		r = KES_STATS_MALFORMED;
	} else if (kes_stats_parse(buf, len, st, msg, sizeof(msg))) {
		snprintf(err, errlen, "%s: %s", name, msg);
		r = KES_STATS_MALFORMED;
	}
	free(buf);
	return r;
}

int kes_stats_load(const char *path, struct kes_stats *st, char *err, size_t errlen)
{
	int fd, r;

	memset(st, 0, sizeof(*st));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return r;
	}
	r = kes_stats_read(fd, path, st, err, errlen);
	close(fd);
	return r;
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
