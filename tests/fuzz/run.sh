#!/usr/bin/env bash
# Fuzzes the exit_stats parser with libFuzzer (clang) under ASan and UBSan for
# a bounded time, from the lab's recorded files; prints TAP.
#   tests/fuzz/run.sh [SECONDS]   (default 30)
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

secs=${1:-30}
need_pkgs clang libclang-rt-14-dev
out=$BUILD/fuzz
mkdir -p "$out/corpus"
cp "$TOP/tests/unit/fixtures/"*.txt "$out/corpus/"
if ! log=$(clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$TOP/lib" -I"$TOP/reasons" "$TOP/tests/fuzz/fuzz_statsfile.c" \
	"$TOP/lib/textfile.c" "$TOP/lib/statsfile.c" "$TOP/lib/exit_reasons.c" \
	-o "$out/fuzz_statsfile" 2>&1); then
	tap 1 "unit/fuzz: the parser's fuzzer builds"
	printf '%s\n' "$log" | sed 's/^/# /'
	exit 0
fi
(cd "$out" && ./fuzz_statsfile -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
	-max_len=65536 corpus > fuzz.log 2>&1)
status=$?
runs=$(grep -o 'Done [0-9]* runs' "$out/fuzz.log" | tail -1)
tap "$status" "unit/fuzz: the stats-file parser, ${secs} s under ASan and UBSan: no crash, hang or leak (${runs:-no runs})"
[ "$status" -eq 0 ] || tail -30 "$out/fuzz.log" | sed 's/^/# /'
