#!/bin/sh
# The lab kernel booted with lockdown=integrity: reading works, controls do not.
kes-run lockdown /tests/lockdown_test
