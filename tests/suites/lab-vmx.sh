#!/usr/bin/env bash
# Suite "lab-vmx": the same lab tests inside the lab kernel under Bochs, which
# emulates Intel VMX (EPT, VPID, VMX preemption timer): kvm_intel runs real
# nested guests, including exits that KVM handles in its fastpath.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

log=$BUILD/check/lab-vmx.log
if ! out=$("$TOP/lab/l1-build.sh" 2>&1); then
	tap 1 "lab-vmx: the lab programs and initramfs build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	exit 0
fi
"$TOP/lab/boot-bochs.sh" "$LAB/l1.cpio.gz" check "$log" 1200 >/dev/null 2>&1
awk -v suite=lab-vmx -f "$TOP/tests/lab-log-to-tap.awk" "$log"
grep -q 'isa=vmx' "$log"
tap $? "lab-vmx: the tests ran on kvm_intel (isa=vmx)"
#!/usr/bin/env bash
# Suite "lab-vmx": the same lab tests inside the lab kernel under Bochs, which
# emulates Intel VMX (EPT, VPID, VMX preemption timer): kvm_intel runs real
# nested guests, including exits that KVM handles in its fastpath.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

log=$BUILD/check/lab-vmx.log
if ! out=$("$TOP/lab/l1-build.sh" 2>&1); then
	tap 1 "lab-vmx: the lab programs and initramfs build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	exit 0
fi
"$TOP/lab/boot-bochs.sh" "$LAB/l1.cpio.gz" check "$log" 1200 >/dev/null 2>&1
awk -v suite=lab-vmx -f "$TOP/tests/lab-log-to-tap.awk" "$log"
grep -q 'isa=vmx' "$log"
tap $? "lab-vmx: the tests ran on kvm_intel (isa=vmx)"
# The host tool's Prometheus output from the lab, as Prometheus reads it.
need_pkgs prometheus
awk '/^KES-FILE prometheus$/ { on = 1; next } /^KES-FILE/ { on = 0 } on' "$log" > "$log.prom"
out=$(promtool check metrics < "$log.prom" 2>&1)
[ -s "$log.prom" ] && [ -z "$out" ]
tap $? "lab-vmx: promtool check metrics accepts kvm-exitstat --prometheus on the lab's statistics"
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
grep -q '^WARNING:\|^BUG:\|Call Trace' "$log"
[ $? -ne 0 ]
tap $? "lab-vmx: no kernel WARNING, BUG or stack trace in the lab kernel's log"
\|^BUG:\|Call Trace' "$log"
[ $? -ne 0 ]
tap $? "lab-vmx: no kernel WARNING, BUG or stack trace in the lab kernel's log"
