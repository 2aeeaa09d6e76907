#!/usr/bin/env bash
# KVM's own x86 selftests (tools/testing/selftests/kvm of the same source),
# built static to run in L1: build/selftests/x86_64/ (and the other
# architecture-neutral tests beside them), stripped of debug information.
# They are compiled with -march=x86-64-v2 by their own Makefile: under QEMU
# they need -cpu max (lab/selftests.sh); Bochs's Haswell has it all.
#   lab/selftests-build.sh [TEST...]   TEST as the Makefile names it, e.g.
#                                      x86/exit_stats_test (7.2); default all
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs gcc libc6-dev make rsync binutils
"$TOP/lab/kernel-tree.sh" >/dev/null 2>&1
out=$BUILD/selftests
hdr=$BUILD/selftests-hdr
if [ ! -f "$hdr/include/linux/kvm.h" ] || [ "$KTREE/include/uapi/linux/kvm.h" -nt "$hdr/include/linux/kvm.h" ]; then
	make -s -C "$KTREE" O="$BUILD/selftests-obj" headers_install INSTALL_HDR_PATH="$hdr" >/dev/null
fi
start=$SECONDS
if ! build_with_progress "selftests: building KVM's x86 selftests" "$BUILD/selftests.log" \
	make -C "$KTREE/tools/testing/selftests/kvm" KHDR_INCLUDES="-isystem $hdr/include" \
		LDFLAGS=-static OUTPUT="$out" -j"$(nproc)" ${1:+$(printf "$out/%s " "$@")}; then
	tail -20 "$BUILD/selftests.log" >&2
	die "KVM's selftests did not build: see $BUILD/selftests.log"
fi
find "$out" -maxdepth 2 -type f -perm -u+x ! -name "*.sh" -exec strip -g {} + 2>/dev/null || true
# x86_64/ until 6.12, x86/ since 6.16.
x86=$out/x86_64
[ -d "$x86" ] || x86=$out/x86
say "selftests: built $(find "$x86" -maxdepth 1 -type f -perm -u+x | wc -l) x86 tests in $((SECONDS - start)) s: ${out#"$TOP"/}"
