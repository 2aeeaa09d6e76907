# Shared by the lab suites (lab-svm, lab-vmx): building what runs in the lab
# kernel, and the checks every back end makes of its serial logs.  Sourced.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

# lab_build SUITE: the L1 programs and initramfs; prints "not ok" on failure.
lab_build() {
	local out
	if ! out=$("$TOP/lab/l1-build.sh" 2>&1); then
		tap 1 "$1: the lab programs and initramfs build"
		printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
		return 1
	fi
}

# lab_tap SUITE LOG: the TAP of the test programs in LOG.
lab_tap() {
	awk -v suite="$1" -f "$TOP/tests/lab-log-to-tap.awk" "$2"
}

# lab_checks SUITE ISA LOG...: what every back end checks of its logs (the
# first one is the check job's).
lab_checks() {
	local suite=$1 isa=$2 log=$3 out
	shift 2
	grep -q "isa=$isa" "$log"
	tap $? "$suite: the tests ran on kvm_$([ "$isa" = vmx ] && echo intel || echo amd) (isa=$isa)"

	# The host tool's Prometheus output from the lab, as Prometheus reads it.
	need_pkgs prometheus
	awk '/^KES-FILE prometheus$/ { on = 1; next } /^KES-FILE/ { on = 0 } on' "$log" > "$log.prom"
	out=$(promtool check metrics < "$log.prom" 2>&1)
	[ -s "$log.prom" ] && [ -z "$out" ]
	tap $? "$suite: promtool check metrics accepts kvm-exitstat --prometheus on the lab's statistics"
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'

	! grep -q '^WARNING:\|^BUG:\|Call Trace\|TSC rate' "$@"
	tap $? "$suite: no kernel WARNING, BUG, stack trace or TSC rate mismatch in the lab kernel's log"
}
