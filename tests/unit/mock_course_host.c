// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the CPUID instruction: a host that answers only one
 * layout's leaves 0x4ffffffc-0x4fffffff (no signature, no info leaf), as a
 * host of the course does, with the kernel's own guest-ABI code over the
 * made-up statistics of abi_fixture.c; and, as on a real host, every CPUID
 * is itself an exit (of reason CPUID), counted after it is answered.
 * KES_MOCK_COURSE says which: "vmx:c", "svm:a", ... (default "vmx:c"); with
 * ":plain", a host that answers zeros for a reason no manual defines, as the
 * course's hosts did, rather than EDX = 0xffffffff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_fixture.h"
#include "query.h"

static struct fixture host;
static bool configured, plain;

static void configure(void)
{
	const char *spec = getenv("KES_MOCK_COURSE");
	char isa[4] = "vmx", layout = 'c', how[8] = "";

	if (spec && sscanf(spec, "%3[a-z]:%c:%7[a-z]", isa, &layout, how) < 2) {
		fprintf(stderr, "KES_MOCK_COURSE=%s: expected ISA:LAYOUT\n", spec);
		exit(99);
	}
	setup(&host, !strcmp(isa, "vmx") ? KVM_EXIT_STATS_VMX : KVM_EXIT_STATS_SVM,
	      0xa + layout - 'a');
	host.v.scope = KVM_EXIT_STATS_SCOPE_SYSTEM;
	plain = !strcmp(how, "plain");
	configured = true;
}

void kes_cpuid(uint32_t leaf, uint32_t ecx, uint32_t r[4])
{
	struct kvm_exit_stats_regs k = { 0, 0, 0, 0 };
	uint32_t cpuid = host.v.isa == KVM_EXIT_STATS_VMX ? 10 : 0x72;

	if (!configured)
		configure();
	if (leaf == 0) {	/* the vendor: AMD on an SVM host, else Intel */
		bool amd = host.v.isa == KVM_EXIT_STATS_SVM;

		k.eax = 0xd;
		memcpy(&k.ebx, amd ? "Auth" : "Genu", 4);
		memcpy(&k.edx, amd ? "enti" : "ineI", 4);
		memcpy(&k.ecx, amd ? "cAMD" : "ntel", 4);
	} else if (leaf >= 0x4ffffffc && leaf <= 0x4fffffff &&
		   kvm_exit_stats_cpuid_leaf(host.v.layout, leaf)) {
		kvm_exit_stats_cpuid_fill(&host.v, leaf, ecx, &k);
		if (plain && k.edx == KVM_EXIT_STATS_UNDEFINED)
			k = (struct kvm_exit_stats_regs){ 0, 0, 0, 0 };
	}
	r[0] = k.eax;
	r[1] = k.ebx;
	r[2] = k.ecx;
	r[3] = k.edx;
	host.stats.slot[cpuid].count++;
	host.stats.slot[cpuid].cycles += 1000;
	host.total_count++;
	host.total_cycles += 1000;
}
