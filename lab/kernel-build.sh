#!/usr/bin/env bash
# Configures and builds a kernel with the change (make kernel): tinyconfig
# plus the fragments of its variant (kernel/configs), with ccache.
#   lab/kernel-build.sh [VARIANT]
#     lab      (default) lab.config + debug.config + mttcg.config: the lab
#              kernel of make check, one that complains (WARN, lockdep, ...)
#              and patches no text at run time; build/lab/bzImage
#     stress   the lab kernel plus stress.config (KASAN, UBSAN, kmemleak) with
#              KVM as modules: what make stress runs; build/lab/stress/
#              (bzImage, System.map, modules/*.ko)
#     patch-K  the lab kernel's config, the change as of patch K of make
#              patch's series (build/series/trees/K, written by make patch):
#              each patch must build on its own, without a warning;
#              build/series/build-K/
#     mutant-NAME  lab.config + mttcg.config with tests/mutants/NAME.patch
#              applied on top of the change: a deliberately broken build that
#              a test must catch (without the debugging options, which only
#              slow it down); build/lab/mutant-NAME/
# Prints the kernel version it built and the compiler cache's hit rate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:-lab}
need_pkgs gcc libc6-dev make flex bison bc libelf-dev libssl-dev ccache cpio
"$TOP/lab/kernel-tree.sh"

tree=$KTREE
case $variant in
lab)	frags="lab debug mttcg"; obj=$KOBJ; out=$LAB ;;
stress)	frags="lab debug mttcg stress"; obj=$BUILD/kernel/obj-stress; out=$LAB/stress ;;
mutant-*)
	frags="lab mttcg"
	mutant=$TOP/tests/mutants/${variant#mutant-}.patch
	[ -r "$mutant" ] || die "no mutant $mutant (tests/mutants/*.patch)"
	for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$mutant"); do
		grep -qx "$f" "$BUILD/kernel/applied.list" ||
			die "${mutant#"$TOP"/} changes $f, which is not a file of the change"
	done
	obj=$BUILD/kernel/obj-$variant
	out=$LAB/$variant
	# Applied to the tree itself for the build (so that the compiler
	# cache, which hashes paths relative to build/, hits), and taken out
	# again after it: lab/kernel-tree.sh puts back every file of the
	# change that differs from the change.
	trap '"$TOP/lab/kernel-tree.sh" >/dev/null 2>&1' EXIT
	(cd "$tree" && patch -p1 -s --no-backup-if-mismatch < "$mutant") ||
		die "tests/mutants/${variant#mutant-}.patch does not apply to the change any more: update it"
	;;
patch-[0-9]*)
	frags="lab debug mttcg"	# the lab kernel's: the compiler cache has all but the change
	step=$BUILD/series/trees/${variant#patch-}
	[ -d "$step" ] || die "no tree of patch ${variant#patch-} in build/series/trees: run make patch first"
	obj=$BUILD/kernel/obj-patch	# one for all the patches: each builds on the one before
	out=$BUILD/series/build-${variant#patch-}
	# As for a mutant: the tree itself takes the patch's files for the
	# build, and the change's again after it.
	trap '"$TOP/lab/kernel-tree.sh" >/dev/null 2>&1' EXIT
	change_files_as "$step" "$tree"
	;;
*)	die "unknown kernel variant '$variant' (lab, stress, patch-K, mutant-NAME)" ;;
esac

kcache_env
mkdir -p "$obj" "$out"
kmake() { make -C "$tree" O="$obj" CC="ccache gcc" "$@"; }

config=$(for f in $frags; do cat "$TOP/kernel/configs/$f.config"; done)
if [ "$config" != "$(cat "$obj/config.applied" 2>/dev/null)" ]; then
	say "kernel: configuring $variant (tinyconfig + kernel/configs/{${frags// /,}}.config)"
	kmake -s tinyconfig >/dev/null
	printf '%s\n' "$config" > "$obj/fragment.config"
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$obj/fragment.config" 2>&1 |
		grep -v 'override: reassigning' >/dev/null || true
	kmake -s olddefconfig >/dev/null
	# Every option the fragments ask for (the last word on each) must have
	# survived olddefconfig.
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=|^# CONFIG_[A-Z0-9_]+ is not set' "$obj/fragment.config" |
		sed -E 's/^# (CONFIG_[A-Z0-9_]+) is not set$/\1=n/' |
		awk -F= '{ v[$1] = $0 } END { for (k in v) print v[k] }' |
		while IFS= read -r opt; do
			case $opt in
			*=n) ! grep -q "^${opt%=n}=" "$obj/.config" || echo "$opt" ;;
			*) grep -qx "$opt" "$obj/.config" || echo "$opt" ;;
			esac
		done)
	[ -z "$missing" ] || die "the $variant config lacks: $(echo $missing) (see kernel/configs)"
	printf '%s\n' "$config" > "$obj/config.applied"
fi

targets=bzImage
grep -q '^CONFIG_MODULES=y' "$obj/.config" && targets="bzImage modules"
start=$(date +%s)
kcache_zero
if ! build_with_progress "kernel: building $variant $targets" "$obj/build.log" kmake -j"$(nproc)" $targets; then
	grep -E 'error|Error' "$obj/build.log" | head -20 >&2
	die "kernel build failed: see $obj/build.log"
fi
if [[ $variant == patch-* ]] && grep -E ': (warning|error):' "$obj/build.log" >&2; then
	die "the kernel at ${variant/-/ } builds with warnings: see $obj/build.log"
fi
cp "$obj/arch/x86/boot/bzImage" "$out/bzImage"
cp "$obj/System.map" "$out/System.map"
if [ "$targets" != bzImage ]; then
	rm -rf "$out/modules"
	mkdir -p "$out/modules"
	find "$obj" -name '*.ko' -exec cp {} "$out/modules/" \;
fi
say "kernel: built ${out#"$TOP"/}/bzImage (Linux $(make -s -C "$tree" kernelversion), $variant, $(stat -c %s "$out/bzImage") bytes) in $(( $(date +%s) - start )) s; $(kcache_rate)"
