/* SPDX-License-Identifier: GPL-2.0 */
/* kvm-exitstat's command line: what to do, checked for conflicts. */
#ifndef KES_OPTIONS_H
#define KES_OPTIONS_H

#include <stdbool.h>

#include "filter.h"
#include "report.h"
#include "source.h"
#include "vms.h"

enum kes_mode {
	KES_MODE_REPORT,	/* the statistics (of debugfs, or of -f files) */
	KES_MODE_LIST,		/* --list-vms */
	KES_MODE_RESET,		/* --reset */
	KES_MODE_DUMP,		/* --dump */
	KES_MODE_ACCESS,	/* --guest-access */
	KES_MODE_HIST,		/* --hist */
};

enum kes_output { KES_OUT_TABLE, KES_OUT_CSV, KES_OUT_JSON, KES_OUT_PROMETHEUS };

#define KES_MAX_VMS 64	/* named on one command line */

struct kes_options {
	struct kes_source src;
	enum kes_mode mode;
	enum kes_output output;
	bool all, wide;
	bool all_series;		/* --all-series: every Prometheus family per VM */
	bool skip_zero;			/* -z: no reason without exits, even with -a */
	struct kes_filter filter;	/* -r: the reasons to show */
	enum kes_sort sort;
	const char *output_file;	/* -o FILE */
	const char *vm;			/* -p, --vm or -g: which VM, or NULL: vms[0] */
	enum kes_vm_by vm_by;
	const char *vms[KES_MAX_VMS];	/* every VM named (-p 1,2 -p 3: several) */
	int nvms;
	char vm_text[1024];		/* the items of the lists, vms[] points into it */
	const char *files[2];		/* -f FILE [-f FILE] */
	int nfiles;
	const char *access;		/* --guest-access VALUE */
	bool vcpus;			/* --vcpu: the VM's vCPUs, one report each */
	long vcpu;			/* --vcpu=N: only vCPU N; -1: all */
	const char *hist;		/* --hist=REASON, NULL: every reason's percentiles */
	double interval;		/* -i SECONDS; 0: once */
	long count;			/* -n COUNT; 0: until Ctrl-C */
};

/*
 * Parses the command line into @o (which holds the defaults).  Returns
 * KES_EXIT_OK, KES_EXIT_USAGE with a message, or -1 after --help.
 */
int kes_parse_options(int argc, char **argv, struct kes_options *o);

#endif /* KES_OPTIONS_H */
