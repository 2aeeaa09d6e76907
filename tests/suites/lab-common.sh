# Shared by the lab suites (lab-svm, lab-vmx): building what runs in the lab
# kernel, and the checks every back end makes of its serial logs.  Sourced.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

# KVM's own selftests (written by KVM's maintainers) that make check runs in
# Debian's kernel, with Debian's KVM modules and with ours, comparing the
# two results test by test (lab/selftests.sh; make selftests runs them all):
# those about exits, their reasons, KVM's statistics and guest state; under
# Bochs (VMX, about 17 s each with both sets) the first three.
SELFTESTS_CHECK="cpuid_test kvm_binary_stats_test userspace_io_test userspace_msr_exit_test triple_fault_event_test
	sync_regs_test exit_on_emulation_failure_test
	fix_hypercall_test set_sregs_test debug_regs platform_info_test"
# The change's own selftest (kernel/files/tools/testing/selftests/kvm): it
# must pass with our modules, on both ISAs, and skip with Debian's.
export KES_SELFTESTS_OURS=exit_stats_test

# selftests_checks SUITE ISA: SELFTESTS_CHECK with both sets of modules.
selftests_checks() {
	local suite=$1 isa=$2 tests
	tests=$(echo $SELFTESTS_CHECK)
	[ "$isa" = vmx ] && tests=$(echo $SELFTESTS_CHECK | cut -d' ' -f1-3)
	tests="$tests $KES_SELFTESTS_OURS"
	# shellcheck disable=SC2086
	KES_SELFTESTS_ISAS=$isa "$TOP/lab/selftests.sh" "$suite" $tests 2> "$BUILD/check/$suite-selftests.stderr" ||
		tap 1 "$suite/selftests: KVM's selftests build and run (see build/check/$suite-selftests.stderr)"
	lab_no_warnings "$suite/selftests" "$BUILD/check/$suite-selftests-$isa.log"
}

# lab_build SUITE: the lab kernel if missing, the L1 programs and initramfs;
# prints "not ok" on failure.
lab_build() {
	local out
	# The lab kernel is the kernel suite's; built here when that suite did
	# not run (KES_SUITES="lab-svm" in a fresh clone).
	if [ ! -f "$LAB/bzImage" ] && ! out=$("$TOP/lab/kernel-build.sh" 2>&1); then
		tap 1 "$1: the lab kernel builds"
		printf '%s
' "$out" | tail -25 | sed 's/^/# /'
		return 1
	fi
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

# The core of the lab tests (the check job's kes.only), which the suites of
# the kernels besides the primary one run (stock-6.1, releases).
CORE_TESTS=module_reload,debian_install,exit_count,parallel,control,fastpath,time_split,hist,binary_stats,lockdown

# core_boot ISA KERNEL INITRAMFS LOG: the check job's core tests in L1,
# under QEMU (svm, two CPUs) or Bochs (vmx, one CPU).
core_boot() {
	local isa=$1 kernel=$2 initramfs=$3 log=$4
	if [ "$isa" = svm ]; then
		KES_KERNEL=$kernel "$TOP/lab/boot-qemu.sh" "$initramfs" check "$log" 2 900 \
			"kes.only=$CORE_TESTS" >/dev/null 2>&1
	else
		KES_BOCHS_CPUS=1 KES_KERNEL=$kernel "$TOP/lab/boot-bochs.sh" "$initramfs" check "$log" 1800 \
			"kes.only=$CORE_TESTS" >/dev/null 2>&1
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
	tap $? "$suite: L1 loaded the change's kvm.ko (${DEB_OUT#"$TOP"/}/kvm.ko) in place of Debian's"
}

# lab_tap SUITE LOG: the TAP of the test programs in LOG; a failure if there
# is no LOG (awk would print nothing at all for a missing file).
lab_tap() {
	if [ ! -s "$2" ]; then
		tap 1 "$1: the lab kernel's log $2 is there (the emulator did not start?)"
		return
	fi
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

# What a kernel prints when something is wrong: WARN and BUG, oopses and
# panics, lockdep, sleeping in atomic context, hung tasks, soft and hard
# lockups, RCU stalls, KASAN, UBSAN, KFENCE, kmemleak, list and refcount
# corruption; a TSC rate KVM refused; and work queued where 7.2 says not to.
KERNEL_COMPLAINTS='WARNING:|BUG:|Call Trace|Oops|Kernel panic|general protection fault'
KERNEL_COMPLAINTS+='|circular locking dependency|inconsistent lock state|possible recursive locking'
KERNEL_COMPLAINTS+='|suspicious RCU usage|sleeping function called from invalid context'
KERNEL_COMPLAINTS+='|blocked for more than|soft lockup|hard LOCKUP|detected stalls? on CPU|self-detected stall'
KERNEL_COMPLAINTS+='|KASAN:|UBSAN:|KFENCE:|kmemleak:|unreferenced object|list_add corruption|list_del corruption'
KERNEL_COMPLAINTS+='|refcount_t:|TSC rate|enqueued on deprecated workqueue'

# kernel_complaints LOG: the kernel's complaints in LOG, one per line (at
# most 5).  Debian's kernel loads KVM after it booted: what it said before
# its init ran is not about the change (under Bochs, a WARNING in
# parse_legacy() about the emulated CPU's topology leaf), so its log counts
# from the L1 init on; the lab's own KES- lines (KES-KMEMLEAK, ...) are not
# the kernel's.  A kernel built here counts from its first line, but for
# one named emulator artifact (EMULATOR_WARNING), which lab_no_warnings
# says it left out.  Exits 2 if LOG is missing or empty.
kernel_complaints() {
	[ -s "$1" ] || return 2
	if debian_kernel_log "$1"; then
		sed -n '/^KES-L1-UP/,$p' "$1"
	else
		without_emulator_warning < "$1"
	fi | grep -av '^KES-' | grep -aE "$KERNEL_COMPLAINTS" | head -5
	return 0
}

# debian_kernel_log LOG: LOG is the console of one of Debian's own kernels
# (its init printed KES-L1-VERSION), not of a kernel built here.
debian_kernel_log() { grep -q '^KES-L1-VERSION' "$1"; }

# Bochs's CPUID leaves disagree on the core count (leaf 4 says more cores
# than leaf 1 has logical processors, with HT set): Linux 7.2 WARNs once
# about it at boot, in parse_legacy() (topology_common.c), before KVM or
# anything of the change runs.  That WARNING, to its end (60 lines at
# most), is left out.
EMULATOR_WARNING='WARNING: .*at parse_legacy\+'
without_emulator_warning() {
	awk -v w="$EMULATOR_WARNING" '$0 ~ w { skip = 60 }
		skip && /---\[ end trace/ { skip = 0; next } skip { skip--; next } 1'
}

# lab_no_warnings SUITE LOG...: a TAP line: no kernel complaint in the logs
# nor in the logs of their failed attempts (LOG.attemptN); a missing log is
# a failure, not a pass.
lab_no_warnings() {
	local suite=$1 f out bad=0 n=0 logs=()
	shift
	for f in "$@"; do
		logs+=("$f")
		for a in "$f".attempt[0-9]; do [ -e "$a" ] && logs+=("$a"); done
	done
	for f in "${logs[@]}"; do
		if ! out=$(kernel_complaints "$f"); then
			echo "# $f: missing or empty"
			bad=1
		elif [ -n "$out" ]; then
			printf '%s\n' "$out" | sed "s|^|# ${f##*/}: |"
			bad=1
		fi
		! debian_kernel_log "$f" && grep -aqE "$EMULATOR_WARNING" "$f" &&
			echo "# ${f##*/}: left out, an emulator's: $(grep -aE -m1 "$EMULATOR_WARNING" "$f" | cut -c1-120)"
		n=$((n + 1))
	done
	tap $bad "$suite: no kernel WARNING, BUG, lockdep report or other complaint in the kernel's log ($n logs)"
}

# lab_canary SUITE LOG: the canary job's log (lab/l1/jobs/canary.sh), where the
# kernel was made to WARN on purpose: the scan must find it.
lab_canary() {
	local suite=$1 log=$2 out
	out=$(kernel_complaints "$log")
	[ -n "$out" ] && grep -q '^KES-CANARY' "$log" && grep -qa 'lkdtm' "$log"
	tap $? "$suite: the scan of kernel logs catches a deliberate WARNING (lkdtm's WARNING in the canary job)"
	printf '%s\n' "$out" | head -2 | sed 's/^/# found: /'
}

# mutant_caught SUITE MUTANT: builds the lab kernel with
# tests/mutants/MUTANT.patch (lab/kernel-build.sh mutant-MUTANT), runs the
# test its header names ("Test: PROGRAM [ARG...]") in it (QEMU, two L1 CPUs
# that really run at once), and prints ok if the test failed and its output
# matches the header's "Expect:" (an extended regular expression): the test
# can tell the mutant from the change.
mutant_caught() {
	local suite=$1 mutant=$2 patch=$TOP/tests/mutants/$2.patch expect log out st
	local -a test
	read -ra test <<< "$(sed -n 's/^Test: //p' "$patch" | head -1)"
	expect=$(sed -n 's/^Expect: //p' "$patch" | head -1)
	[ ${#test[@]} -gt 0 ] && [ -n "$expect" ] ||
		die "tests/mutants/$mutant.patch has no Test: or Expect: line"
	set -- "${test[@]}"
	log=$BUILD/check/$suite-mutant-$mutant.log
	if ! out=$("$TOP/lab/kernel-build.sh" "mutant-$mutant" 2>&1); then
		tap 1 "$suite: the mutant $mutant builds (tests/mutants/$mutant.patch)"
		printf '%s\n' "$out" | tail -15 | sed 's/^/# /'
		return
	fi
	KES_KERNEL=$LAB/mutant-$mutant/bzImage "$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" one "$log" 2 600 \
		"kes.test=$(IFS=,; echo "$*")" >/dev/null 2>&1
	st=$(sed -n 's/^KES-END [^ ]* status=\([0-9]*\).*/\1/p' "$log")
	[ -n "$st" ] && [ "$st" != 0 ] && grep -qE "$expect" "$log"
	tap $? "$suite: $(basename "$1") catches the mutant $mutant (tests/mutants/$mutant.patch): it fails, with /$expect/"
	grep -aE "$expect" "$log" | head -3 | sed 's/^/# /'
}
