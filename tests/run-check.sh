#!/usr/bin/env bash
# make check: runs the suites (tests/suites/*.sh, in the order below), each
# writing TAP to build/check/SUITE.tap, and ends with "N passed, M failed".
# make check-full (KES_CHECK_FULL=1) adds what makes it last about 50
# minutes on 2 cores instead of 30: the lab kernel's suite under Bochs
# (lab-vmx: lockdep slows Bochs to a fifth of its speed; stock-vmx runs the
# same tests on kvm_intel) and a kernel build at each patch of the series.
set -uo pipefail
. "$(dirname "$0")/../lab/lib.sh"

if [ "${KES_CHECK_FULL:-0}" = 1 ]; then
	suites=${KES_SUITES:-unit kernel patch lab-svm lab-vmx stock-svm stock-vmx stock-6.1 bench demo}
	export KES_PATCH_BUILDS=1
else
	suites=${KES_SUITES:-unit kernel patch lab-svm stock-svm stock-vmx stock-6.1 bench demo}
fi
out=$BUILD/check
rm -rf "$out"
mkdir -p "$out"
# Wall times, per suite and per emulator job (lab/lib.sh, with_retry).
export KES_TIMES=$out/times.txt
for s in $suites; do
	start=$(date +%s)
	say "check: $s ..."
	"$TOP/tests/suites/$s.sh" > "$out/$s.tap" 2> "$out/$s.stderr" ||
		echo "not ok - $s: the suite itself failed (see build/check/$s.stderr)" >> "$out/$s.tap"
	"$TOP/tests/manifest.sh" check "$s" "$out/$s.tap" >> "$out/$s.tap"
	counts=$("$TOP/tests/tap-summary.sh" "$out/$s.tap" | head -1 | sed 's/^[^ ]* *//' || true)
	say "check: $s: $counts ($(( $(date +%s) - start )) s)"
	echo "suite $s $(( $(date +%s) - start )) s" >> "$KES_TIMES"
done
files=()
for s in $suites; do files+=("$out/$s.tap"); done
"$TOP/tests/tap-summary.sh" "${files[@]}"
