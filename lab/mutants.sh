#!/usr/bin/env bash
# make mutants: every deliberately broken build of tests/mutants/ (or those
# named: MUTANTS="a b"), each run with the test its header names ("Test:"),
# under QEMU with two L1 CPUs that really run at once: the test must fail,
# printing what its "Expect:" line says.  make check runs course-plain only
# (tests/suites/lab-svm.sh); this runs them all.  Prints TAP and a summary.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tap.sh"
. "$TOP/tests/suites/lab-common.sh"

out=$BUILD/check
mkdir -p "$out"
"$TOP/lab/l1-build.sh" >&2
names=${MUTANTS:-$(cd "$TOP/tests/mutants" && ls -- *.patch | sed 's/\.patch$//')}
for m in $names; do
	f=$TOP/tests/mutants/$m.patch
	[ -f "$f" ] || die "no mutant $m (tests/mutants/$m.patch)"
	say "mutants: $m, with $(sed -n 's/^Test: //p' "$f" | head -1)"
	mutant_caught mutants "$m"
done | tee "$out/mutants.tap"
"$TOP/tests/tap-summary.sh" "$out/mutants.tap"
