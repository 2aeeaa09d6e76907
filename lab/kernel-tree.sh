#!/usr/bin/env bash
# Prepares build/kernel/src: Debian's packaged Linux 6.12 source with the
# kvm-exit-stats change applied (kernel/files copied in, kernel/hooks.patch
# applied, reasons/exit_stats_reasons.h as arch/x86/kvm/exit_stats_reasons.h).
# With KES_LINE=6.1 (or 7.2), build/kernel-6.1/src: linux-source-6.1 with
# kernel/lines/6.1/hooks.patch, kernel/files, kernel/lines/6.1/files and
# kernel/lines/6.1/files.patch (what the change's own files need on 6.1).
#
# Re-running it after editing the change rewrites only the files whose
# content changed, so that the kernel build stays incremental.  It keeps the
# pristine version of every file the change touches in build/kernel/pristine
# and the patched set in build/kernel/stage (lab/kernel-patch.sh uses both).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs "$KSRC_PACKAGE" patch xz-utils
[ -r "$KSRC_TARBALL" ] || die "$KSRC_TARBALL is missing: apt-get install --reinstall $KSRC_PACKAGE"

pkgver=$(ksrc_package_version)
PRISTINE=$KDIR/pristine
STAGE=$KDIR/stage
HOOKS=$KHOOKS
REASONS_DST=arch/x86/kvm/exit_stats_reasons.h

if [ "$(cat "$KDIR/source.version" 2>/dev/null)" != "$pkgver" ]; then
	say "kernel: extracting $KSRC_PACKAGE $pkgver"
	rm -rf "$KTREE" "$PRISTINE" "$STAGE" "$KOBJ" "$KDIR/applied.list"
	mkdir -p "$KTREE"
	tar -xf "$KSRC_TARBALL" -C "$KTREE" --strip-components=1
	echo "$pkgver" > "$KDIR/source.version"
fi

# The files the change edits (those it adds are what the stage holds
# besides: a line's files.patch may move one, as 7.2's moves the selftest).
edited_files=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$HOOKS" | sort -u)

# Keep a pristine copy of each edited file (the tree's copy is still
# pristine the first time a file shows up in the hooks).
for f in $edited_files; do
	if [ ! -f "$PRISTINE/$f" ]; then
		[ -f "$KTREE/$f" ] || die "${HOOKS#"$TOP"/} edits $f, which $KSRC_PACKAGE $pkgver lacks"
		mkdir -p "$PRISTINE/$(dirname "$f")"
		cp -p "$KTREE/$f" "$PRISTINE/$f"
	fi
done

rm -rf "$STAGE"
mkdir -p "$STAGE"
for f in $edited_files; do
	mkdir -p "$STAGE/$(dirname "$f")"
	cp "$PRISTINE/$f" "$STAGE/$f"
done
if ! out=$(cd "$STAGE" && patch -p1 --no-backup-if-mismatch --fuzz=3 -r - < "$HOOKS" 2>&1); then
	printf '%s\n' "$out" >&2
	die "${HOOKS#"$TOP"/} does not apply to $KSRC_PACKAGE $pkgver: update the hooks for this version (see docs/design.md, "Hooks")"
fi
case $out in *fuzz*|*offset*) say "kernel: hooks applied with fuzz/offset to $pkgver";; esac
(cd "$TOP/kernel/files" && find . -type f -exec cp --parents {} "$STAGE" \;)
if [ -d "$KLINE/files" ]; then
	(cd "$KLINE/files" && find . -type f -exec cp --parents {} "$STAGE" \;)
fi
if [ -f "$KLINE/files.patch" ]; then
	out=$(cd "$STAGE" && patch -p1 --no-backup-if-mismatch -r - < "$KLINE/files.patch" 2>&1) || {
		printf '%s\n' "$out" >&2
		die "${KLINE#"$TOP"/}/files.patch does not apply to kernel/files: redo it for the files as they are now"
	}
fi
cp "$TOP/reasons/exit_stats_reasons.h" "$STAGE/$REASONS_DST"
new_files=$(cd "$STAGE" && find . -type f | sed 's|^\./||' | sort | grep -vxF "$edited_files")

# Bring the tree in line with the stage, touching only what changed.
applied=$(cat "$KDIR/applied.list" 2>/dev/null || true)
for f in $applied; do
	[ -f "$STAGE/$f" ] && continue
	if [ -f "$PRISTINE/$f" ]; then cp -p "$PRISTINE/$f" "$KTREE/$f"; else rm -f "$KTREE/$f"; fi
done
for f in $edited_files $new_files; do
	cmp -s "$STAGE/$f" "$KTREE/$f" 2>/dev/null && continue
	mkdir -p "$KTREE/$(dirname "$f")"
	cp "$STAGE/$f" "$KTREE/$f"
done
printf '%s\n' $edited_files $new_files > "$KDIR/applied.list"
say "kernel: $KSRC_PACKAGE $pkgver (Linux $(make -s -C "$KTREE" kernelversion)) with the kvm-exit-stats change"
