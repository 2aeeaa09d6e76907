// SPDX-License-Identifier: GPL-2.0
/*
 * A real-mode guest, driven through /dev/kvm directly: its TOTAL equals
 * KVM's own "exits", and its port writes and HLT are exact (emulated, the
 * port writes KVM's emulator runs are no exits, and the HLT is a #GP).
 *
 * On VMX without unrestricted guest (kvm_intel.unrestricted_guest=0), KVM
 * runs real mode in virtual-8086 mode, which takes only segments whose base
 * is the selector times 16.  The guest starts with CS base 0x1000 and
 * selector 0: KVM must emulate it ("emulation_required"), and every round of
 * that emulation is a VM-entry failure KVM synthesizes without entering the
 * guest (INVALID_STATE), which KVM counts in "exits" but for which the
 * kvm_exit tracepoint does not fire.  After a far jump to CS 0x100 (base
 * 0x1000), the guest runs in virtual-8086 mode.  Elsewhere (unrestricted
 * guest, SVM) real mode runs natively and nothing is emulated.
 *
 * Usage: realmode_test [N]   (default 100 port writes before and after the jump)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "lab_test.h"

#define CODE_GPA	0x1000
#define MEM_SIZE	(1 << 20)
#define PORT		0x80

/* The guest: N port writes, a far jump that makes CS real-mode proper, N more, HLT. */
extern const unsigned char rm_start[], rm_end[], rm_count1[], rm_count2[];
asm(".pushsection .rodata\n"
    ".code16\n"
    "rm_start:\n"
    "	.byte 0xb9\n"			/* mov $N, %cx */
    "rm_count1: .word 0\n"
    "1:	outb %al, $0x80\n"
    "	loop 1b\n"
    "	ljmp $0x0100, $(2f - rm_start)\n"
    "2:	.byte 0xb9\n"
    "rm_count2: .word 0\n"
    "3:	outb %al, $0x80\n"
    "	loop 3b\n"
    "	hlt\n"
    "rm_end:\n"
    ".code64\n"
    ".popsection\n");

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);

	TEST_ASSERT(r >= 0, "%s: %s", what, strerror(errno));
	return r;
}

/* A vCPU statistic from its binary statistics. */
static uint64_t stat_of(int vcpu_fd, const char *name)
{
	int fd = xioctl(vcpu_fd, KVM_GET_STATS_FD, NULL, "KVM_GET_STATS_FD");
	struct kvm_stats_header h;
	char buf[sizeof(struct kvm_stats_desc) + 256];
	uint64_t v = 0;
	uint32_t i;
	bool found = false;

	TEST_ASSERT(pread(fd, &h, sizeof(h), 0) == sizeof(h), "the stats header");
	for (i = 0; i < h.num_desc && !found; i++) {
		struct kvm_stats_desc *d = (void *)buf;
		size_t size = sizeof(*d) + h.name_size;

		TEST_ASSERT(size <= sizeof(buf) &&
			    pread(fd, d, size, h.desc_offset + i * size) == (ssize_t)size,
			    "stats descriptor %u", i);
		if (!strcmp(d->name, name)) {
			TEST_ASSERT(pread(fd, &v, sizeof(v), h.data_offset + d->offset) == sizeof(v),
				    "the value of %s", name);
			found = true;
		}
	}
	close(fd);
	TEST_ASSERT(found, "no vCPU statistic %s", name);
	return v;
}

/* kvm_intel.unrestricted_guest, or -1 without kvm_intel. */
static int unrestricted_guest(void)
{
	FILE *f = fopen("/sys/module/kvm_intel/parameters/unrestricted_guest", "re");
	int c;

	if (!f)
		return -1;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == '1';
}

int main(int argc, char **argv)
{
	uint16_t n = argc > 1 ? (uint16_t)strtoul(argv[1], NULL, 0) : 100;
	bool vmx = lab_isa() == KES_ISA_VMX, emulated = vmx && unrestricted_guest() == 0;
	struct kes_stats none = { .isa = lab_isa() }, st;
	struct kvm_userspace_memory_region mr = { 0 };
	uint64_t io = 0, exits, hlt_exits;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	struct tp_counts tp;
	char dir[64], path[96];
	int kvm, vm, vcpu, size;
	uint8_t *mem;
	bool ok = true;

	ksft_print_header();
	ksft_set_plan(2);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	TEST_ASSERT(kvm >= 0, "cannot open /dev/kvm: %s", strerror(errno));
	vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	if (vmx)	/* virtual-8086 mode needs a TSS, which KVM keeps here */
		xioctl(vm, KVM_SET_TSS_ADDR, (void *)0xfffbd000UL, "KVM_SET_TSS_ADDR");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap");
	memcpy(mem + CODE_GPA, rm_start, rm_end - rm_start);
	memcpy(mem + CODE_GPA + (rm_count1 - rm_start), &n, 2);
	memcpy(mem + CODE_GPA + (rm_count2 - rm_start), &n, 2);
	mr.memory_size = MEM_SIZE;
	mr.userspace_addr = (uintptr_t)mem;
	xioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr, "KVM_SET_USER_MEMORY_REGION");
	vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
	size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, NULL, "KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	TEST_ASSERT(run != MAP_FAILED, "mmap kvm_run");

	xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cs.selector = 0;		/* base != selector * 16: not virtual-8086 */
	sregs.cs.base = CODE_GPA;
	xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = 0;
	regs.rflags = 2;
	xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");

	tp_start();
	for (;;) {
		xioctl(vcpu, KVM_RUN, NULL, "KVM_RUN");
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == PORT) {
			io++;
			continue;
		}
		TEST_ASSERT(run->exit_reason == KVM_EXIT_HLT, "the guest stopped with exit %u",
			    run->exit_reason);
		break;
	}
	tp_read(&tp);
	tp_stop();
	exits = stat_of(vcpu, "exits");
	hlt_exits = stat_of(vcpu, "halt_exits");
	snprintf(dir, sizeof(dir), "/sys/kernel/debug/kvm/%d-%d", getpid(), vm);
	snprintf(path, sizeof(path), "%s/exit_stats", dir);
	stats_load(path, &st);
	ksft_print_msg("%s: %llu exits (KVM: %llu), %llu of them INVALID_STATE, the tracepoint saw %llu\n",
		       emulated ? "emulated real mode (unrestricted_guest=0)" : "real mode",
		       (unsigned long long)st.total.count, (unsigned long long)exits,
		       vmx ? (unsigned long long)kes_stats_count(&st, lab_reason("INVALID_STATE")) : 0ULL,
		       (unsigned long long)tp_total(&tp));

	ok &= check_u64(io, 2ULL * n, "port writes the guest made (its own count)");
	ok &= check_u64(st.total.count, exits, "the VM's TOTAL against KVM's own exits");
	/*
	 * Emulated, the first N port writes are KVM's emulator's, not exits;
	 * in virtual-8086 mode the HLT is a #GP that KVM intercepts (an
	 * EXCEPTION_NMI exit) and emulates as a halt.
	 */
	ok &= check_u64(kes_stats_count(&st, lab_reason(vmx ? "IO_INSTRUCTION" : "io")),
			emulated ? n : 2ULL * n, "port I/O exits");
	if (emulated)
		ok &= check(hlt_exits == 1 && kes_stats_count(&st, lab_reason("EXCEPTION_NMI")) >= 1,
			    "the HLT in virtual-8086 mode: KVM's halt_exits %llu, EXCEPTION_NMI exits %llu",
			    (unsigned long long)hlt_exits,
			    (unsigned long long)kes_stats_count(&st, lab_reason("EXCEPTION_NMI")));
	else
		ok &= check_u64(kes_stats_count(&st, lab_reason(vmx ? "HLT" : "hlt")), hlt_exits,
				"HLT exits, against KVM's own halt_exits");
	ok &= check_cycles_sane(&st, "per-VM");
	ksft_test_result(ok, "a real-mode guest: TOTAL equals KVM's own exits, its port writes exact\n");
	if (emulated) {
		uint64_t invalid = kes_stats_count(&st, lab_reason("INVALID_STATE"));

		ok = check(invalid > 0, "no INVALID_STATE exit: KVM did not emulate");
		ok &= check_u64(st.total.count - invalid, tp_total(&tp),
				"the exits but INVALID_STATE, against the kvm_exit tracepoint");
		ksft_test_result(ok, "KVM emulated %llu rounds of invalid guest state: counted as INVALID_STATE, as KVM counts them\n",
				 (unsigned long long)invalid);
	} else {
		ok = check_matches_tracepoint(&none, &st, &tp, "per-VM");
		ksft_test_result(ok, "real mode ran natively (%s): every exit equal to the tracepoint\n",
				 vmx ? "unrestricted guest" : "SVM");
	}
	kes_stats_free(&st);
	close(vcpu);
	close(vm);
	close(kvm);
	ksft_finished();
}
