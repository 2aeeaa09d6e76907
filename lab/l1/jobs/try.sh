#!/bin/sh
# For developers: runs the command given as kes.try=... (commas for spaces),
# kes.repeat=N times (default 1), each killed after kes.try_s=S seconds
# (default 300); a run that fails shows its output.
#   lab/boot-qemu.sh build/lab/l1.cpio.gz try LOG 2 600 "kes.try=/tests/x,arg kes.repeat=5"
cmd=$(sed -n 's/.*kes\.try=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
n=$(sed -n 's/.*kes\.repeat=\([0-9]*\).*/\1/p' /proc/cmdline)
s=$(sed -n 's/.*kes\.try_s=\([0-9]*\).*/\1/p' /proc/cmdline)
s=${s:-300}
i=0
echo "KES-TRY $cmd"
while [ $i -lt "${n:-1}" ]; do
	if [ "${n:-1}" -eq 1 ]; then
		timeout -s KILL "$s" $cmd 2>&1
		echo "KES-TRY status=$?"
	elif ! timeout -s KILL "$s" $cmd > /tmp/out 2>&1; then
		echo "KES-TRY run $i failed:"
		grep -v '^ok' /tmp/out
	else
		grep 'RETRY' /tmp/out | sed "s/^/KES-TRY run $i: /"
	fi
	i=$((i + 1))
done
echo "KES-TRY done: $i runs"
