// SPDX-License-Identifier: GPL-2.0
/*
 * A test seam, loaded with LD_PRELOAD into kvm-exitstat by test_host_tool:
 * what a fake debugfs tree of ordinary files cannot show.
 *
 *   KES_SHIM_EPERM=PATH     open(PATH) fails with EPERM, as debugfs does for
 *                           a file with a write bit in kernel lockdown
 *   KES_SHIM_DEBUGFS=DIR    statfs(DIR) says debugfs (DEBUGFS_MAGIC)
 *   KES_SHIM_EPERM_WRITE=PATH  PATH opens, but a write(2) to it fails with
 *                           EPERM, as the kernel refuses a cpuid= beyond
 *                           kvm.exit_stats_cpuid
 *
 * Nothing else changes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define DEBUGFS_MAGIC 0x64626720

static int refused(const char *path)
{
	const char *p = getenv("KES_SHIM_EPERM");

	if (p && path && !strcmp(p, path)) {
		errno = EPERM;
		return 1;
	}
	return 0;
}

/* The descriptor of KES_SHIM_EPERM_WRITE's file, -1 if not open. */
static int eperm_write_fd = -1;

static int opened(const char *path, int fd)
{
	const char *p = getenv("KES_SHIM_EPERM_WRITE");

	if (fd >= 0 && p && path && !strcmp(p, path))
		eperm_write_fd = fd;
	else if (fd == eperm_write_fd)
		eperm_write_fd = -1;
	return fd;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (fd >= 0 && fd == eperm_write_fd) {
		errno = EPERM;
		return -1;
	}
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	return real(fd, buf, n);
}

#define OPEN(name)							\
int name(const char *path, int flags, ...)				\
{									\
	static int (*real)(const char *, int, ...);			\
	mode_t mode = 0;						\
	va_list ap;							\
									\
	va_start(ap, flags);						\
	if (flags & (O_CREAT | O_TMPFILE))				\
		mode = va_arg(ap, mode_t);				\
	va_end(ap);							\
	if (refused(path))						\
		return -1;						\
	if (!real)							\
		real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name); \
	return opened(path, real(path, flags, mode));			\
}

OPEN(open)
OPEN(open64)

#define STATFS(name, type)						\
int name(const char *path, struct type *buf)				\
{									\
	static int (*real)(const char *, struct type *);		\
	const char *d = getenv("KES_SHIM_DEBUGFS");			\
	int r;								\
									\
	if (!real)							\
		real = (int (*)(const char *, struct type *))dlsym(RTLD_NEXT, #name); \
	r = real(path, buf);						\
	if (!r && d && !strcmp(d, path))				\
		buf->f_type = DEBUGFS_MAGIC;				\
	return r;							\
}

STATFS(statfs, statfs)
STATFS(statfs64, statfs64)
