#!/usr/bin/env bash
# Suite "stock-6.1": Debian 12's default kernel, 6.1 (the packaged image,
# not rebuilt), as L1 with the change's KVM modules for it (make
# debian-modules KVER=6.1.0-N-amd64: kernel/lines/6.1), on both ISAs: QEMU
# (emulated AMD SVM) and Bochs (Intel VMX).  The core of the lab tests
# (CORE_TESTS, lab-common.sh), with the modules unloaded and
# loaded again, modprobe from updates/, and lockdown raised at the end;
# make check runs the whole lab on 6.12.
set -uo pipefail
export KES_LINE=6.1
. "$(dirname "$0")/lab-common.sh"

stock_build stock-6.1 || exit 0
for isa in svm vmx; do
	log=$BUILD/check/stock-6.1-$isa.log
	core_boot $isa "$LAB/stock-6.1/vmlinuz" "$LAB/l1-stock-6.1.cpio.gz" "$log"
	lab_tap "stock-6.1/$isa" "$log"
	stock_checks "stock-6.1/$isa" "$log"
	lab_checks "stock-6.1/$isa" $isa "$log"
done
