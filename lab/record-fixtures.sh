#!/usr/bin/env bash
# For developers: records exit_stats files from the lab as the unit tests'
# fixtures (tests/unit/fixtures/ISA-vm.txt and ISA-system.txt).
#   lab/record-fixtures.sh LOG   extracts them from a finished "fixtures" job
set -euo pipefail
. "$(dirname "$0")/lib.sh"

log=${1:?usage: lab/record-fixtures.sh LOG (the serial log of a fixtures job)}
isa=$(sed -n 's/^# isa=\([a-z]*\) .*/\1/p' "$log" | head -1)
[ -n "$isa" ] || die "$log has no exit_stats file in it"
for part in vm system; do
	awk -v want="KES-FILE $part" '
		$0 == want { on = 1; next }
		/^KES-FILE/ { on = 0 }
		on' "$log" > "$TOP/tests/unit/fixtures/$isa-$part.txt"
	say "recorded tests/unit/fixtures/$isa-$part.txt"
done
