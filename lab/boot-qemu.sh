#!/usr/bin/env bash
# Boots the lab kernel (L1) under QEMU's software emulation (TCG) with AMD SVM
# and nested paging, so that its kvm_amd runs real nested guests.  Runs one
# job (lab/l1/jobs/JOB.sh) and writes the serial console to LOG.  A boot
# that does not finish is retried once.  KES_QEMU_ARGS adds QEMU options.
#   lab/boot-qemu.sh INITRD JOB LOG [SMP] [TIMEOUT_S] [EXTRA_KERNEL_ARGS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

initrd=${1:?usage: lab/boot-qemu.sh INITRD JOB LOG [SMP] [TIMEOUT_S] [ARGS]}
job=${2:?job}
log=${3:?log}
smp=${4:-2}
timeout_s=${5:-600}
extra=${6:-}
need_pkgs qemu-system-x86
kernel=${KES_KERNEL:-$LAB/bzImage}
[ -r "$kernel" ] || die "no kernel at $kernel: run make kernel"

qemu() {
	qemu-system-x86_64 \
		-accel tcg,thread=single -cpu qemu64,+svm,+npt -m 1G -smp "$smp" ${KES_QEMU_ARGS:-} \
		-display none -monitor none -no-reboot -nodefaults -serial "file:$log.raw" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 $(l1_cmdline "$job" "$extra")" \
		< /dev/null 2> "$log.qemu-stderr"
}
with_retry "qemu: job $job" "$log" run_job "$log.raw" "$timeout_s" "${KES_SILENCE_S:-120}" qemu
