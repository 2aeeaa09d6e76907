#!/bin/sh
# The Linux-guest test (needs the l1-vmm initramfs: QEMU and the L2 guest).
echo "KES-BEGIN linux_guest"
timeout -s KILL 600 /tests/linux_guest_test 2>&1
echo "KES-END linux_guest status=$?"
