#!/usr/bin/env bash
# Suite "patch": make patch writes one patch that checkpatch --strict passes
# and that both `git am` and `patch -p1` apply to the pristine source.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

p=$BUILD/kvm-exit-stats.patch
rm -f "$p"
tap_run "patch: make patch writes build/kvm-exit-stats.patch" -- "$TOP/lab/kernel-patch.sh"
report=$(cd "$KTREE" && perl scripts/checkpatch.pl --strict --no-color "$p" 2>&1 | grep '^total:')
[[ $report =~ ^total:\ 0\ errors,\ 0\ warnings,\ 0\ checks, ]]
tap $? "patch: checkpatch.pl --strict: ${report:-no report}"

work=$(mktemp -d "$BUILD/patch-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
same_as_stage() { diff -r -q "$1" "$BUILD/kernel/stage" >/dev/null 2>&1 ||
	diff -r "$1" "$BUILD/kernel/stage" | head -20; }
git_am() {
	local r=$work/am
	mkdir -p "$r" && cp -r "$BUILD/kernel/pristine/." "$r/" &&
	git -C "$r" init -q && git -C "$r" add -A &&
	git -C "$r" -c user.name=t -c user.email=t@t commit -qm pristine &&
	git -C "$r" -c user.name=t -c user.email=t@t am -q "$p" &&
	rm -rf "$r/.git" && same_as_stage "$r"
}
patch_p1() {
	local r=$work/p1
	mkdir -p "$r" && cp -r "$BUILD/kernel/pristine/." "$r/" &&
	(cd "$r" && patch -p1 -s --no-backup-if-mismatch < "$p") && same_as_stage "$r"
}
tap_run "patch: git am applies it to the pristine $KSRC_PACKAGE files" -- git_am
tap_run "patch: patch -p1 applies it to the pristine $KSRC_PACKAGE files" -- patch_p1
grep -q '^Signed-off-by: ' "$p" && grep -q '^Subject: \[PATCH\] KVM: x86: ' "$p"
tap $? "patch: a KVM-style subject and a Signed-off-by"

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
