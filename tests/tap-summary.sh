#!/usr/bin/env bash
# Counts the TAP results of `make check` (build/check/*.tap) and ends with
# the line "N passed, M failed"; exits 1 if anything failed.  Skipped tests
# ("ok ... # SKIP why") are listed with their reason and not counted as passed;
# retries ("# RETRY: ...", a lab boot or guest started again) are listed and counted.
set -euo pipefail
pass=0
fail=0
skip=0
retry=0
for f in "$@"; do
	p=$(grep '^ok ' "$f" | grep -vc '# SKIP' || true)
	s=$(grep '^ok ' "$f" | grep -c '# SKIP' || true)
	n=$(grep -c '^not ok ' "$f" || true)
	r=$(grep -Ec '^# (# )?RETRY: ' "$f" || true)
	printf '%-12s %4d passed, %d failed%s%s\n' "$(basename "$f" .tap)" "$p" "$n" \
		"$([ "$s" -eq 0 ] || echo ", $s skipped")" "$([ "$r" -eq 0 ] || echo ", $r retried")"
	grep '^ok .*# SKIP' "$f" | sed 's/^/    /' || true
	grep '^not ok ' "$f" | sed 's/^/    /' || true
	grep -E '^# (# )?RETRY: ' "$f" | sed 's/^# \(# \)\{0,1\}/    /' || true
	pass=$((pass + p))
	fail=$((fail + n))
	skip=$((skip + s))
	retry=$((retry + r))
done
[ "$skip" -eq 0 ] || echo "($skip skipped: not counted as passed)"
[ "$retry" -eq 0 ] || echo "($retry retries: a boot or a guest had to be started again; see above)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
