#!/usr/bin/env bash
# Configures and builds the lab kernel (make kernel): tinyconfig plus
# kernel/lab.config, with ccache, leaving it at build/lab/bzImage.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs gcc libc6-dev make flex bison bc libelf-dev libssl-dev ccache cpio
"$TOP/lab/kernel-tree.sh"

export CCACHE_DIR=$KES_CCACHE_DIR CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
mkdir -p "$KOBJ" "$LAB" "$CCACHE_DIR"
frag=$TOP/kernel/lab.config
kmake() { make -C "$KTREE" O="$KOBJ" CC="ccache gcc" "$@"; }

if ! cmp -s "$frag" "$KOBJ/lab.config.applied"; then
	say "kernel: configuring (tinyconfig + kernel/lab.config)"
	kmake -s tinyconfig >/dev/null
	"$KTREE/scripts/kconfig/merge_config.sh" -m -O "$KOBJ" "$KOBJ/.config" "$frag" >/dev/null
	kmake -s olddefconfig >/dev/null
	missing=$(grep '^CONFIG_.*=y$' "$frag" | while read -r opt; do
		grep -qx "$opt" "$KOBJ/.config" || echo "$opt"; done)
	[ -z "$missing" ] || die "the lab config lacks: $missing (see kernel/lab.config)"
	cp "$frag" "$KOBJ/lab.config.applied"
fi

start=$(date +%s)
if ! build_with_progress "kernel: building bzImage" "$KOBJ/build.log" kmake -j"$(nproc)" bzImage; then
	grep -E 'error|Error' "$KOBJ/build.log" | head -20 >&2
	die "kernel build failed: see $KOBJ/build.log"
fi
cp "$KOBJ/arch/x86/boot/bzImage" "$LAB/bzImage"
cp "$KOBJ/System.map" "$LAB/System.map"
say "kernel: built build/lab/bzImage ($(stat -c %s "$LAB/bzImage") bytes) in $(( $(date +%s) - start )) s"
