/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-exitstat --hist: the histograms of the tier "hist" (exit_stats_hist
 * files): percentiles per reason, or one reason's histograms as bars.
 */
#ifndef KES_HIST_H
#define KES_HIST_H

#include <stdio.h>

#include "histfile.h"
#include "source.h"

/* The percentiles the table shows, and their column names. */
#define KES_HIST_PCTS 4

/*
 * Prints, per reason with exits timed, the percentiles of exit-to-entry and
 * of the time in KVM, each as the upper bound of the bucket it lies in.
 */
void kes_hist_print_percentiles(FILE *f, const struct kes_hists *h, const char *title);

/*
 * Prints the two histograms of the reason @spec (a name, or a number:
 * decimal, or hex with 0x) as bars; KES_EXIT_USAGE if @h's ISA has no such
 * reason, KES_EXIT_FAILURE if it has no exits timed.
 */
int kes_hist_print_reason(FILE *f, const struct kes_hists *h, const char *spec,
			  const char *title);

/* Reads the histograms of @t; prints what to do and returns the exit code on failure. */
int kes_hist_load(const struct kes_source *s, const struct kes_target *t, struct kes_hists *h);

#endif /* KES_HIST_H */
