#!/usr/bin/env bash
# make stress: the stress test (tests/lab/stress_test.c) on a debug kernel
# (lab/kernel-build.sh stress: KASAN, UBSAN, kmemleak, lockdep, KFENCE, KVM
# as modules), on both ISAs:
#   SVM  QEMU, two L1 CPUs in single-threaded TCG: the phases exact and
#        chaos, then a boot for the phase that unloads and loads the
#        modules.  Not multi-threaded: KVM as modules patches text when
#        kvm_amd loads (static calls), and under multi-threaded TCG this
#        kernel then crashed within 30 s (a kmemleak tree holding code
#        bytes, a NULL local APIC): the hazard docs/lab.md describes.  Two
#        CPUs that really run at once are lab-svm's (KVM built in).
#   VMX  Bochs, two L1 CPUs: every phase
# DURATION=SECONDS per boot for exact+chaos (default 600); KES_STRESS_ISAS
# ("svm vmx").  Writes build/stress/*.tap and logs; its last line is
# "N passed, M failed", as make check's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tap.sh"
. "$TOP/tests/suites/lab-common.sh"

duration=${DURATION:-600}
isas=${KES_STRESS_ISAS:-svm vmx}
out=${KES_STRESS_OUT:-$BUILD/stress}
mkdir -p "$out"
"$TOP/lab/kernel-build.sh" stress
"$TOP/lab/l1-build.sh"
files=()
for m in "$LAB"/stress/modules/*.ko; do files+=("$m=/modules/${m##*/}"); done
"$TOP/lab/initramfs.sh" "$LAB/l1-stress.cpio.gz" "${files[@]}"
export KES_KERNEL=$LAB/stress/bzImage

stress_tap() {	# stress_tap ISA LOG...
	local isa=$1 log
	shift
	for log in "$@"; do
		lab_tap "stress-$isa" "$log"
		grep -q '^KES-STRESS L1 responsive' "$log"
		tap $? "stress-$isa: L1 answered at the end of ${log##*/}"
		leaks=$(sed -n 's/^KES-KMEMLEAK \([0-9]*\).*/\1/p' "$log")
		[ -z "$leaks" ] || [ "$leaks" = 0 ]
		tap $? "stress-$isa: kmemleak found ${leaks:-no scan,} leaks in ${log##*/}"
	done
	lab_no_warnings "stress-$isa" "$@"
}

for isa in $isas; do
	rm -f "$out/$isa".* "$out/$isa"-*	# no earlier run's logs (attempts) in this one's scan
	case $isa in
	svm)
		say "stress: SVM, $duration s of exact and chaos (QEMU, single-threaded TCG)"
		KES_QEMU_ACCEL=tcg,thread=single "$TOP/lab/boot-qemu.sh" "$LAB/l1-stress.cpio.gz" stress "$out/svm.log" 2 $((duration * 3 + 600)) \
			"kes.stress=$duration kes.phases=exact,chaos" > /dev/null 2>&1 || true
		say "stress: SVM, unloading and loading the modules (QEMU, single-threaded TCG)"
		KES_QEMU_ACCEL=tcg,thread=single "$TOP/lab/boot-qemu.sh" "$LAB/l1-stress.cpio.gz" stress \
			"$out/svm-reload.log" 2 900 "kes.stress=0 kes.phases=reload" > /dev/null 2>&1 || true
		stress_tap svm "$out/svm.log" "$out/svm-reload.log" > "$out/svm.tap"
		;;
	vmx)
		say "stress: VMX, $duration s of exact and chaos, then the reloads (Bochs)"
		KES_SILENCE_S=900 "$TOP/lab/boot-bochs.sh" "$LAB/l1-stress.cpio.gz" stress "$out/vmx.log" \
			$((duration * 8 + 1800)) "kes.stress=$duration kes.phases=exact,chaos,reload" > /dev/null 2>&1 || true
		stress_tap vmx "$out/vmx.log" > "$out/vmx.tap"
		;;
	*)
		die "KES_STRESS_ISAS: svm or vmx, not $isa"
		;;
	esac
done
taps=()
for isa in $isas; do taps+=("$out/$isa.tap"); done
"$TOP/tests/tap-summary.sh" "${taps[@]}"
