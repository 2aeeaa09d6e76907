#!/usr/bin/env bash
# Suite "stock-vmx": Debian's own 6.12 kernel as L1 under Bochs (emulated
# Intel VMX), with the change's KVM modules in place of Debian's: the lab
# tests, fastpath exits, the modules unloaded and loaded again, lockdown.
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

log=$BUILD/check/stock-vmx.log
stock_build stock-vmx || exit 0
KES_BOCHS_CPUS=1 KES_KERNEL=$LAB/stock/vmlinuz "$TOP/lab/boot-bochs.sh" "$LAB/l1-stock.cpio.gz" check "$log" 1500 \
	>/dev/null 2>&1
lab_tap stock-vmx "$log"
stock_checks stock-vmx "$log"
lab_checks stock-vmx vmx "$log"
selftests_checks stock-vmx vmx
