/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing a string into an output format, escaped as that format requires:
 * the one place where the tools' outputs escape text.  Any bytes are safe:
 * invalid UTF-8 becomes U+FFFD, so that every output stays valid UTF-8.
 */
#ifndef KES_ESCAPE_H
#define KES_ESCAPE_H

#include <stdarg.h>
#include <stdio.h>

enum kes_escape {
	KES_ESC_TEXT,		/* a terminal: control characters become '?' */
	KES_ESC_JSON,		/* a JSON string, with its quotes (RFC 8259) */
	KES_ESC_CSV,		/* a CSV field, quoted when it must be (RFC 4180) */
	KES_ESC_PROM_LABEL,	/* a Prometheus label value, with its quotes */
};

/* Writes @s to @f as @how says. */
void kes_fput_escaped(FILE *f, const char *s, enum kes_escape how);

/*
 * printf(@fmt, ...) to @f, all of it escaped as @how says: for messages to
 * a terminal (KES_ESC_TEXT) that hold names from outside, such as paths.
 */
void kes_vfprintf_escaped(FILE *f, enum kes_escape how, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void kes_fprintf_escaped(FILE *f, enum kes_escape how, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KES_ESCAPE_H */
