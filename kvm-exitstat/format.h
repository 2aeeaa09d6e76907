/* SPDX-License-Identifier: GPL-2.0 */
/* The output formats of kvm-exitstat, one file each. */
#ifndef KES_FORMAT_H
#define KES_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

/* A human table; @header prints the column names (and the title). */
void kes_print_table(FILE *f, const struct kes_report *rep, bool header);
/* CSV (RFC 4180, no quoting needed: no field has a comma); @header: names. */
void kes_print_csv(FILE *f, const struct kes_report *rep, bool header);
/* One JSON object, on one line. */
void kes_print_json(FILE *f, const struct kes_report *rep);
/* Prometheus text exposition format 0.0.4: counters, seconds not cycles. */
void kes_print_prometheus(FILE *f, const struct kes_report *rep);

#endif /* KES_FORMAT_H */
