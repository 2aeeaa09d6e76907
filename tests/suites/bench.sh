#!/usr/bin/env bash
# Suite "bench": make bench's short smoke run (lab/bench.sh with 100
# iterations, one round, no hammer): every configuration runs (on SVM; on
# VMX too in make check-full), each peer records, the report and the chart are written.  The
# figures themselves are make bench's, not a test's.  The truth a row is
# checked against: KVM's own count of exits (every iteration of CPUID and
# port I/O is an exit, so a row whose workload did not run in a guest, or
# ran elsewhere, has too few).
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

out=$BUILD/check/bench
rm -rf "$out"
# make check: SVM, where every configuration runs; make check-full: VMX too.
isas=svm
[ "${KES_CHECK_FULL:-0}" = 1 ] && isas="svm vmx"
KES_BENCH_N=100 KES_BENCH_ROUNDS=1 KES_BENCH_HAMMER=0 KES_BENCH_OUT=$out KES_BENCH_ISAS=$isas \
	"$TOP/lab/bench.sh" > "$BUILD/check/bench.out" 2> "$BUILD/check/bench.stderr"
tap $? "bench: make bench's smoke run ends, with its report (see build/check/bench.stderr)"

# The rows each ISA must have (under Bochs, no packaged peer: lab/bench.sh).
rows_all="debian rebuilt tp-ring hist-trigger trace-cmd perf-kvm-stat bpftrace off counts time hist hist+leaves
	course-atomic-counts course-atomic-time course-plain-counts course-plain-time"
for isa in svm vmx; do
	log=$out/$isa.log
	if [[ " $isas " != *" $isa "* ]]; then
		for what in "every configuration measured every workload" \
			"in every configuration KVM counted at least one exit per iteration"; do
			echo "ok - bench: $isa: $what # SKIP make check-full runs it"
		done
		echo "ok - bench/$isa: no kernel complaint # SKIP make check-full runs it"
		continue
	fi
	rows=$rows_all
	[ "$isa" = vmx ] && rows=$(echo $rows_all | sed 's/trace-cmd perf-kvm-stat bpftrace //')
	missing=
	short=
	for r in $rows; do
		for w in cpuid io; do
			grep -aqE "^KES-BENCH row=${r//+/\\+} work=$w round=1 ns=[0-9.]+$" "$log" 2>/dev/null ||
				missing="$missing $r/$w"
		done
		# Every iteration an exit, by KVM's own count.
		awk -v r="$r" '$1 == "KES-BENCH-ROW" && $2 == "row=" r {
			split($3, e, "="); split($4, i, "="); found = 1; ok = e[2] >= i[2] }
			END { exit !(found && ok) }' "$log" 2>/dev/null || short="$short $r"
	done
	[ -z "$missing" ]
	tap $? "bench: $isa: every configuration ($(echo $rows | wc -w)) measured every workload${missing:+; no figures:$missing}"
	[ -z "$short" ]
	tap $? "bench: $isa: in every configuration KVM counted at least one exit per iteration${short:+; fewer in:$short}"
	lab_no_warnings "bench/$isa" "$log"
done
# bcc's kvmexit (0.26) refuses to run on AMD: "Currently we only support
# Intel architecture"; under Bochs (Intel) the packaged peers do not run.
bad=$(grep -a '^KES-BENCH-PEER ' "$out/svm.log" 2>/dev/null | grep -v 'ran=yes' | grep -v 'row=kvmexit ' |
	sed 's/.*row=\([^ ]*\).*/\1/' | tr '\n' ' ')
n=$(grep -ac '^KES-BENCH-PEER .*ran=yes' "$out/svm.log" 2>/dev/null)
[ -z "$bad" ] && [ "$n" -eq 5 ] && grep -aq '^KES-BENCH-PEER-OUT kvmexit: .*only support Intel' "$out/svm.log"
tap $? "bench: svm: 5 peers ran and recorded, and kvmexit said it runs on Intel only (ran: $n${bad:+; did not: $bad})"
[ -s "$out/results.md" ] && [ -s "$out/overhead.png" ] && [ -s "$out/overhead.svg" ] &&
	grep -q '^| counts: ours' "$out/results.md"
tap $? "bench: results.md, overhead.png and overhead.svg are written"
