/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fields of a report, named and typed once for the machine formats
 * (CSV and JSON), so that both carry the same fields in every mode, with
 * "unknown" (JSON null, an empty CSV field) where a value is not known.
 */
#ifndef KES_FIELDS_H
#define KES_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

enum kes_vtype { KES_V_NULL, KES_V_U64, KES_V_REAL, KES_V_STR };

struct kes_value {
	const char *name;
	enum kes_vtype type;
	uint64_t u;
	double d;
	int prec;		/* decimals of a KES_V_REAL */
	const char *s;
};

#define KES_REPORT_FIELDS 10
#define KES_ROW_FIELDS 24

/* The report's own fields (timestamp ... tsc_khz) into @v. */
void kes_report_fields(const struct kes_report *rep, struct kes_value v[KES_REPORT_FIELDS]);
/* A row's fields (row ... max_us); @r NULL: a reset marker, all unknown. */
void kes_row_fields(const struct kes_report *rep, const struct kes_report_row *r,
		    struct kes_value v[KES_ROW_FIELDS]);

#endif /* KES_FIELDS_H */
