// SPDX-License-Identifier: GPL-2.0
/* --reason: the rows a report keeps. */
#include "filter.h"

#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exit_reasons.h"

/* An item that is a number: its value in @n. */
static bool number(const char *s, uint32_t *n)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX || *s == '-' || *s == '+')
		return false;
	*n = (uint32_t)v;
	return true;
}

static bool is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* A plain name either ISA knows, case ignored, or one of the report's own rows. */
static bool known_name(const char *s)
{
	uint32_t nr;

	return !strcasecmp(s, "unlisted") || !strcasecmp(s, "UNKNOWN") ||
	       !kes_reason_by_name(KES_ISA_VMX, s, &nr) || !kes_reason_by_name(KES_ISA_SVM, s, &nr);
}

enum kes_filter_error kes_filter_add(struct kes_filter *f, const char *list, const char **bad)
{
	size_t used = 0, len = strlen(list);
	char *p, *save = NULL, *item;
	uint32_t nr;

	for (unsigned int i = 0; i < f->n; i++)
		used += strlen(f->item[i]) + 1;
	if (used + len + 1 > sizeof(f->text))
		return KES_FILTER_TOO_MUCH;
	if (!len || *list == ',' || list[len - 1] == ',' || strstr(list, ",,"))
		return KES_FILTER_EMPTY;
	p = f->text + used;
	memcpy(p, list, len + 1);
	for (item = strtok_r(p, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (f->n == KES_FILTER_MAX)
			return KES_FILTER_TOO_MUCH;
		if (!number(item, &nr) && !is_pattern(item) && !known_name(item)) {
			*bad = item;
			return KES_FILTER_UNKNOWN;
		}
		f->item[f->n++] = item;
	}
	return KES_FILTER_OK;
}

bool kes_filter_match(const struct kes_filter *f, uint32_t reason, const char *name)
{
	uint32_t nr;

	if (!f->n)
		return true;
	for (unsigned int i = 0; i < f->n; i++) {
		const char *it = f->item[i];

		if (number(it, &nr) ? nr == reason && strcmp(name, "unlisted") :
		    !fnmatch(it, name, FNM_CASEFOLD))
			return true;
	}
	return false;
}

void kes_filter_report(const struct kes_filter *f, struct kes_report *rep)
{
	size_t i, n = 0;

	for (i = 0; i < rep->n; i++) {
		const struct kes_report_row *r = &rep->rows[i];

		if (kes_filter_match(f, r->reason, r->name))
			rep->rows[n++] = *r;
	}
	rep->n = n;
}
