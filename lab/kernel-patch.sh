#!/usr/bin/env bash
# Writes the kernel change as one git-format patch against the pristine
# Debian source (make patch): build/kvm-exit-stats.patch, for `git am` or
# `patch -p1` on a 6.12 tree.  Then runs scripts/checkpatch.pl --strict on it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs git perl
"$TOP/lab/kernel-tree.sh"
out=$BUILD/kvm-exit-stats.patch
repo=$(mktemp -d "$BUILD/patch.XXXXXX")
trap 'rm -rf "$repo"' EXIT

author_name=$(git -C "$TOP" config user.name || echo "kvm-exit-stats developers")
author_email=$(git -C "$TOP" config user.email || echo "kvm-exit-stats@localhost")
export GIT_AUTHOR_NAME=$author_name GIT_AUTHOR_EMAIL=$author_email
export GIT_COMMITTER_NAME=$author_name GIT_COMMITTER_EMAIL=$author_email
g() { git -C "$repo" -c init.defaultBranch=main -c core.autocrlf=false "$@"; }

g init -q
(cd "$BUILD/kernel/pristine" && cp -r --parents . "$repo/")
g add -A && g commit -qm "Linux $(make -s -C "$KTREE" kernelversion) (Debian $KSRC_PACKAGE $(ksrc_package_version))"
(cd "$BUILD/kernel/stage" && cp -r --parents . "$repo/")
g add -A
{ cat "$TOP/kernel/commit-message"; printf '\nSigned-off-by: %s <%s>\n' "$author_name" "$author_email"; } |
	g commit -q -F -
g format-patch -1 --stdout > "$out"
say "patch: $out ($(grep -c '^+[^+]' "$out") lines added, $(grep -c '^diff --git' "$out") files)"

cd "$KTREE"
if ! report=$(perl scripts/checkpatch.pl --strict --no-signoff --no-color "$out" 2>&1); then
	printf '%s\n' "$report" >&2
	die "checkpatch.pl --strict found problems in $out"
fi
printf '%s\n' "$report" | grep -E '^total:|ready for submission' >&2
