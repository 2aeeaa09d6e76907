#!/bin/sh
# For developers: runs the command of kes.try=... (commas for spaces) many
# times (kes.repeat=N, default 20) and shows only what failed.
cmd=$(sed -n 's/.*kes\.try=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
n=$(sed -n 's/.*kes\.repeat=\([0-9]*\).*/\1/p' /proc/cmdline)
i=0
while [ $i -lt "${n:-20}" ]; do
	timeout -s KILL 300 $cmd > /tmp/out 2>&1 || { echo "KES-REPEAT run $i failed:"; grep -v '^ok' /tmp/out; }
	i=$((i + 1))
done
echo "KES-REPEAT done: $i runs"
