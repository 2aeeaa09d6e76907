# TAP helpers for the suites of `make check` (sourced).
# shellcheck shell=bash

# tap_ok CONDITION-EXIT-STATUS DESCRIPTION...: prints ok/not ok.
tap() {
	local status=$1
	shift
	if [ "$status" -eq 0 ]; then echo "ok - $*"; else echo "not ok - $*"; fi
}

# tap_run DESCRIPTION -- COMMAND...: runs COMMAND, ok if it succeeds; on
# failure its output follows as TAP diagnostics.
tap_run() {
	local desc=$1 out status=0
	shift 2
	out=$("$@" 2>&1) || status=$?
	tap "$status" "$desc"
	[ "$status" -eq 0 ] || printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	return 0
}
