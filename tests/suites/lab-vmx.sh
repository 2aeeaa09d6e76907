#!/usr/bin/env bash
# Suite "lab-vmx": the same lab tests inside the lab kernel under Bochs, which
# emulates Intel VMX (EPT, VPID, VMX preemption timer): kvm_intel runs real
# nested guests, including exits that KVM handles in its fastpath.
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

log=$BUILD/check/lab-vmx.log
lab_build lab-vmx || exit 0
"$TOP/lab/boot-bochs.sh" "$LAB/l1.cpio.gz" check "$log" 1200 >/dev/null 2>&1
lab_tap lab-vmx "$log"
lab_checks lab-vmx vmx "$log"
