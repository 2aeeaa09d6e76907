#!/usr/bin/env bash
# Prints the command that runs the L0 emulator of the SVM back end: QEMU from
# Debian 13 (trixie), in a folder of its own under ~/.cache/kvm-exit-stats
# (debootstrap, once: about 30 s and 360 MB), run with its own libraries.
#
# Why not Debian 12's QEMU 7.2: running nested SVM guests, it corrupted them
# under load (a nested guest doing nothing but CPUID and RDMSR shut down
# after a reserved-bit page fault on its own code, or ran with L1's RIP,
# once L1 also ran other threads; then whole L1s hung), it reports an
# intercepted INVD as WBINVD, and it delivers injected interrupts twice with
# two L1 CPUs (docs/lab.md, "Traps found").  The QEMU that runs inside L1,
# as the VMM of the Linux guests, stays Debian 12's: what a user of
# Debian 12 runs.  KES_QEMU_L0=host uses this machine's QEMU instead.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${KES_QEMU_L0:-}" = host ]; then
	need_pkgs qemu-system-x86
	echo qemu-system-x86_64
	exit 0
fi
root=${XDG_CACHE_HOME:-$HOME/.cache}/kvm-exit-stats/trixie-qemu
[ -x "$root/usr/bin/qemu-system-x86_64" ] || rm -f "$root/.complete"
deb_bootstrap trixie "$root" qemu-system-x86
lib=$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu
echo "$root/lib64/ld-linux-x86-64.so.2 --library-path $lib $root/usr/bin/qemu-system-x86_64 -L $root/usr/share/qemu -L $root/usr/share/seabios"
