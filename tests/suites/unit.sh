#!/usr/bin/env bash
# Suite "unit": the cmocka unit tests, under ASan and UBSan, as TAP.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

need_pkgs gcc make libcmocka-dev
"$TOP/lab/kernel-tree.sh" 2>/dev/null || die "cannot prepare the kernel source"
if ! out=$(make -s -C "$TOP/tests/unit" OUT="$BUILD/unit" all 2>&1); then
	tap 1 "unit: the unit tests build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	exit 0
fi
make -s -C "$TOP/tests/unit" OUT="$BUILD/unit" run
for t in "$BUILD"/unit/*.tap; do
	name=$(basename "$t" .tap)
	sed -n -e "s/^ok [0-9]* - /ok - unit\/$name: /p" \
	       -e "s/^not ok [0-9]* - /not ok - unit\/$name: /p" \
	       -e 's/^\(ERROR\|.*error:\)/# &/p' "$t"
	grep -q "^$name: exit 0$" "$t" || echo "not ok - unit/$name: $(tail -1 "$t")"
done
