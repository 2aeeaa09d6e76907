/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the statistics are (debugfs), which VMs there are, and what to tell
 * a person when a file cannot be read.
 */
#ifndef KES_SOURCE_H
#define KES_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "statsfile.h"

/* Exit codes (man kvm-exitstat). */
enum {
	KES_EXIT_OK = 0,
	KES_EXIT_UNAVAILABLE = 1,	/* no statistics: not mounted, no feature, bad file, VM gone */
	KES_EXIT_USAGE = 2,
	KES_EXIT_PERMISSION = 3,	/* needs root */
};

struct kes_source {
	const char *debugfs;	/* /sys/kernel/debug */
	const char *proc;	/* /proc */
};

#define KES_EXITS_UNKNOWN UINT64_MAX

struct kes_vm {
	int pid, fd;
	char id[32];		/* "PID-FD", the name of its debugfs folder */
	char comm[32];		/* the process name, "?" if gone */
	uint64_t exits;		/* KES_EXITS_UNKNOWN if its file cannot be read */
	char path[600];		/* its exit_stats file */
};

/* The system-wide file. */
void kes_system_path(const struct kes_source *s, char *path, size_t n);

/*
 * Reads @path; on failure prints what to do to stderr and returns the exit
 * code.  @vm names the VM whose file it is, NULL for the system-wide one.
 */
int kes_load(const struct kes_source *s, const char *path, const char *vm,
	     struct kes_stats *st);

/* Every VM (sorted by pid, fd); returns an exit code. */
int kes_list_vms(const struct kes_source *s, struct kes_vm **vms, size_t *n);

/* The VM @spec ("PID" or "PID-FD"); returns an exit code, with a message. */
int kes_find_vm(const struct kes_source *s, const char *spec, struct kes_vm *vm);

/* Why @path cannot be used, after @err (an errno): prints it, returns the exit code. */
int kes_explain(const struct kes_source *s, const char *path, const char *vm, int err);

#endif /* KES_SOURCE_H */
