#!/usr/bin/env bash
# Counts the TAP results of `make check` (build/check/*.tap) and ends with
# the line "N passed, M failed"; exits 1 if anything failed.
set -euo pipefail
pass=0
fail=0
for f in "$@"; do
	p=$(grep -c '^ok ' "$f" || true)
	n=$(grep -c '^not ok ' "$f" || true)
	printf '%-12s %4d passed, %d failed\n' "$(basename "$f" .tap)" "$p" "$n"
	grep '^not ok ' "$f" | sed 's/^/    /' || true
	pass=$((pass + p))
	fail=$((fail + n))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
