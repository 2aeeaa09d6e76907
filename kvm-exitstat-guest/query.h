/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the host's exit statistics from inside a guest, through the CPUID
 * leaves 0x4ffffff0-0x4fffffff: the kernel change's own ABI header,
 * <asm/kvm_exit_stats_cpuid.h> (docs/guest-abi.md).
 */
#ifndef KES_GUEST_QUERY_H
#define KES_GUEST_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include <asm/kvm_exit_stats_cpuid.h>

#include "exit_reasons.h"

/* Executes CPUID @leaf with ECX = @ecx: r = EAX, EBX, ECX, EDX. */
typedef void kes_cpuid_fn(uint32_t leaf, uint32_t ecx, uint32_t r[4]);

/* The CPUID instruction itself (cpuid.c; the unit tests link a stand-in). */
kes_cpuid_fn kes_cpuid;

/*
 * How CPUID is executed: by this program (the instruction, at the CPL of
 * user space), or by the kernel for it, through the cpuid driver's device
 * (/dev/cpu/N/cpuid: a read of 16 bytes at offset ECX << 32 | LEAF).
 */
enum kes_via { KES_VIA_INSTRUCTION, KES_VIA_DEVICE };

struct kes_cpu {
	enum kes_via via;
	kes_cpuid_fn *insn;	/* the instruction (or a stand-in) */
	int fd;			/* the device, when via it */
	int err;		/* the first errno of a device read, 0 if none */
};

/* The device's offsets are signed: ECX must stay below 2^31. */
#define KES_DEVICE_ECX_LIMIT 0x80000000u

/* Opens @path as @c's device; 0 or an errno. */
int kes_cpu_open_device(struct kes_cpu *c, const char *path);
void kes_cpu_close(struct kes_cpu *c);
/* CPUID @leaf, @ecx into @r (zeros on failure); false if it could not run. */
bool kes_cpu_cpuid(struct kes_cpu *c, uint32_t leaf, uint32_t ecx, uint32_t r[4]);

enum kes_scope {
	KES_SCOPE_OFF = KVM_EXIT_STATS_SCOPE_OFF,
	KES_SCOPE_VM = KVM_EXIT_STATS_SCOPE_VM,
	KES_SCOPE_SYSTEM = KVM_EXIT_STATS_SCOPE_SYSTEM,
};

/* What the host says of itself (the signature and info leaves). */
struct kes_host {
	bool found;		/* the signature leaf says "KVMExitStats" */
	unsigned int abi;
	enum kes_isa isa;
	char layout;		/* 'a', 'b' or 'c' */
	enum kes_scope scope;
	bool dump_on;
	bool user;		/* user space may read the leaves too */
};

/* How to read: the project's 64-bit leaves, or a layout's leaves. */
struct kes_reader {
	struct kes_cpu *cpu;
	char layout;		/* 0: the 64-bit leaves; 'a', 'b', 'c': that layout */
};

enum kes_state {
	KES_UNDEFINED,		/* the manual does not define it (EDX = ffffffff) */
	KES_NOT_ENABLED,	/* KVM does not enable it on this host */
	KES_COUNTED,
	KES_UNREADABLE,		/* CPUID could not be executed for it (the device) */
};

struct kes_reading {
	uint32_t reason;
	enum kes_state state;
	uint64_t count;		/* low 32 bits only, with a layout */
	uint64_t cycles;
};

void kes_probe(struct kes_cpu *cpu, struct kes_host *h);
void kes_read_reason(const struct kes_reader *r, uint32_t reason, struct kes_reading *out);
void kes_read_totals(const struct kes_reader *r, uint64_t *count, uint64_t *cycles);
/* Asks the host to dump to its log: 0 done, else KVM_EXIT_STATS_DUMP_OFF or _LIMITED. */
unsigned int kes_dump(struct kes_cpu *cpu);

#endif /* KES_GUEST_QUERY_H */
