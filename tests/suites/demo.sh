#!/usr/bin/env bash
# Suite "demo": make demo's pipeline end to end on a short recording: one
# boot of the real guest (Debian's cloud kernel), console on, on AMD SVM;
# its results checked against independent readings of the same recordings
# (tests/demo_check.py).
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

need_pkgs file
out=$BUILD/check/demo
KES_DEMO_CONFIGS=console KES_DEMO_REPEATS=1 KES_DEMO_VMX=0 KES_DEMO_OUT=$out \
	"$TOP/lab/demo.sh" > "$out.out" 2>&1
rc=$?
tap $rc "demo: make demo's pipeline runs on one guest boot (KES_DEMO_CONFIGS=console KES_DEMO_REPEATS=1)"
[ $rc -eq 0 ] || tail -15 "$out.out" | sed 's/^/# /'
if [ ! -f "$out/results.json" ]; then
	tap 1 "demo: the pipeline wrote $out/results.json, which tests/demo_check.py checks"
	exit 0
fi
/usr/bin/python3 "$TOP/tests/demo_check.py" "$out" "$BUILD/l1/bin/kvm-exitstat" ||
	echo "not ok - demo: tests/demo_check.py ran to its end (exit $?; its error is in $BUILD/check/demo.stderr)"
# L1's own log: the recordings (and in them the guest's console) left out.
if [ ! -f "$out/svm.log" ]; then
	tap 1 "demo: L1's log $out/svm.log is there, for the kernel-log scan"
	exit 0
fi
awk '/^KES-DEMO-FILE / { skip = 1 } !skip { print } /^KES-DEMO-FILE-END/ { skip = 0 }' \
	"$out/svm.log" > "$out.l1.log"
lab_no_warnings demo "$out.l1.log"
