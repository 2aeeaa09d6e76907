#!/usr/bin/env bash
# make patch: the change against the pristine Debian source, checked with
# scripts/checkpatch.pl --strict, in two forms:
#   build/kvm-exit-stats/    a series for `git am`, in the order a reviewer
#                            reads it (kernel/series/*.msg): the
#                            upstream-shaped core first (counts and times,
#                            KVM's binary statistics, a KVM selftest), then
#                            the extensions (debugfs files, log dumps, the
#                            CPUID leaves); a cover letter from
#                            kernel/commit-message
#   build/kvm-exit-stats.patch  the whole change as one patch, for
#                            `git am` or `patch -p1` on a 6.12 tree
# The change's source is kernel/files and kernel/hooks.patch: the tree of
# the last patch.  The tree of each patch before it is made from the next
# one's by taking out what that one adds: kernel/series/K-NAME.undo.
#   lab/kernel-patch.sh            writes both forms, and the trees of the
#                                  patches (the change's files only) in
#                                  build/series/trees/K
#   lab/kernel-patch.sh --build    also builds a kernel at each patch but
#                                  the last (lab/kernel-build.sh patch-K)
#   lab/kernel-patch.sh --refresh  after editing build/series/trees/K (K
#                                  < the last): writes kernel/series/*.undo
#                                  from the trees, and checks them again
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:-}
case $mode in ""|--build|--refresh) ;; *) die "usage: lab/kernel-patch.sh [--build|--refresh]" ;; esac
need_pkgs git perl patch python3-ply
"$TOP/lab/kernel-tree.sh"
SERIES=$TOP/kernel/series
TREES=$BUILD/series/trees
mapfile -t msgs < <(cd "$SERIES" && ls ./*.msg | sed 's|^\./||' | sort -n)
n=${#msgs[@]}
[ "$n" -ge 1 ] || die "kernel/series has no K-NAME.msg"
for k in $(seq 1 "$n"); do
	[[ ${msgs[k - 1]} == "$k-"*.msg ]] || die "kernel/series: patch $k is ${msgs[k - 1]}, not $k-NAME.msg"
done
name() { local m=${msgs[$1 - 1]}; printf '%s' "${m%.msg}"; }

# The change's files: those it edits and those it adds.
mapfile -t files < "$BUILD/kernel/applied.list"

# undo_diff K: the diff that takes tree K to tree K-1, file by file.
undo_diff() {
	local f
	for f in "${files[@]}"; do
		[ -f "$TREES/$1/$f" ] || [ -f "$TREES/$(($1 - 1))/$f" ] || continue
		diff -uN --label "a/$f" --label "b/$f" "$TREES/$1/$f" "$TREES/$(($1 - 1))/$f" || true
	done
}

if [ "$mode" = --refresh ]; then
	[ -d "$TREES/$n" ] || die "no trees in ${TREES#"$TOP"/}: run make patch first"
	diff -r -q "$TREES/$n" "$BUILD/kernel/stage" >/dev/null ||
		die "build/series/trees/$n differs from the change: edit the last patch's code in kernel/files and kernel/hooks.patch (docs/design.md, \"The patch series\")"
	for k in $(seq "$n" -1 2); do
		undo_diff "$k" > "$SERIES/$(name "$k").undo"
	done
	say "patch: wrote kernel/series/*.undo from the trees; checking them"
	mode=
fi

# The trees: the last patch's is the change; each earlier one is the next
# one with its additions taken out.
rm -rf "$TREES"
mkdir -p "$TREES"
cp -r "$BUILD/kernel/stage" "$TREES/$n"
for k in $(seq "$n" -1 2); do
	undo=$SERIES/$(name "$k").undo
	[ -f "$undo" ] || die "no kernel/series/$(name "$k").undo"
	cp -r "$TREES/$k" "$TREES/$((k - 1))"
	if ! out=$(cd "$TREES/$((k - 1))" && patch -p1 -E -s --no-backup-if-mismatch -r - < "$undo" 2>&1); then
		printf '%s\n' "$out" >&2
		die "kernel/series/$(name "$k").undo no longer applies to the change: edit build/series/trees/$((k - 1)) as patch $((k - 1)) should be, then lab/kernel-patch.sh --refresh"
	fi
	case $out in *fuzz*|*offset*) say "patch: kernel/series/$(name "$k").undo applied with fuzz or offset; lab/kernel-patch.sh --refresh rewrites it";; esac
done

repo=$(mktemp -d "$BUILD/patch.XXXXXX")
trap 'rm -rf "$repo"' EXIT
author_name=$(git -C "$TOP" config user.name || echo "kvm-exit-stats developers")
author_email=$(git -C "$TOP" config user.email || echo "kvm-exit-stats@localhost")
export GIT_AUTHOR_NAME=$author_name GIT_AUTHOR_EMAIL=$author_email
export GIT_COMMITTER_NAME=$author_name GIT_COMMITTER_EMAIL=$author_email
g() { git -C "$repo" -c init.defaultBranch=main -c core.autocrlf=false "$@"; }
signed() { cat "$1"; printf '\nSigned-off-by: %s <%s>\n' "$author_name" "$author_email"; }
# commit_tree DIR MESSAGE: a commit of the change's files as DIR has them.
commit_tree() {
	change_files_as "$1" "$repo"
	g add -A && signed "$2" | g commit -q -F -
}

g init -q
(cd "$BUILD/kernel/pristine" && cp -r --parents . "$repo/")
g add -A && g commit -qm "Linux $(make -s -C "$KTREE" kernelversion) (Debian $KSRC_PACKAGE $(ksrc_package_version))"
g branch -q pristine
commit_tree "$TREES/$n" "$TOP/kernel/commit-message"
whole=$BUILD/kvm-exit-stats.patch
g format-patch -1 --stdout > "$whole"
g reset -q --hard pristine
for k in $(seq 1 "$n"); do
	commit_tree "$TREES/$k" "$SERIES/$(name "$k").msg"
done
out=$BUILD/kvm-exit-stats
rm -rf "$out"
g format-patch -q --cover-letter -o "$out" pristine..HEAD
# The cover letter's subject and text: kernel/commit-message's.
cover=$(ls "$out"/0000-*.patch)
python3 - "$cover" "$TOP/kernel/commit-message" <<'EOF'
import sys
cover, msg = sys.argv[1], open(sys.argv[2]).read().split('\n', 1)
text = open(cover).read()
text = text.replace('*** SUBJECT HERE ***', msg[0]).replace('*** BLURB HERE ***', msg[1].strip('\n'))
open(cover, 'w').write(text)
EOF
say "patch: ${whole#"$TOP"/} ($(grep -c '^+[^+]' "$whole") lines added, $(grep -c '^diff --git' "$whole") files) and the series ${out#"$TOP"/}/ ($n patches and a cover letter)"

cd "$KTREE"
bad=0
for p in "$whole" "$out"/000[1-9]-*.patch "$out"/00[1-9][0-9]-*.patch; do
	[ -f "$p" ] || continue
	if ! report=$(perl scripts/checkpatch.pl --strict --no-signoff --no-color "$p" 2>&1); then
		printf '%s\n' "$report" >&2
		say "error: checkpatch.pl --strict found problems in ${p#"$TOP"/}"
		bad=1
	else
		say "patch: ${p#"$TOP"/}: $(printf '%s\n' "$report" | grep '^total:')"
	fi
done
[ "$bad" = 0 ] || exit 1

if [ "$mode" = --build ]; then
	for k in $(seq 1 $((n - 1))); do
		"$TOP/lab/kernel-build.sh" "patch-$k" || die "the kernel does not build at patch $k, $(name "$k")"
	done
fi
