// SPDX-License-Identifier: GPL-2.0
/*
 * A test seam, loaded with LD_PRELOAD into kvm-exitstat-guest: the cpuid
 * driver's device (/dev/cpu/N/cpuid) of a made-up host, answered by the
 * kernel's own guest-ABI code over the statistics of abi_fixture.c.  A
 * plain file cannot stand in for the device: its 16-byte records overlap
 * (one per byte offset: ECX << 32 | LEAF).
 *
 *   KES_MOCK_DEVICE=PATH:ISA:LAYOUT:SCOPE[:user]   e.g. /tmp/cpuid:svm:c:vm:user
 *
 * open(PATH) gives a descriptor (of /dev/null) whose pread() answers CPUID
 * as the driver does; a negative offset (ECX >= 2^31) fails with EINVAL, as
 * in the kernel.  Nothing else changes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi_fixture.h"

static struct fixture host;
static int device_fd = -1;

static int open_device(const char *path)
{
	const char *spec = getenv("KES_MOCK_DEVICE");
	char dev[256], isa[4], scope[8], user[8] = "";
	char layout;

	if (!spec || sscanf(spec, "%255[^:]:%3[a-z]:%c:%7[a-z]:%7[a-z]", dev, isa, &layout, scope,
			    user) < 4 || strcmp(dev, path))
		return -2;
	setup(&host, !strcmp(isa, "vmx") ? KVM_EXIT_STATS_VMX : KVM_EXIT_STATS_SVM,
	      0xa + layout - 'a');
	host.v.scope = !strcmp(scope, "vm") ? KVM_EXIT_STATS_SCOPE_VM : KVM_EXIT_STATS_SCOPE_SYSTEM;
	host.v.flags = !strcmp(user, "user") ? KVM_EXIT_STATS_INFO_USER : 0;
	device_fd = ((int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open"))("/dev/null", O_RDONLY);
	return device_fd;
}

#define OPEN(name)							\
int name(const char *path, int flags, ...)				\
{									\
	mode_t mode = 0;						\
	va_list ap;							\
	int fd = open_device(path);					\
									\
	if (fd != -2)							\
		return fd;						\
	va_start(ap, flags);						\
	if (flags & (O_CREAT | O_TMPFILE))				\
		mode = va_arg(ap, mode_t);				\
	va_end(ap);							\
	return ((int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name))(path, flags, mode); \
}

OPEN(open)
OPEN(open64)

#define PREAD(name)							\
ssize_t name(int fd, void *buf, size_t n, off_t pos)			\
{									\
	struct kvm_exit_stats_regs k = { 0, 0, 0, 0 };			\
	uint32_t leaf = (uint32_t)pos, ecx = (uint32_t)((uint64_t)pos >> 32); \
									\
	if (fd != device_fd || fd < 0)					\
		return ((ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, #name))(fd, buf, n, pos); \
	if (pos < 0 || n % 16) {					\
		errno = EINVAL;						\
		return -1;						\
	}								\
	if (n < 16)							\
		return 0;						\
	if (leaf == KVM_EXIT_STATS_CPUID_DUMP)				\
		k.ebx = KVM_EXIT_STATS_DUMP_OFF;			\
	else if (kvm_exit_stats_cpuid_leaf(host.v.layout, leaf))	\
		kvm_exit_stats_cpuid_fill(&host.v, leaf, ecx, &k);	\
	memcpy(buf, &k, 16);						\
	return 16;							\
}

PREAD(pread)
PREAD(pread64)
