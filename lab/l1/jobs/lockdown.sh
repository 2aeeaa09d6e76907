#!/bin/sh
# The lab kernel booted with lockdown=integrity: reading works, controls do not.
echo "KES-BEGIN lockdown uptime=$(cut -d' ' -f1 /proc/uptime)"
timeout -s KILL 300 /tests/lockdown_test 2>&1
echo "KES-END lockdown status=$? uptime=$(cut -d' ' -f1 /proc/uptime)"
