// SPDX-License-Identifier: GPL-2.0
/* Small helpers for the unit tests: data files and C #define values. */
#include "test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

FILE *open_data(const char *env, const char *relpath)
{
	const char *dir = getenv(env);
	char path[1024];
	FILE *f;

	if (!dir)
		fail_msg("set %s to the folder that holds %s", env, relpath);
	snprintf(path, sizeof(path), "%s/%s", dir, relpath);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	return f;
}

char *read_data(const char *env, const char *relpath, size_t *len)
{
	FILE *f = open_data(env, relpath);
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap);

	assert_non_null(buf);
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct define {
	char name[64];
	long long value;
};

struct defines {
	size_t n;
	struct define d[1024];
};

struct defines *defines_new(void)
{
	struct defines *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	return d;
}

void defines_load(struct defines *d, const char *relpath)
{
	FILE *f = open_data("KES_KERNEL_SRC", relpath);
	char line[512];

	while (fgets(line, sizeof(line), f)) {
		char name[64], value[64], *end;
		long long v;

		if (sscanf(line, " #define %63s %63s", name, value) != 2)
			continue;
		v = strtoll(value, &end, 0);
		if (end == value || (*end && *end != 'u' && *end != 'U' && *end != 'l' && *end != 'L'))
			continue;
		assert_true(d->n < sizeof(d->d) / sizeof(d->d[0]));
		snprintf(d->d[d->n].name, sizeof(d->d[0].name), "%s", name);
		d->d[d->n++].value = v;
	}
	fclose(f);
}

bool defines_get(const struct defines *d, const char *name, long long *value)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (!strcmp(d->d[i].name, name)) {
			*value = d->d[i].value;
			return true;
		}
	}
	return false;
}

void defines_free(struct defines *d)
{
	free(d);
}
