// SPDX-License-Identifier: GPL-2.0
/* Reading the exit_stats files, and explaining every way it can fail. */
#include "source.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "escape.h"

#define PROG "kvm-exitstat"
#define DEBUGFS_MAGIC 0x64626720
#define CPUID_CAP "/module/kvm/parameters/exit_stats_cpuid"	/* under sysfs */

/* vsnprintf() into @path: its length, which is PATH_MAX or more if it did not fit. */
static int __attribute__((format(printf, 2, 0))) vpath(kes_path_buf path, const char *fmt,
							va_list ap)
{
	int n = vsnprintf(path, PATH_MAX, fmt, ap);

	return n < 0 ? INT_MAX : n;	/* (only for more than INT_MAX bytes) */
}

/* kes_path(), without a message: whether it fits. */
static bool __attribute__((format(printf, 2, 3))) fits(kes_path_buf path, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vpath(path, fmt, ap);
	va_end(ap);
	return n < PATH_MAX;
}

int kes_path(kes_path_buf path, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vpath(path, fmt, ap);
	va_end(ap);
	if (n < PATH_MAX)
		return KES_EXIT_OK;
	return kes_complain(KES_EXIT_FAILURE, "the path %.60s... is too long: %d bytes, and a path "
			    "has at most %d", path, n, PATH_MAX - 1);
}

int kes_system_path(const struct kes_source *s, kes_path_buf path)
{
	return kes_path(path, "%s/kvm/exit_stats", s->debugfs);
}

int kes_system_control_path(const struct kes_source *s, kes_path_buf path)
{
	return kes_path(path, "%s/kvm/exit_stats_control", s->debugfs);
}

int kes_complain(int code, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	kes_vfprintf_escaped(stderr, KES_ESC_TEXT, fmt, ap);	/* paths: no control characters */
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Whether @dir is a debugfs mount (statfs's f_type, as mount(8) sees it). */
static bool is_debugfs(const char *dir)
{
	struct statfs fs;

	return !statfs(dir, &fs) && (unsigned long)fs.f_type == DEBUGFS_MAGIC;
}

/* The first line of the small file @path into @buf, without its newline. */
static bool read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

enum lockdown { LOCKDOWN_UNKNOWN, LOCKDOWN_NONE, LOCKDOWN_ON };

/*
 * The kernel's lockdown, from its securityfs file ("none [integrity]
 * confidentiality"): the word in brackets into @mode ("" if unknown).
 */
static enum lockdown lockdown_mode(const struct kes_source *s, char *mode, size_t n)
{
	char line[128], *open, *close;
	kes_path_buf path;

	*mode = '\0';
	if (!fits(path, "%s/lockdown", s->securityfs) || !read_line(path, line, sizeof(line)))
		return LOCKDOWN_UNKNOWN;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return LOCKDOWN_UNKNOWN;
	*close = '\0';
	snprintf(mode, n, "%s", open + 1);
	return strcmp(mode, "none") ? LOCKDOWN_ON : LOCKDOWN_NONE;
}

/* "the kernel is in lockdown (MODE)", or why it most likely is. */
static void lockdown_words(const struct kes_source *s, enum lockdown ld, const char *mode,
			   char *buf, size_t n)
{
	if (ld == LOCKDOWN_ON)
		snprintf(buf, n, "the kernel is in lockdown (%s)", mode);
	else
		snprintf(buf, n, "the kernel is most likely in lockdown (%s/lockdown, which would "
			 "say, cannot be read)", s->securityfs);
}

static int explain_eperm(const struct kes_source *s, const struct kes_target *t)
{
	const char *verb = t->control ? "write" : "read";
	char mode[32], words[KES_MSG_MAX];
	enum lockdown ld = lockdown_mode(s, mode, sizeof(mode));

	if (ld == LOCKDOWN_NONE)
		return kes_complain(KES_EXIT_PERMISSION, "cannot %s %s: operation not permitted, "
				    "though the kernel is not in lockdown: a security module's "
				    "policy (SELinux, AppArmor)? see the kernel log", verb, t->path);
	lockdown_words(s, ld, mode, words, sizeof(words));
	if (t->control)
		return kes_complain(KES_EXIT_LOCKDOWN, "cannot write %s: %s, and debugfs refuses "
				    "every file that can be written there; reading the statistics "
				    "still works, but --reset, --dump and --guest-access need a "
				    "kernel that is not locked down (see kernel_lockdown(7))",
				    t->path, words);
	return kes_complain(KES_EXIT_LOCKDOWN, "cannot read %s: %s, and debugfs refuses files "
			    "that can be written there: this kernel's exit_stats is writable, an "
			    "older version of the change; a newer one makes it read-only, which "
			    "lockdown allows (see kernel_lockdown(7))", t->path, words);
}

int kes_explain_cap(const struct kes_source *s, const struct kes_target *t, const char *access)
{
	char mode[32], cap[32];
	size_t scope = strcspn(access, ",");
	kes_path_buf path;

	if (lockdown_mode(s, mode, sizeof(mode)) == LOCKDOWN_ON)
		return explain_eperm(s, t);
	if (!fits(path, "%s" CPUID_CAP, s->sysfs) || !read_line(path, cap, sizeof(cap)))
		return kes_complain(KES_EXIT_PERMISSION, "cannot set --guest-access %s for VM %s: "
				    "the host allows less (kvm.exit_stats_cpuid, which %s" CPUID_CAP
				    " would say, cannot be read); raise it: echo %.*s > %s" CPUID_CAP,
				    access, t->vm, s->sysfs, (int)scope, access, s->sysfs);
	return kes_complain(KES_EXIT_PERMISSION, "cannot set --guest-access %s for VM %s: the host "
			    "allows at most '%s' (kvm.exit_stats_cpuid); raise it: echo %.*s > %s",
			    access, t->vm, cap, (int)scope, access, path);
}

/*
 * The debugfs folder itself is missing, or is no folder: said so, not how
 * to mount debugfs there.  KES_EXIT_OK if it is a folder.
 */
static int explain_no_folder(const struct kes_source *s)
{
	struct stat st;

	if (stat(s->debugfs, &st))
		return errno != ENOENT && errno != ENOTDIR ? KES_EXIT_OK :	/* the others say more */
		       kes_complain(KES_EXIT_NO_DEBUGFS, "%s does not exist: say where debugfs is "
				    "mounted with --debugfs DIR (usually /sys/kernel/debug)",
				    s->debugfs);
	if (!S_ISDIR(st.st_mode))
		return kes_complain(KES_EXIT_NO_DEBUGFS, "%s is not a directory: say where debugfs "
				    "is mounted with --debugfs DIR (usually /sys/kernel/debug)",
				    s->debugfs);
	return KES_EXIT_OK;
}

/* ENOENT: which part is missing says what is wrong. */
static int explain_missing(const struct kes_source *s, const struct kes_target *t)
{
	kes_path_buf kvm, dir, system;
	int r;

	if ((r = explain_no_folder(s)) || (r = kes_path(kvm, "%s/kvm", s->debugfs)))
		return r;
	if (!exists(kvm)) {
		if (!is_debugfs(s->debugfs))
			return kes_complain(KES_EXIT_NO_DEBUGFS, "debugfs is not mounted at %s; "
					    "mount it with: mount -t debugfs none %s", s->debugfs,
					    s->debugfs);
		return kes_complain(KES_EXIT_NO_STATS, "KVM is not loaded: debugfs has no %s "
				    "(modprobe kvm_intel or kvm_amd)", kvm);
	}
	if ((r = kes_system_path(s, system)))
		return r;
	if (!exists(system))
		return kes_complain(KES_EXIT_NO_STATS, "this kernel has no per-exit-reason "
				    "statistics: %s is missing; it needs CONFIG_KVM_EXIT_STATS=y "
				    "(the kvm-exit-stats change)", system);
	if (t->vm) {
		if ((r = kes_path(dir, "%s/%s", kvm, t->vm)))
			return r;
		if (!exists(dir))
			return kes_complain(KES_EXIT_NO_VM, "no VM %s: it has gone away, or never "
					    "was (see " PROG " --list-vms)", t->vm);
	}
	if (t->control)
		return kes_complain(KES_EXIT_NO_STATS, "%s is missing: this kernel's exit "
				    "statistics are an older version, whose controls are written to "
				    "the exit_stats file itself (echo reset > %s)", t->path, system);
	return kes_complain(KES_EXIT_NO_VM, "VM %s is going away: its folder has no exit_stats "
			    "(see " PROG " --list-vms)", t->vm ? t->vm : "?");
}

int kes_explain(const struct kes_source *s, const struct kes_target *t, int err)
{
	const char *verb = t->control ? "write" : "read";

	switch (err) {
	case EACCES:
		if (t->user_file)
			return kes_complain(KES_EXIT_PERMISSION, "cannot read %s: permission denied",
					    t->path);
		return kes_complain(KES_EXIT_PERMISSION, "permission denied: %s is for root only; "
				    "run " PROG " as root (sudo " PROG ")", t->path);
	case EPERM:
		if (t->user_file)
			return kes_complain(KES_EXIT_PERMISSION, "cannot read %s: operation not "
					    "permitted", t->path);
		return explain_eperm(s, t);
	case EISDIR:
		return kes_complain(KES_EXIT_ISDIR, "%s is a directory, not %s file%s", t->path,
				    t->control ? "an exit_stats_control" : "an exit_stats",
				    t->user_file ? "" : ": is --debugfs right?");
	case ENOENT:
	case ENOTDIR:
		if (t->user_file)
			return kes_complain(KES_EXIT_FAILURE, "cannot read %s: %s", t->path,
					    strerror(err));
		return explain_missing(s, t);
	case ENOMEM:
		return kes_complain(KES_EXIT_FAILURE, "out of memory reading %s", t->path);
	default:
		return kes_complain(KES_EXIT_IO, "cannot %s %s: %s (an I/O error)", verb, t->path,
				    strerror(err));
	}
}

int kes_load(const struct kes_source *s, const struct kes_target *t, struct kes_stats *st)
{
	char err[KES_MSG_MAX];
	int r = kes_stats_load(t->path, st, err, sizeof(err));

	if (r == KES_STATS_MALFORMED)
		return kes_complain(KES_EXIT_FAILURE, "not an exit_stats file: %s", err);
	if (r < 0)
		return kes_explain(s, t, -r);
	return KES_EXIT_OK;
}
