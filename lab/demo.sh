#!/usr/bin/env bash
# make demo: builds the lab kernel and its programs, boots it under QEMU
# (emulated AMD SVM), runs a known workload in a nested VM and prints the
# system-wide exit statistics the kernel kept.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/lab/kernel-build.sh"
"$TOP/lab/l1-build.sh"
log=$LAB/demo.log
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" demo "$log" 2 300
sed -n '/^KES-DEMO workload/,/^KES-DEMO end/p' "$log" |
	sed -e '/^KES-DEMO end/d' -e 's/^KES-DEMO \{0,1\}//'
