// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the CPUID instruction, for testing the guest tool without
 * a VM: the leaves of the exit statistics are answered by the kernel's own
 * guest-ABI code (exit_stats_abi.c) over made-up statistics (abi_fixture.c).
 * KES_MOCK_HOST says which host: "vmx:c:vm", "svm:a:system", ... or "none"
 * (a host without the change), default "svm:c:vm".  With KES_MOCK_NO_CPUID
 * set, any CPUID is a failure: the tool ends with status 98 and says which.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_fixture.h"
#include "query.h"

static struct fixture host;
static int configured;	/* 1: a host with the change, -1: without */

static void configure(void)
{
	const char *spec = getenv("KES_MOCK_HOST");
	char isa[4] = "svm", layout = 'c', scope[8] = "vm";

	if (spec && !strcmp(spec, "none")) {
		configured = -1;
		return;
	}
	if (spec && sscanf(spec, "%3[a-z]:%c:%7[a-z]", isa, &layout, scope) != 3) {
		fprintf(stderr, "KES_MOCK_HOST=%s: expected ISA:LAYOUT:SCOPE\n", spec);
		exit(99);
	}
	setup(&host, !strcmp(isa, "vmx") ? KVM_EXIT_STATS_VMX : KVM_EXIT_STATS_SVM,
	      0xa + layout - 'a');
	host.v.scope = !strcmp(scope, "vm") ? KVM_EXIT_STATS_SCOPE_VM : KVM_EXIT_STATS_SCOPE_SYSTEM;
	configured = 1;
}

void kes_cpuid(uint32_t leaf, uint32_t ecx, uint32_t r[4])
{
	struct kvm_exit_stats_regs k = { 0, 0, 0, 0 };

	if (getenv("KES_MOCK_NO_CPUID")) {
		fprintf(stderr, "mock_cpuid: CPUID 0x%08x executed, though KES_MOCK_NO_CPUID "
			"says it must not be\n", leaf);
		exit(98);
	}
	if (!configured)
		configure();
	if (leaf == 0) {	/* the vendor: AMD on an SVM host, else Intel */
		bool amd = configured > 0 && host.v.isa == KVM_EXIT_STATS_SVM;

		r[0] = 0xd;
		memcpy(&r[1], amd ? "Auth" : "Genu", 4);
		memcpy(&r[3], amd ? "enti" : "ineI", 4);
		memcpy(&r[2], amd ? "cAMD" : "ntel", 4);
		return;
	}
	if (configured > 0 && kvm_exit_stats_cpuid_leaf(host.v.layout, leaf) &&
	    leaf != KVM_EXIT_STATS_CPUID_DUMP)
		kvm_exit_stats_cpuid_fill(&host.v, leaf, ecx, &k);
	else if (configured > 0 && leaf == KVM_EXIT_STATS_CPUID_DUMP)
		k.ebx = KVM_EXIT_STATS_DUMP_OFF;
	r[0] = k.eax;
	r[1] = k.ebx;
	r[2] = k.ecx;
	r[3] = k.edx;
}
