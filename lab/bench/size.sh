#!/usr/bin/env bash
# make bench: the memory the statistics take, read with pahole from the
# debugging information of the change's kvm.ko as built for Debian's kernel
# (make debian-modules): KEY=BYTES lines.
#   vcpu    struct kvm_vcpu_exit_stats, in every struct kvm_vcpu, every tier
#   hist    struct kvm_vcpu_exit_hist, per vCPU in the tier hist (kvzalloc)
#   vm      struct kvm_exit_stats_vm, in every struct kvm
#   sum     struct kvm_exit_stats: the departed VMs' totals (once), and per
#           read of a file (kcalloc, freed)
#   cpu     struct kvm_exit_stats_cpu, per host CPU while the leaves' system
#           scope is allowed (alloc_percpu)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
need_pkgs dwarves
ko=$BUILD/debian/tree/arch/x86/kvm/kvm.ko
[ -r "$ko" ] || die "no $ko: run make debian-modules"
for kv in vcpu=kvm_vcpu_exit_stats hist=kvm_vcpu_exit_hist vm=kvm_exit_stats_vm \
	  sum=kvm_exit_stats cpu=kvm_exit_stats_cpu; do
	size=$(pahole -C "${kv#*=}" "$ko" | sed -n 's|.*/\* size: \([0-9]*\),.*|\1|p' | tail -1)
	[ -n "$size" ] || die "pahole finds no struct ${kv#*=} in $ko"
	echo "${kv%%=*}=$size"
done
