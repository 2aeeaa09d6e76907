#!/usr/bin/env bash
# Boots the lab kernel (L1) under QEMU's software emulation (TCG) with AMD SVM
# and nested paging, so that its kvm_amd runs real nested guests.  Runs one
# job (lab/l1/jobs/JOB.sh) and writes the serial console to LOG, without the
# carriage returns.  A boot that hangs is retried once.
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
[ -r "$LAB/bzImage" ] || die "no lab kernel: run make kernel"

attempt() {
	local rc=0
	timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 \
		-accel tcg -cpu qemu64,+svm,+npt -m 1G -smp "$smp" \
		-nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$LAB/bzImage" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=4 kes.job=$job $extra" \
		< /dev/null 2>"$log.qemu-stderr" | tr -d '\r' > "$log" || rc=$?
	return $rc
}

for try in 1 2; do
	start=$(date +%s)
	rc=0
	attempt || rc=$?
	secs=$(( $(date +%s) - start ))
	if grep -q '^KES-L1-DONE' "$log"; then
		say "qemu: job $job done in ${secs} s (attempt $try)"
		exit 0
	fi
	say "qemu: job $job did not finish (exit $rc after ${secs} s, attempt $try); last lines:"
	tail -5 "$log" >&2 || true
done
die "the lab kernel under QEMU did not finish job $job twice: see $log"
