#!/bin/sh
# For developers: runs the command given as kes.try=... (commas for spaces).
cmd=$(sed -n 's/.*kes\.try=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
echo "KES-TRY $cmd"
timeout -s KILL ${KES_TRY_TIMEOUT:-60} $cmd 2>&1
echo "KES-TRY status=$?"
