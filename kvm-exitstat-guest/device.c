// SPDX-License-Identifier: GPL-2.0
/*
 * Executing CPUID, by the instruction or through the kernel's cpuid driver
 * (/dev/cpu/N/cpuid, which runs it at CPL 0: a read of 16 bytes at offset
 * ECX << 32 | LEAF gives EAX, EBX, ECX, EDX).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "query.h"

int kes_cpu_open_device(struct kes_cpu *c, const char *path)
{
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return errno;
	c->via = KES_VIA_DEVICE;
	c->err = 0;
	return 0;
}

void kes_cpu_close(struct kes_cpu *c)
{
	if (c->via == KES_VIA_DEVICE && c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->via = KES_VIA_INSTRUCTION;
}

bool kes_cpu_cpuid(struct kes_cpu *c, uint32_t leaf, uint32_t ecx, uint32_t r[4])
{
	ssize_t n;

	memset(r, 0, 4 * sizeof(r[0]));
	if (c->via == KES_VIA_INSTRUCTION) {
		c->insn(leaf, ecx, r);
		return true;
	}
	if (ecx >= KES_DEVICE_ECX_LIMIT)
		return false;
	n = pread(c->fd, r, 16, (off_t)((uint64_t)ecx << 32 | leaf));
	if (n == 16)
		return true;
	if (!c->err)
		c->err = n < 0 ? errno : EIO;
	memset(r, 0, 4 * sizeof(r[0]));
	return false;
}
