#!/usr/bin/env bash
# Suite "lab-svm": the lab tests inside the lab kernel under QEMU (TCG with
# emulated AMD SVM and nested paging): kvm_amd runs real nested guests; and a
# real Linux guest, booted by QEMU inside the lab kernel.
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

log=$BUILD/check/lab-svm.log
lg=$BUILD/check/lab-svm-linux-guest.log
lab_build lab-svm || exit 0
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" check "$log" 2 900 >/dev/null 2>&1
lab_tap lab-svm "$log"

# A real Linux guest: QEMU inside the lab kernel, kvm-exitstat-guest inside it.
if out=$("$TOP/lab/l1-vmm-build.sh" 2>&1); then
	# One L1 CPU: with two, QEMU 7.2 (single-threaded TCG, which switches
	# between the CPUs) was seen delivering an interrupt injected into the
	# Linux guest twice, the second time with the guest's interrupts off
	# (docs/lab.md, "Traps found"); not yet measured with QEMU 10, so this
	# test alone keeps the workaround.
	"$TOP/lab/boot-qemu.sh" "$LAB/l1-vmm.cpio.gz" linux-guest "$lg" 1 600 >/dev/null 2>&1
	lab_tap lab-svm "$lg"
else
	tap 1 "lab-svm: QEMU and the Linux guest for the lab kernel build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
fi
# A host in lockdown, as with Secure Boot: the lab kernel booted with
# lockdown=integrity.
ld=$BUILD/check/lab-svm-lockdown.log
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" lockdown "$ld" 2 300 lockdown=integrity >/dev/null 2>&1
lab_tap lab-svm "$ld"
lab_checks lab-svm svm "$log" "$lg" "$ld"

# The scan of the logs can fail: a kernel made to WARN on purpose.
cn=$BUILD/check/lab-svm-canary.log
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" canary "$cn" 1 120 >/dev/null 2>&1
lab_canary lab-svm "$cn"

# The concurrency test can fail: the course write-ups' design, one array of
# plain counters for every CPU, loses updates in the same test, where two L1
# CPUs really run at once (multi-threaded TCG); the change loses none.  It
# loses few (12 and 1 in two runs of 2 x 500,000 exits: a plain increment is
# one instruction), so the mutant runs 2 x 2,000,000.  Its shared maxima can
# also tear a row (one CPU's exit-to-entry maximum beside another's in-KVM
# maximum), which the test's reading of the file refuses before it counts:
# seen once in a make check; that is the same defect caught.  The test and
# the output it must give are the patch's own Test: and Expect: lines.
mutant_caught lab-svm course-plain
