// SPDX-License-Identifier: GPL-2.0
/* The CPUID instruction. */
#include "query.h"

void kes_cpuid(uint32_t leaf, uint32_t ecx, uint32_t r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(ecx));
}
