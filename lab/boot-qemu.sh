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

# Runs QEMU in the background and watches the serial log: done when the job
# says KES-L1-DONE (QEMU is stopped if it does not end by itself soon after:
# seen hanging in the emulated reboot), failed after TIMEOUT_S.
attempt() {
	local raw=$log.raw pid deadline=$((SECONDS + timeout_s)) done_at=0
	: > "$raw"
	qemu-system-x86_64 \
		-accel tcg -cpu qemu64,+svm,+npt -m 1G -smp "$smp" \
		-display none -monitor none -no-reboot -nodefaults -serial "file:$raw" \
		-kernel "$LAB/bzImage" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 reboot=t loglevel=5 kes.job=$job $extra" \
		< /dev/null 2> "$log.qemu-stderr" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$done_at" -eq 0 ] && grep -q '^KES-L1-DONE' "$raw"; then
			done_at=$SECONDS
		fi
		if { [ "$done_at" -gt 0 ] && [ $((SECONDS - done_at)) -ge 10 ]; } ||
		   [ "$SECONDS" -ge "$deadline" ]; then
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	wait "$pid" 2>/dev/null || true
	tr -d '\r' < "$raw" > "$log"
	rm -f "$raw"
}

for try in 1 2; do
	start=$(date +%s)
	attempt
	secs=$(( $(date +%s) - start ))
	if grep -q '^KES-L1-DONE' "$log"; then
		say "qemu: job $job done in ${secs} s (attempt $try)"
		exit 0
	fi
	say "qemu: job $job did not finish (after ${secs} s, attempt $try); last lines:"
	tail -5 "$log" >&2 || true
done
die "the lab kernel under QEMU did not finish job $job twice: see $log"
