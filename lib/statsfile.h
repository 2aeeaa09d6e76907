/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit_stats text format (docs/interfaces.md): parse it, look rows up.
 *
 *   # isa=svm tsc_khz=2994000
 *   # reason name count cycles_total cycles_min cycles_max timed e2e_total e2e_max user_total blocked_total preempted_total
 *   0 read_cr0 0 0 0 0 0 0 0 0 0 0
 *   ...
 *   - TOTAL 2003 4502113 812 90211 2001 9502113 4012345 5000000 0 0
 *
 * Files of kernels before the time split have the first six columns only
 * (count, and cycles of every exit counted): they parse with timed = count
 * and no split (struct kes_stats' split is false).
 */
#ifndef KES_STATSFILE_H
#define KES_STATSFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit_reasons.h"
#include "textfile.h"

#define KES_NAME_MAX 48

struct kes_stat {
	uint64_t count;
	uint64_t cycles;	/* in KVM, of the exits timed */
	uint64_t min;		/* of one exit's cycles, if timed > 0 */
	uint64_t max;
	uint64_t timed;		/* exits timed (at their next VM-entry) */
	uint64_t e2e;		/* exit-to-entry: cycles + user + blocked + preempted */
	uint64_t e2e_max;	/* of one exit's, if timed > 0 */
	uint64_t user;		/* the parts of e2e that were not KVM's */
	uint64_t blocked;
	uint64_t preempted;
};

struct kes_row {
	uint32_t reason;
	char name[KES_NAME_MAX];
	struct kes_stat s;
};

struct kes_stats {
	enum kes_isa isa;
	uint64_t tsc_khz;
	size_t nrows;
	struct kes_row *rows;		/* increasing reason order */
	struct kes_stat unlisted;	/* unknown reasons without a row */
	struct kes_stat total;		/* the TOTAL row */
	bool split;			/* the file has timed, e2e and its parts */
};

/*
 * Parses @len bytes of @text into @st.  Returns 0, or -1 with a message
 * naming the line in @err ("line 7: expected 6 fields, found 4").  Lines
 * end in LF, or CRLF.
 */
int kes_stats_parse(const char *text, size_t len, struct kes_stats *st,
		    char *err, size_t errlen);

/* What kes_stats_load() and kes_stats_read() return for a malformed file. */
#define KES_STATS_MALFORMED KES_FILE_MALFORMED

/*
 * Reads and parses the file at @path.  Returns 0, KES_STATS_MALFORMED, or a
 * negative errno if it cannot be read; @err says which.
 */
int kes_stats_load(const char *path, struct kes_stats *st, char *err,
		   size_t errlen);

/* The same, from the open file @fd (@name for the messages). */
int kes_stats_read(int fd, const char *name, struct kes_stats *st, char *err, size_t errlen);

void kes_stats_free(struct kes_stats *st);

/* The row of @reason, or NULL. */
const struct kes_row *kes_stats_row(const struct kes_stats *st, uint32_t reason);

/* The count of @reason, 0 if it has no row. */
uint64_t kes_stats_count(const struct kes_stats *st, uint32_t reason);

#endif /* KES_STATSFILE_H */
