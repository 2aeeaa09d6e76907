#!/usr/bin/env bash
# Suite "lab-svm": the lab tests inside the lab kernel under QEMU (TCG with
# emulated AMD SVM and nested paging): kvm_amd runs real nested guests.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

log=$BUILD/check/lab-svm.log
if ! out=$("$TOP/lab/l1-build.sh" 2>&1); then
	tap 1 "lab-svm: the lab programs and initramfs build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	exit 0
fi
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" check "$log" 2 900 >/dev/null 2>&1
awk -v suite=lab-svm -f "$TOP/tests/lab-log-to-tap.awk" "$log"

# A real Linux guest: QEMU inside the lab kernel, kvm-exitstat-guest inside it.
lg=$BUILD/check/lab-svm-linux-guest.log
if out=$("$TOP/lab/l1-vmm-build.sh" 2>&1); then
	"$TOP/lab/boot-qemu.sh" "$LAB/l1-vmm.cpio.gz" linux-guest "$lg" 2 900 >/dev/null 2>&1
	awk -v suite=lab-svm -f "$TOP/tests/lab-log-to-tap.awk" "$lg"
else
	tap 1 "lab-svm: QEMU and the Linux guest for the lab kernel build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
fi
grep -q 'isa=svm' "$log"
tap $? "lab-svm: the tests ran on kvm_amd (isa=svm)"
#!/usr/bin/env bash
# Suite "lab-svm": the lab tests inside the lab kernel under QEMU (TCG with
# emulated AMD SVM and nested paging): kvm_amd runs real nested guests.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

log=$BUILD/check/lab-svm.log
if ! out=$("$TOP/lab/l1-build.sh" 2>&1); then
	tap 1 "lab-svm: the lab programs and initramfs build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	exit 0
fi
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" check "$log" 2 900 >/dev/null 2>&1
awk -v suite=lab-svm -f "$TOP/tests/lab-log-to-tap.awk" "$log"

# A real Linux guest: QEMU inside the lab kernel, kvm-exitstat-guest inside it.
lg=$BUILD/check/lab-svm-linux-guest.log
if out=$("$TOP/lab/l1-vmm-build.sh" 2>&1); then
	"$TOP/lab/boot-qemu.sh" "$LAB/l1-vmm.cpio.gz" linux-guest "$lg" 2 900 >/dev/null 2>&1
	awk -v suite=lab-svm -f "$TOP/tests/lab-log-to-tap.awk" "$lg"
else
	tap 1 "lab-svm: QEMU and the Linux guest for the lab kernel build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
fi
grep -q 'isa=svm' "$log"
tap $? "lab-svm: the tests ran on kvm_amd (isa=svm)"
# The host tool's Prometheus output from the lab, as Prometheus reads it.
need_pkgs prometheus
awk '/^KES-FILE prometheus$/ { on = 1; next } /^KES-FILE/ { on = 0 } on' "$log" > "$log.prom"
out=$(promtool check metrics < "$log.prom" 2>&1)
[ -s "$log.prom" ] && [ -z "$out" ]
tap $? "lab-svm: promtool check metrics accepts kvm-exitstat --prometheus on the lab's statistics"
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
grep -q '^WARNING:\|^BUG:\|Call Trace' "$log" "$lg"
[ $? -ne 0 ]
tap $? "lab-svm: no kernel WARNING, BUG or stack trace in the lab kernel's log"
\|^BUG:\|Call Trace' "$log" "$lg"
[ $? -ne 0 ]
tap $? "lab-svm: no kernel WARNING, BUG or stack trace in the lab kernel's log"
