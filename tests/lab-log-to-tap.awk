# Turns the serial log of a lab "check" job into TAP lines "ok - SUITE/TEST: ...".
# Retries (a lab boot that had to be repeated, KES-RETRY; a guest booted again
# inside L1, "# RETRY:") become "# RETRY:" comments, which the summary counts.
# Each test program's TAP sits between "KES-BEGIN NAME" and "KES-END NAME
# status=N"; tests it planned but never reported count as failures, as does a
# program that exits non-zero, and a lab kernel that never finished the job.
# Usage: awk -v suite=lab-svm -f lab-log-to-tap.awk LOG
function finish(status,    i) {
	for (i = n; i < plan; i++)
		printf "not ok - %s/%s: test %d of %d did not run\n", suite, name, i + 1, plan
	if (status == 137)
		printf "not ok - %s/%s: killed: it ran past its time (the KES-DIAG lines say what it was doing)\n", suite, name
	else if (status != 0 && fails == 0 && n >= plan)
		printf "not ok - %s/%s: exited with status %d\n", suite, name, status
	name = ""
}
/^KES-BEGIN / { name = $2; plan = 0; n = 0; fails = 0; next }
/^KES-END / { st = $3; sub(/status=/, "", st); finish(st + 0); next }
/^KES-L1-DONE/ { done = 1 }
/^KES-ERROR/ { printf "not ok - %s: %s\n", suite, $0 }
/^KES-RETRY: / { sub(/^KES-RETRY: /, ""); printf "# RETRY: %s\n", $0; next }
/^KES-HOST / { printf "# %s\n", $0 }
/^KES-HOST (stopped|hung at): / { why = why (why ? "; " : "") substr($0, 10) }
/^KES-(HANG|DIAG)/ { printf "# %s\n", $0; next }
name && /^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0; next }
name && /^ok [0-9]+ # SKIP/ { n++; sub(/^ok [0-9]+ # SKIP /, ""); printf "ok - %s/%s: # SKIP %s\n", suite, name, $0; next }
name && /^ok / { n++; sub(/^ok [0-9]+ /, ""); printf "ok - %s/%s: %s\n", suite, name, $0; next }
name && /^not ok / { n++; fails++; sub(/^not ok [0-9]+ /, ""); printf "not ok - %s/%s: %s\n", suite, name, $0; next }
name && /^(# |====|  )/ { print "# " $0 }
END {
	if (name) {
		printf "not ok - %s/%s: the lab kernel stopped during this test%s\n", suite, name,
			why ? " (" why ")" : ""
		finish(0)
	}
	if (!done)
		printf "not ok - %s: the lab kernel did not finish the job\n", suite
}
