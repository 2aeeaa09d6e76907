// SPDX-License-Identifier: GPL-2.0
/* The one escaping helper of every output format (escape.h). */
#include "escape.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/* The length of the valid UTF-8 sequence at @s (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static bool csv_needs_quotes(const char *s)
{
	return s[strcspn(s, ",\"\r\n")] != '\0' || s[0] == ' ' ||
	       (*s && s[strlen(s) - 1] == ' ');
}

/* One character (ASCII @c) in @how's escaped form. */
static void put_ascii(FILE *f, unsigned char c, enum kes_escape how)
{
	switch (how) {
	case KES_ESC_TEXT:
		fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
		break;
	case KES_ESC_JSON:
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
		break;
	case KES_ESC_CSV:
		if (c == '"')
			fputc('"', f);
		fputc(c, f);
		break;
	case KES_ESC_PROM_LABEL:
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else
			fputc(c, f);
		break;
	}
}

void kes_fput_escaped(FILE *f, const char *s, enum kes_escape how)
{
	const unsigned char *p = (const unsigned char *)s;
	bool quote = how == KES_ESC_JSON || how == KES_ESC_PROM_LABEL ||
		     (how == KES_ESC_CSV && csv_needs_quotes(s));

	if (quote)
		fputc('"', f);
	while (*p) {
		size_t n = utf8_len(p);

		if (n == 1)
			put_ascii(f, *p, how);
		else if (n)
			fwrite(p, 1, n, f);
		else
			fputs(REPLACEMENT, f);
		p += n ? n : 1;
	}
	if (quote)
		fputc('"', f);
}

void kes_vfprintf_escaped(FILE *f, enum kes_escape how, const char *fmt, va_list ap)
{
	char small[512], *buf = small;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, again);
	va_end(again);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		buf = malloc((size_t)n + 1);
		if (buf)
			vsnprintf(buf, (size_t)n + 1, fmt, ap);
		else
			buf = small;	/* cut short rather than nothing */
	}
	kes_fput_escaped(f, buf, how);
	if (buf != small)
		free(buf);
}

void kes_fprintf_escaped(FILE *f, enum kes_escape how, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kes_vfprintf_escaped(f, how, fmt, ap);
	va_end(ap);
}
