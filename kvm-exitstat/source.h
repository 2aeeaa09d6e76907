/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the statistics are (debugfs), reading them, and what to tell a
 * person, with which exit code, when a file cannot be read or written.
 */
#ifndef KES_SOURCE_H
#define KES_SOURCE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "statsfile.h"

/* Exit codes (kvm-exitstat --help, man kvm-exitstat, docs/interfaces.md). */
enum {
	KES_EXIT_OK = 0,
	KES_EXIT_FAILURE = 1,		/* a malformed file, or another failure */
	KES_EXIT_USAGE = 2,
	KES_EXIT_PERMISSION = 3,	/* not root (EACCES), or EPERM not from lockdown */
	KES_EXIT_LOCKDOWN = 4,		/* the kernel is in lockdown (EPERM) */
	KES_EXIT_NO_DEBUGFS = 5,	/* debugfs is not mounted */
	KES_EXIT_NO_STATS = 6,		/* no exit statistics in this kernel, or KVM not loaded */
	KES_EXIT_NO_VM = 7,		/* no such VM (gone, or never there) */
	KES_EXIT_IO = 8,		/* an I/O error */
	KES_EXIT_ISDIR = 9,		/* a directory where a file was expected */
};

struct kes_source {
	const char *debugfs;	/* /sys/kernel/debug */
	const char *proc;	/* /proc */
	const char *securityfs;	/* /sys/kernel/security (its lockdown file) */
	const char *sysfs;	/* /sys (kvm's module parameters) */
};

/* A file the tool reads or writes, for the messages. */
struct kes_target {
	const char *path;
	const char *vm;		/* "PID-FD" if it is a VM's, NULL if system-wide */
	bool control;		/* an exit_stats_control file, written */
	bool user_file;		/* a file the user named (-f), not debugfs */
};

/* A path: long enough for any the kernel takes (PATH_MAX, NUL included). */
typedef char kes_path_buf[PATH_MAX];
/* A message about a file: its path and some words. */
#define KES_MSG_MAX (PATH_MAX + 512)

/*
 * printf(@fmt, ...) into @path: KES_EXIT_OK, or, if that is longer than a
 * path can be, a message that says so and KES_EXIT_FAILURE (never a path
 * cut short, which could name another file).
 */
int kes_path(kes_path_buf path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The system-wide files; an exit code, as kes_path(). */
int kes_system_path(const struct kes_source *s, kes_path_buf path);
int kes_system_control_path(const struct kes_source *s, kes_path_buf path);

/* Reads @t; on failure prints what to do to stderr and returns the exit code. */
int kes_load(const struct kes_source *s, const struct kes_target *t, struct kes_stats *st);

/* Why @t cannot be used, after @err (an errno): prints it, returns the exit code. */
int kes_explain(const struct kes_source *s, const struct kes_target *t, int err);

/*
 * The kernel refused cpuid=@access for the VM of @t (EPERM): more than the
 * host's cap kvm.exit_stats_cpuid allows (or lockdown): prints it, returns
 * the exit code.
 */
int kes_explain_cap(const struct kes_source *s, const struct kes_target *t, const char *access);

/* Prints "kvm-exitstat: MESSAGE" to stderr (control characters as ?); returns @code. */
int kes_complain(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* KES_SOURCE_H */
