// SPDX-License-Identifier: GPL-2.0
/* Exit-reason names by ISA: a view of reasons/exit_stats_reasons.h. */
#include "exit_reasons.h"

#include <string.h>
#include <strings.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct kes_reason vmx_reasons[] = {
#define EXIT_STATS_VMX_REASON(nr, name) { nr, name },
#include "exit_stats_reasons.h"
};

static const struct kes_reason svm_reasons[] = {
#define EXIT_STATS_SVM_REASON(nr, name) { nr, name },
#include "exit_stats_reasons.h"
};

const char *kes_isa_name(enum kes_isa isa)
{
	switch (isa) {
	case KES_ISA_VMX:
		return "vmx";
	case KES_ISA_SVM:
		return "svm";
	default:
		return NULL;
	}
}

enum kes_isa kes_isa_parse(const char *name)
{
	if (name && !strcmp(name, "vmx"))
		return KES_ISA_VMX;
	if (name && !strcmp(name, "svm"))
		return KES_ISA_SVM;
	return KES_ISA_NONE;
}

const struct kes_reason *kes_reasons(enum kes_isa isa, size_t *n)
{
	switch (isa) {
	case KES_ISA_VMX:
		*n = COUNT_OF(vmx_reasons);
		return vmx_reasons;
	case KES_ISA_SVM:
		*n = COUNT_OF(svm_reasons);
		return svm_reasons;
	default:
		*n = 0;
		return NULL;
	}
}

const char *kes_reason_name(enum kes_isa isa, uint32_t nr)
{
	size_t lo = 0, hi;
	const struct kes_reason *t = kes_reasons(isa, &hi);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[mid].nr == nr)
			return t[mid].name;
		if (t[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int kes_reason_by_name(enum kes_isa isa, const char *name, uint32_t *nr)
{
	size_t i, n;
	const struct kes_reason *t = kes_reasons(isa, &n);

	for (i = 0; i < n; i++) {
		if (!strcasecmp(t[i].name, name)) {
			*nr = t[i].nr;
			return 0;
		}
	}
	return -1;
}
