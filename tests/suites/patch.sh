#!/usr/bin/env bash
# Suite "patch": make patch writes the change as one patch and as a series
# (kernel/series): each checkpatch --strict clean, each applying to the
# pristine source (`git am`, `patch -p1`) to give the change exactly, and
# each patch of the series building a kernel on its own, without a warning.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

p=$BUILD/kvm-exit-stats.patch
series=$BUILD/kvm-exit-stats
rm -rf "$p" "$series"
tap_run "patch: make patch writes build/kvm-exit-stats.patch and the series build/kvm-exit-stats/" -- \
	"$TOP/lab/kernel-patch.sh"
checkpatch() {
	local report
	report=$(cd "$KTREE" && perl scripts/checkpatch.pl --strict --no-color "$1" 2>&1 | grep '^total:')
	[[ $report =~ ^total:\ 0\ errors,\ 0\ warnings,\ 0\ checks, ]]
	tap $? "patch: checkpatch.pl --strict ${1#"$BUILD"/}: ${report:-no report}"
}
checkpatch "$p"
n=$(ls "$TOP"/kernel/series/*.msg | wc -l)
patches=()
for k in $(seq 1 "$n"); do
	f=$(ls "$series/$(printf %04d "$k")"-*.patch 2>/dev/null || true)
	if [ -n "$f" ]; then checkpatch "$f"; patches+=("$f"); else tap 1 "patch: patch $k of the series was written"; fi
done

work=$(mktemp -d "$BUILD/patch-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
same_as_stage() { diff -r -q "$1" "$BUILD/kernel/stage" >/dev/null 2>&1 ||
	diff -r "$1" "$BUILD/kernel/stage" | head -20; }
# git_am NAME PATCH...: git am of the PATCHes on a copy of the pristine
# files gives the change.
git_am() {
	local r=$work/$1
	shift
	mkdir -p "$r" && cp -r "$BUILD/kernel/pristine/." "$r/" &&
	git -C "$r" init -q && git -C "$r" add -A &&
	git -C "$r" -c user.name=t -c user.email=t@t commit -qm pristine &&
	git -C "$r" -c user.name=t -c user.email=t@t am -q "$@" &&
	rm -rf "$r/.git" && same_as_stage "$r"
}
patch_p1() {
	local r=$work/p1
	mkdir -p "$r" && cp -r "$BUILD/kernel/pristine/." "$r/" &&
	(cd "$r" && patch -p1 -s --no-backup-if-mismatch < "$p") && same_as_stage "$r"
}
tap_run "patch: git am applies it to the pristine $KSRC_PACKAGE files" -- git_am am "$p"
tap_run "patch: patch -p1 applies it to the pristine $KSRC_PACKAGE files" -- patch_p1
tap_run "patch: git am applies the series to the pristine files, and gives the same change" -- \
	git_am series "${patches[@]}"
subjects() {
	local f bad=0
	grep -q '^Signed-off-by: ' "$p" && grep -q '^Subject: \[PATCH\] KVM: x86: ' "$p" || bad=1
	for f in "${patches[@]}"; do
		grep -q '^Signed-off-by: ' "$f" && grep -Eq '^Subject: \[PATCH [0-9]+/[0-9]+\] KVM: (x86|selftests): [A-Z]' "$f" ||
			{ echo "${f##*/}: no KVM-style subject or no Signed-off-by"; bad=1; }
	done
	return $bad
}
tap_run "patch: KVM-style subjects and a Signed-off-by, in the patch and in every patch of the series" -- subjects

# The deliberately broken builds (tests/mutants/, run by make check and make
# mutants) still apply to the change: a mutant that no longer applies would
# only be found by a kernel build in the lab suites.
mutants_apply() {
	local m r=$work/mutants bad=0
	mkdir -p "$r" && cp -r "$BUILD/kernel/stage/." "$r/" || return 1
	for m in "$TOP"/tests/mutants/*.patch; do
		(cd "$r" && patch -p1 -s --dry-run < "$m" > /dev/null) || { echo "${m##*/} does not apply"; bad=1; }
	done
	return $bad
}
tap_run "patch: every mutant (tests/mutants/*.patch) applies to the change" -- mutants_apply

# Every patch of the series but the last (the change itself, which the
# kernel suite builds) builds a kernel on its own, without a warning: in
# make check-full (KES_PATCH_BUILDS=1), as they take 5 minutes.
# A patch that changes no kernel file (the selftest) is not built again.
for k in $(seq 1 $((n - 1))); do
	what="patch: the kernel builds at patch $k of the series, without a warning ($(basename "$TOP"/kernel/series/"$k"-*.msg .msg))"
	if [ "$k" -gt 1 ] && diff -r -q -x tools -x MAINTAINERS "$BUILD/series/trees/$k" "$BUILD/series/trees/$((k - 1))" >/dev/null 2>&1; then
		tap 0 "$what: the same kernel as patch $((k - 1)), not built again"
		continue
	fi
	if [ "${KES_PATCH_BUILDS:-0}" != 1 ]; then
		echo "ok - $what # SKIP make check-full builds it (about a minute and a half a patch)"
		continue
	fi
	tap_run "$what" -- "$TOP/lab/kernel-build.sh" "patch-$k"
done
