/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parsers of the kernel's text files (statsfile.c, histfile.c)
 * share: lines, fields, numbers, the header "# isa=... tsc_khz=...", reason
 * names, errors that name the line, and reading a whole file.
 */
#ifndef KES_TEXTFILE_H
#define KES_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit_reasons.h"

/* A file of the kernel has a few hundred rows; anything far bigger is not one. */
#define KES_FILE_MAX (1u << 20)
/* The most a header's tsc_khz may be: 100 GHz.  (0: the kernel does not know it.) */
#define KES_TSC_KHZ_MAX 100000000u
/* The name of a row whose reason the ISA's table lacks. */
#define KES_UNKNOWN_NAME "UNKNOWN"

struct kes_cursor {
	const char *p, *end;	/* what is left to parse */
	unsigned int line;	/* of the line last taken */
	char *err;
	size_t errlen;
};

/* Writes "line N: " and the message into c->err; returns -1. */
int kes_fail(struct kes_cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Takes the next line into [*s, *e), without its LF or CRLF: 1, or 0 at the
 * end; -1 (with the error) for a line without LF or with a NUL byte.
 */
int kes_next_line(struct kes_cursor *c, const char **s, const char **e);

/* Parses all of [s, e) as a decimal number no larger than @max. */
bool kes_parse_u64(const char *s, const char *e, uint64_t max, uint64_t *v);

/* Splits [s, e) at single spaces into at most @max fields; more: @max + 1. */
int kes_split(const char *s, const char *e, const char **f, const char **fe, int max);

/*
 * The header "# isa=vmx|svm tsc_khz=N", and if @key is not NULL one more
 * field "KEY=N" whose N goes to @value.
 */
int kes_parse_header(struct kes_cursor *c, const char *s, const char *e, enum kes_isa *isa,
		     uint64_t *tsc_khz, const char *key, uint64_t *value);

/* A NAME field: 1 to @size - 1 printable ASCII characters, into @name. */
int kes_parse_name(struct kes_cursor *c, const char *s, const char *e, char *name, size_t size);

/*
 * A row's NAME is the one the table of the file's ISA gives its REASON, as
 * the kernel writes it; KES_UNKNOWN_NAME for a reason the table lacks.
 */
int kes_check_name(struct kes_cursor *c, enum kes_isa isa, uint32_t reason, const char *name);

/* A parser of a whole file's text: 0, or -1 with the message in @err. */
typedef int (*kes_parse_fn)(const char *text, size_t len, void *out, char *err, size_t errlen);

/* What kes_read_file() and kes_load_file() return for a malformed file. */
#define KES_FILE_MALFORMED 1

/*
 * Reads all of @fd (@name for the messages; @what the kind of file, for
 * one too big to be one) and parses it into @out.  Returns 0,
 * KES_FILE_MALFORMED, or a negative errno if it cannot be read.
 */
int kes_read_file(int fd, const char *name, const char *what, kes_parse_fn parse, void *out,
		  char *err, size_t errlen);

/* The same, from the file at @path. */
int kes_load_file(const char *path, const char *what, kes_parse_fn parse, void *out,
		  char *err, size_t errlen);

#endif /* KES_TEXTFILE_H */
