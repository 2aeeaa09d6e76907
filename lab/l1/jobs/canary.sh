#!/bin/sh
# The canary: the kernel's own fault injector (lkdtm) provokes one WARNING,
# which the suites' scan of kernel logs must catch (tests/suites/
# lab-common.sh, lab_no_warnings): a scan that cannot fail proves nothing.
echo "KES-CANARY provoking a WARNING with lkdtm (provoke-crash/DIRECT)"
if [ -w /sys/kernel/debug/provoke-crash/DIRECT ]; then
	echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT
else
	echo "KES-ERROR no /sys/kernel/debug/provoke-crash/DIRECT: is CONFIG_LKDTM on?"
fi
sleep 1
