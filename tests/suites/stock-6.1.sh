#!/usr/bin/env bash
# Suite "stock-6.1": Debian 12's default kernel, 6.1 (the packaged image,
# not rebuilt), as L1 with the change's KVM modules for it (make
# debian-modules KVER=6.1.0-N-amd64: kernel/lines/6.1), on both ISAs: QEMU
# (emulated AMD SVM) and Bochs (Intel VMX).  The core of the lab tests
# (STOCK61_TESTS, the check job's kes.only), with the modules unloaded and
# loaded again, modprobe from updates/, and lockdown raised at the end;
# make check runs the whole lab on 6.12.
set -uo pipefail
export KES_LINE=6.1
. "$(dirname "$0")/lab-common.sh"

STOCK61_TESTS=module_reload,debian_install,exit_count,parallel,control,fastpath,time_split,hist,binary_stats,lockdown
stock_build stock-6.1 || exit 0
for isa in svm vmx; do
	log=$BUILD/check/stock-6.1-$isa.log
	if [ "$isa" = svm ]; then
		KES_KERNEL=$LAB/stock-6.1/vmlinuz "$TOP/lab/boot-qemu.sh" "$LAB/l1-stock-6.1.cpio.gz" check \
			"$log" 2 900 "kes.only=$STOCK61_TESTS" >/dev/null 2>&1
	else
		KES_BOCHS_CPUS=1 KES_KERNEL=$LAB/stock-6.1/vmlinuz "$TOP/lab/boot-bochs.sh" "$LAB/l1-stock-6.1.cpio.gz" check \
			"$log" 1800 "kes.only=$STOCK61_TESTS" >/dev/null 2>&1
	fi
	lab_tap "stock-6.1/$isa" "$log"
	stock_checks "stock-6.1/$isa" "$log"
	lab_checks "stock-6.1/$isa" $isa "$log"
done
