#!/usr/bin/env bash
# Suite "stock-svm": Debian's own 6.12 kernel (the packaged image, not
# rebuilt) as L1 under QEMU (emulated AMD SVM), with the change's KVM modules
# (make debian-modules) in place of Debian's: the lab tests, the modules
# unloaded and loaded again, and lockdown raised at the end.
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

log=$BUILD/check/stock-svm.log
stock_build stock-svm || exit 0
KES_KERNEL=$LAB/stock/vmlinuz "$TOP/lab/boot-qemu.sh" "$LAB/l1-stock.cpio.gz" check "$log" 2 900 \
	>/dev/null 2>&1
lab_tap stock-svm "$log"
stock_checks stock-svm "$log"
lab_checks stock-svm svm "$log"
selftests_checks stock-svm svm
