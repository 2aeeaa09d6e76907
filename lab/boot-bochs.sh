#!/usr/bin/env bash
# Boots the lab kernel (L1) under the Bochs emulator, which emulates Intel VMX
# (CPU model corei7_haswell_4770: EPT, VPID, unrestricted guest, VMX
# preemption timer), so that its kvm_intel runs real nested guests.  Runs one
# job (lab/l1/jobs/JOB.sh) and writes the serial console to LOG; Bochs's own
# log goes next to it.  A boot that does not finish is retried once.
#   lab/boot-bochs.sh INITRD JOB LOG [TIMEOUT_S] [EXTRA_KERNEL_ARGS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

initrd=${1:?usage: lab/boot-bochs.sh INITRD JOB LOG [TIMEOUT_S] [ARGS]}
job=${2:?job}
log=${3:?log}
timeout_s=${4:-900}
extra=${5:-}
need_pkgs bochs bochsbios vgabios bochs-term isolinux syslinux-common xorriso bsdutils procps
kernel=${KES_KERNEL:-$LAB/bzImage}
[ -r "$kernel" ] || die "no kernel at $kernel: run make kernel"
# L1's CPUs (KES_BOCHS_CPUS, default 2), as the cores of one processor
# (count=1:N:1: with Bochs's default topology, its CPUID leaves 1 and 4
# disagree and Linux WARNs in parse_legacy() at boot).  Bochs emulates them
# on one host thread, taking turns every 16 instructions: vCPUs on two L1
# CPUs interleave at instruction boundaries (a reader can catch a reset half
# done), but no instruction of one CPU ever runs in the middle of another's,
# so a plain increment of a shared counter never loses an update here, as
# it does on hardware and under QEMU's multi-threaded TCG (docs/lab.md).
# Two CPUs take about twice the wall time of one.
cpus=${KES_BOCHS_CPUS:-2}

dir=$(mktemp -d "${log%.log}.bochs.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$dir/iso/isolinux/"
cp "$kernel" "$dir/iso/bzImage"
cp "$initrd" "$dir/iso/initrd.gz"
cat > "$dir/iso/isolinux/isolinux.cfg" <<CFG
DEFAULT lab
LABEL lab
  KERNEL /bzImage
  APPEND initrd=/initrd.gz console=ttyS0,115200 $(l1_cmdline "$job" "$extra kes.accel=bochs,cpus=$cpus,quantum=16")
CFG
xorriso -as mkisofs -quiet -o "$dir/l1.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
	-no-emul-boot -boot-load-size 4 -boot-info-table "$dir/iso" 2>/dev/null ||
	die "xorriso could not make the boot ISO"

# reset_on_triple_fault=0: the guest's "reboot -f" (reboot=t) ends Bochs,
# with exit status 1, which is the normal end here.
cat > "$dir/bochsrc" <<RC
megs: ${KES_BOCHS_MEGS:-512}
cpu: model=corei7_haswell_4770, count=1:$cpus:1, quantum=16, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$dir/l1.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$log.raw
clock: sync=none
display_library: term
log: $log.bochs
RC
echo c > "$dir/cmds"	# this build stops at its debugger prompt: continue

bochs_run() {
	# Bochs wants a terminal for its "term" display: give it one, of a
	# type that curses knows (ncurses-base) whatever TERM the caller has
	# (none under cron or CI: "Error opening terminal: unknown").
	TERM=vt100 script -qfec "bochs -q -f $dir/bochsrc -rc $dir/cmds" /dev/null > /dev/null 2>&1 < /dev/null
}
with_retry "bochs: job $job" "$log" run_job "$log.raw" "$timeout_s" "${KES_SILENCE_S:-300}" bochs_run
