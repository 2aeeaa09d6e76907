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
need_pkgs procps python3
kernel=${KES_KERNEL:-$LAB/bzImage}
# The L0 emulator: Debian 13's QEMU (lab/qemu-l0.sh says why), or KES_QEMU.
l0=${KES_QEMU:-$("$(dirname "$0")/qemu-l0.sh")}
l0_version=$($l0 --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
# QEMU 7.2 sometimes never wakes a halted CPU whose local APIC holds a
# deliverable interrupt (docs/lab.md, "Traps found"): with one CPU, L1 never
# halts (idle=poll costs nothing there: there is no other CPU to run).
# Not under -icount: there, with idle=poll, an L1 sleep of 10 s never ended
# (its timer never fired: Debian's 6.12, 2026-12-07), while a halted CPU
# lets QEMU move the virtual clock to the next timer at once.
[ "$smp" != 1 ] || [[ ${KES_QEMU_ARGS:-} == *icount* ]] || extra="$extra idle=poll"
[ -r "$kernel" ] || die "no kernel at $kernel: run make kernel"
# Two L1 CPUs that really run at once (multi-threaded TCG) for a kernel that
# patches no text at run time, such as the lab kernel (kernel/configs/
# debug.config); one host thread for the others (Debian's kernels, make
# bench's), which multi-threaded TCG crashed when a static key flipped while
# the other CPU ran (docs/lab.md, "Traps found"), and for -icount.  A kernel
# patches jump labels if its System.map has arch_jump_label_transform;
# without a real System.map (Debian's is a stub), assume it does.
map=$(dirname "$kernel")/System.map
if [ -n "${KES_QEMU_ACCEL:-}" ]; then
	accel=$KES_QEMU_ACCEL
elif [ "$(wc -l < "$map" 2>/dev/null || echo 0)" -gt 1000 ] &&
     ! grep -q ' arch_jump_label_transform' "$map" && [[ ${KES_QEMU_ARGS:-} != *icount* ]]; then
	accel=tcg,thread=multi
else
	accel=tcg,thread=single
fi

# QEMU's QMP socket: where a hung L1 is, for run_job (lab/qmp-dump.py).
KES_QMP=$(mktemp -u /tmp/kes-qmp.XXXXXX)
KES_SYSTEM_MAP=$map
export KES_QMP KES_SYSTEM_MAP
trap 'rm -f "$KES_QMP"' EXIT
qemu() {
	$l0 \
		-accel "$accel" -cpu qemu64,+svm,+npt -m 1G -smp "$smp" ${KES_QEMU_ARGS:-} \
		-qmp "unix:$KES_QMP,server=on,wait=off" \
		-display none -monitor none -no-reboot -nodefaults -serial "file:$log.raw" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 $(l1_cmdline "$job" "$extra kes.accel=$accel kes.qemu=$l0_version")" \
		< /dev/null 2> "$log.qemu-stderr"
}
with_retry "qemu: job $job" "$log" run_job "$log.raw" "$timeout_s" "${KES_SILENCE_S:-120}" qemu
