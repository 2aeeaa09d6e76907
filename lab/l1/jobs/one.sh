#!/bin/sh
# One test program, named with its arguments on the kernel command line as
# kes.test=PROGRAM,ARG,... (commas for spaces), between KES-BEGIN and KES-END
# lines as the check job runs each: for the mutants (tests/mutants), which
# must make that test fail.
cmd=$(sed -n 's/.*kes\.test=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
name=$(basename "${cmd%% *}")
name=${name%_test}
echo "KES-BEGIN $name uptime=$(cut -d' ' -f1 /proc/uptime)"
# shellcheck disable=SC2086
timeout -s KILL 300 $cmd 2>&1
echo "KES-END $name status=$? uptime=$(cut -d' ' -f1 /proc/uptime)"
