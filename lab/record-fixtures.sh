#!/usr/bin/env bash
# For developers: records the unit tests' fixtures from the lab.  Boots the
# lab kernel with the "fixtures" job (two VMs at the same time, each VM's
# file and the system-wide file) on QEMU (SVM) and Bochs (VMX), and writes
#   tests/unit/fixtures/svm-vm-a.txt, svm-vm-b.txt, svm-system-2vms.txt and
#     its histograms svm-system-2vms-hist.txt
#   tests/unit/fixtures/vmx-vm.txt (VM A), vmx-system.txt (both VMs),
#     vmx-system-hist.txt
# (svm-vm.txt and svm-system.txt are older recordings that tests rely on.)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/lab/kernel-build.sh"
"$TOP/lab/l1-build.sh"
mkdir -p "$BUILD/fixtures"
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" fixtures "$BUILD/fixtures/svm.log" 2 600
"$TOP/lab/boot-bochs.sh" "$LAB/l1.cpio.gz" fixtures "$BUILD/fixtures/vmx.log" 900

# extract LOG PART FILE: the lines after "KES-FILE PART" up to the next KES-FILE.
extract() {
	awk -v want="KES-FILE $2" '
		$0 == want { on = 1; next }
		/^KES-FILE/ { on = 0 }
		on' "$1" > "$3"
	[ -s "$3" ] || die "$1 has no $2 file"
	say "recorded ${3#"$TOP"/}"
}
F=$TOP/tests/unit/fixtures
extract "$BUILD/fixtures/svm.log" vm-a "$F/svm-vm-a.txt"
extract "$BUILD/fixtures/svm.log" vm-b "$F/svm-vm-b.txt"
extract "$BUILD/fixtures/svm.log" system-2vms "$F/svm-system-2vms.txt"
extract "$BUILD/fixtures/svm.log" system-2vms-hist "$F/svm-system-2vms-hist.txt"
extract "$BUILD/fixtures/vmx.log" vm-a "$F/vmx-vm.txt"
extract "$BUILD/fixtures/vmx.log" system-2vms "$F/vmx-system.txt"
extract "$BUILD/fixtures/vmx.log" system-2vms-hist "$F/vmx-system-hist.txt"
