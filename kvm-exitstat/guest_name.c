// SPDX-License-Identifier: GPL-2.0
/* The guest's name from the VMM's command line (QEMU's -name). */
#include "guest_name.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * The next option of a QEMU option string at *@p: "key=value" or, for the
 * first one, a bare value (the implied key "guest").  Unescapes ",,".
 * Returns false at the end.
 */
static bool next_option(const char **p, const char *end, char *opt, size_t n)
{
	size_t k = 0;

	if (*p >= end)
		return false;
	while (*p < end) {
		if (**p == ',') {
			if (*p + 1 < end && (*p)[1] == ',') {
				(*p)++;		/* ",," is a comma */
			} else {
				(*p)++;
				break;
			}
		}
		if (k + 1 < n)
			opt[k++] = **p;
		(*p)++;
	}
	opt[k] = '\0';
	return true;
}

static int from_value(const char *v, char *name, size_t n)
{
	const char *p = v, *end = v + strlen(v), *value;
	char opt[512];
	bool first = true, found = false;

	while (next_option(&p, end, opt, sizeof(opt))) {
		if (!strncmp(opt, "guest=", 6))
			value = opt + 6;
		else if (first && !strchr(opt, '='))
			value = opt;	/* the implied key, "guest" */
		else
			value = NULL;
		first = false;
		if (value && *value) {
			snprintf(name, n, "%s", value);
			found = true;
		}
	}
	return found ? 0 : -1;
}

int kes_guest_name(const char *cmdline, size_t len, char *name, size_t n)
{
	const char *p = cmdline, *end = cmdline + len;
	int r = -1;

	if (!n)
		return -1;
	/* Every argument but the last ends in a NUL; the last one should too. */
	while (p < end) {
		const char *arg = p, *nul = memchr(p, '\0', (size_t)(end - p));

		if (!nul)
			break;
		p = nul + 1;
		if ((!strcmp(arg, "-name") || !strcmp(arg, "--name")) && p < end &&
		    memchr(p, '\0', (size_t)(end - p)))
			r = from_value(p, name, n) ? r : 0;	/* the last -name wins */
	}
	return r;
}
