// SPDX-License-Identifier: GPL-2.0
/* What the parsers of the kernel's text files share (textfile.h). */
#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int kes_fail(struct kes_cursor *c, const char *fmt, ...)
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

int kes_next_line(struct kes_cursor *c, const char **s, const char **e)
{
	const char *nl;

	if (c->p >= c->end)
		return 0;
	c->line++;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (!nl)
		return kes_fail(c, "no newline at the end: the file is truncated");
	if (memchr(c->p, '\0', (size_t)(nl - c->p)))
		return kes_fail(c, "contains a NUL byte");
	*s = c->p;
	*e = nl;
	if (*e > *s && (*e)[-1] == '\r')
		(*e)--;	/* a CRLF line end (a copy saved on Windows, or mailed) */
	c->p = nl + 1;
	return 1;
}

bool kes_parse_u64(const char *s, const char *e, uint64_t max, uint64_t *v)
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

int kes_split(const char *s, const char *e, const char **f, const char **fe, int max)
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

int kes_parse_header(struct kes_cursor *c, const char *s, const char *e, enum kes_isa *isa,
		     uint64_t *tsc_khz, const char *key, uint64_t *value)
{
	size_t klen = key ? strlen(key) : 0;
	int want = key ? 4 : 3;
	const char *f[4], *fe[4];
	char name[8];
	size_t n;

	if (kes_split(s, e, f, fe, want) != want || fe[0] - f[0] != 1 || *f[0] != '#' ||
	    fe[1] - f[1] < 4 || strncmp(f[1], "isa=", 4) ||
	    fe[2] - f[2] < 8 || strncmp(f[2], "tsc_khz=", 8) ||
	    (key && ((size_t)(fe[3] - f[3]) <= klen + 1 || strncmp(f[3], key, klen) ||
		     f[3][klen] != '=')))
		return kes_fail(c, "expected the header \"# isa=vmx|svm tsc_khz=N%s%s\"",
				key ? " " : "", key ? key : "");
	n = (size_t)(fe[1] - f[1] - 4);
	if (n >= sizeof(name))
		return kes_fail(c, "unknown isa: expected vmx or svm");
	memcpy(name, f[1] + 4, n);
	name[n] = '\0';
	*isa = kes_isa_parse(name);
	if (*isa == KES_ISA_NONE)
		return kes_fail(c, "unknown isa \"%s\": expected vmx or svm", name);
	if (!kes_parse_u64(f[2] + 8, fe[2], UINT64_MAX, tsc_khz))
		return kes_fail(c, "tsc_khz is not a decimal number");
	if (*tsc_khz > KES_TSC_KHZ_MAX)
		return kes_fail(c, "tsc_khz=%llu is no TSC frequency: more than 100 GHz (%u kHz)",
				(unsigned long long)*tsc_khz, KES_TSC_KHZ_MAX);
	if (key && !kes_parse_u64(f[3] + klen + 1, fe[3], UINT64_MAX, value))
		return kes_fail(c, "%s is not a decimal number", key);
	return 0;
}

int kes_parse_name(struct kes_cursor *c, const char *s, const char *e, char *name, size_t size)
{
	size_t i, n = (size_t)(e - s);

	if (!n)
		return kes_fail(c, "empty NAME (fields are separated by single spaces)");
	if (n >= size)
		return kes_fail(c, "NAME longer than %zu characters", size - 1);
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return kes_fail(c, "NAME has a character that is not printable ASCII");
	memcpy(name, s, n);
	name[n] = '\0';
	return 0;
}

int kes_check_name(struct kes_cursor *c, enum kes_isa isa, uint32_t reason, const char *name)
{
	const char *want = kes_reason_name(isa, reason);

	if (want && strcmp(name, want))
		return kes_fail(c, "reason %u is %s in the %s table, not \"%s\"", reason, want,
				kes_isa_name(isa), name);
	if (!want && strcmp(name, KES_UNKNOWN_NAME))
		return kes_fail(c, "reason %u is not in the %s table: its row is named "
				KES_UNKNOWN_NAME ", not \"%s\"", reason, kes_isa_name(isa), name);
	return 0;
}

int kes_read_file(int fd, const char *name, const char *what, kes_parse_fn parse, void *out,
		  char *err, size_t errlen)
{
	char *buf, msg[200];
	size_t len = 0;
	ssize_t n;
	int r;

	buf = malloc(KES_FILE_MAX);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	while ((n = read(fd, buf + len, KES_FILE_MAX - len)) > 0 || (n < 0 && errno == EINTR))
		len += n > 0 ? (size_t)n : 0;
	r = n < 0 ? -errno : 0;
	if (r) {
		snprintf(err, errlen, "%s: %s", name, strerror(-r));
	} else if (len == KES_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %u bytes: not an %s file", name,
			 KES_FILE_MAX, what);
		r = KES_FILE_MALFORMED;
	} else if (parse(buf, len, out, msg, sizeof(msg))) {
		snprintf(err, errlen, "%s: %s", name, msg);
		r = KES_FILE_MALFORMED;
	}
	free(buf);
	return r;
}

int kes_load_file(const char *path, const char *what, kes_parse_fn parse, void *out,
		  char *err, size_t errlen)
{
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return r;
	}
	r = kes_read_file(fd, path, what, parse, out, err, errlen);
	close(fd);
	return r;
}
