#!/bin/sh
# One test program, named with its arguments on the kernel command line as
# kes.test=PROGRAM,ARG,... (commas for spaces), between KES-BEGIN and KES-END
# lines as the check job runs each (lab/l1/kes-run): for the mutants
# (tests/mutants), which must make that test fail.
cmd=$(sed -n 's/.*kes\.test=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
name=$(basename "${cmd%% *}")
# shellcheck disable=SC2086
kes-run "${name%_test}" $cmd
