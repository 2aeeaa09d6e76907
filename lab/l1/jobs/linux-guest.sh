#!/bin/sh
# The Linux-guest test (needs the l1-vmm initramfs: QEMU and the L2 guest).
kes-run linux_guest --timeout 600 /tests/linux_guest_test
