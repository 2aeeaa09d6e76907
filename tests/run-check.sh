#!/usr/bin/env bash
# make check: runs every suite (tests/suites/*.sh, in the order below), each
# writing TAP to build/check/SUITE.tap, and ends with "N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/../lab/lib.sh"

suites=${KES_SUITES:-unit kernel patch lab-svm lab-vmx stock-svm stock-vmx demo}
out=$BUILD/check
rm -rf "$out"
mkdir -p "$out"
for s in $suites; do
	start=$(date +%s)
	say "check: $s ..."
	"$TOP/tests/suites/$s.sh" > "$out/$s.tap" 2> "$out/$s.stderr" ||
		echo "not ok - $s: the suite itself failed (see build/check/$s.stderr)" >> "$out/$s.tap"
	counts=$("$TOP/tests/tap-summary.sh" "$out/$s.tap" | head -1 | sed 's/^[^ ]* *//' || true)
	say "check: $s: $counts ($(( $(date +%s) - start )) s)"
done
files=()
for s in $suites; do files+=("$out/$s.tap"); done
"$TOP/tests/tap-summary.sh" "${files[@]}"
