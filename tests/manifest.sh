#!/usr/bin/env bash
# The tests that make check must report, suite by suite (tests/manifest.txt:
# "SUITE GROUP COUNT": GROUP is a test program, e.g. exit_count, or "-" for
# a suite's own checks; COUNT how many TAP lines it reports, skips
# included).  A group that reported fewer or more lines than the manifest
# says (a program that printed nothing, a test that vanished, a plan that
# shrank), or one the manifest does not know, is a failure.
#   tests/manifest.sh check SUITE TAP    prints TAP lines
#   tests/manifest.sh record SUITE TAP   prints the manifest lines of TAP (for
#                                         developers who changed the tests)
set -uo pipefail
manifest=$(dirname "$0")/manifest.txt
mode=${1:?usage: manifest.sh check|record SUITE TAP}
suite=${2:?suite}
tap=${3:?tap}

# The groups of a TAP file and their line counts: "ok - SUITE/GROUP: ..."
# or "ok - SUITE: ..." (the group "-").
counts() {
	grep -E '^(not )?ok - ' "$tap" | grep -v "^\(not \)\?ok - $suite/manifest:" |
		sed -E "s/^(not )?ok - //; s|^$suite/([^:]*):.*|\1|; s|^$suite:.*|-|" |
		sort | uniq -c | awk -v s="$suite" '{ print s, $2, $1 }'
}

case $mode in
record)
	counts
	;;
check)
	[ -r "$manifest" ] || { echo "not ok - $suite/manifest: $manifest is missing"; exit 0; }
	want=$(awk -v s="$suite" '$1 == s' "$manifest")
	got=$(counts)
	bad=0
	while read -r _ group n; do
		[ -n "$group" ] || continue
		have=$(awk -v g="$group" '$2 == g { print $3 }' <<< "$got")
		if [ "${have:-0}" != "$n" ]; then
			echo "not ok - $suite/manifest: it expects $n results of $group, it reported ${have:-none}"
			bad=1
		fi
	done <<< "$want"
	while read -r _ group n; do
		[ -n "$group" ] || continue
		awk -v g="$group" '$2 == g { f = 1 } END { exit !f }' <<< "$want" && continue
		echo "not ok - $suite/manifest: $group reported $n results, and the manifest does not know it (tests/manifest.txt)"
		bad=1
	done <<< "$got"
	[ -n "$want" ] || { echo "not ok - $suite/manifest: tests/manifest.txt has no entry for this suite"; bad=1; }
	[ $bad -eq 1 ] || echo "ok - $suite/manifest: every test it lists reported, as many as it lists ($(wc -l <<< "$want") groups)"
	;;
*)
	echo "usage: manifest.sh check|record SUITE TAP" >&2
	exit 2
	;;
esac
