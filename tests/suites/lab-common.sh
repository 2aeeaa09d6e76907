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

# stock_build SUITE: Debian's kernel image and the initramfs with the
# change's KVM modules (lab/stock-build.sh); prints "not ok" on failure.
stock_build() {
	local out
	if ! out=$("$TOP/lab/stock-build.sh" 2>&1); then
		tap 1 "$1: Debian's kernel and the change's KVM modules for it build"
		printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
		return 1
	fi
}

# stock_checks SUITE LOG: L1 ran Debian's own kernel, with our KVM modules.
stock_checks() {
	local suite=$1 log=$2 kver ver
	. "$TOP/modules/debian.sh"
	kver=$(deb_source_kver)
	ver=$(ksrc_package_version)
	grep -q "^KES-L1-UP .* kernel=$kver\$" "$log" && grep -q "^KES-L1-VERSION .*Debian $ver" "$log"
	tap $? "$suite: L1 ran Debian's packaged kernel $kver ($ver), not rebuilt"
	# Debian's kvm.ko has no exit_stats parameters: these are ours.
	grep -q '^KES-L1-MODULES .*kvm_[ai][mn][dt]' "$log" &&
		grep -q '^KES-L1-KVM-PARAMS exit_stats exit_stats_' "$log"
	tap $? "$suite: L1 loaded the change's kvm.ko (build/debian/kvm.ko) in place of Debian's"
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

	lab_no_warnings "$suite" "$@"
}

# lab_no_warnings SUITE LOG...: a TAP line: no kernel WARNING, BUG, stack
# trace or TSC rate mismatch in the logs.  Debian's kernel loads KVM after it
# booted: what it said before is not about the change (under Bochs, a WARNING
# in parse_legacy() about the emulated CPU's topology leaf), so its log counts
# from the L1 init on.
lab_no_warnings() {
	local suite=$1 f found=0
	shift
	local bad='^\(\[ *[0-9.]*\] \)\{0,1\}\(WARNING:\|BUG:\)\|Call Trace\|TSC rate'
	for f in "$@"; do
		if grep -q '^KES-L1-VERSION' "$f"; then
			sed -n '1,/^KES-L1-UP/p' "$f" | grep "$bad" | head -3 |
				sed 's/^/# at boot, before KVM was loaded: /'
			sed -n '/^KES-L1-UP/,$p' "$f" | grep -q "$bad" && found=1
		else
			grep -q "$bad" "$f" && found=1
		fi
	done
	[ "$found" -eq 0 ]
	tap $? "$suite: no kernel WARNING, BUG, stack trace or TSC rate mismatch in the lab kernel's log"
}
