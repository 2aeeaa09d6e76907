#!/usr/bin/env bash
# For developers: after editing the change inside build/kernel/src, writes it
# back to the repository: kernel/hooks.patch (the edits to existing files, as
# against the pristine copies in build/kernel/pristine), kernel/files (the new
# files) and reasons/exit_stats_reasons.h.
#   lab/kernel-refresh.sh [PATH...]   PATHs: further existing files now edited
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PRISTINE=$BUILD/kernel/pristine
[ -d "$PRISTINE" ] || die "no prepared tree: run make kernel first"
edited=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$TOP/kernel/hooks.patch" | sort -u)
for f in "$@"; do
	[ -f "$PRISTINE/$f" ] || { mkdir -p "$PRISTINE/$(dirname "$f")"; \
		tar -xOf "$KSRC_TARBALL" "linux-source-6.12/$f" > "$PRISTINE/$f"; }
done
tmp=$(mktemp)
for f in $(printf '%s\n' $edited "$@" | sort -u); do
	diff -u --label "a/$f" --label "b/$f" "$PRISTINE/$f" "$KTREE/$f" >> "$tmp" || true
done
mv "$tmp" "$TOP/kernel/hooks.patch"
(cd "$TOP/kernel/files" && find . -type f) | while read -r f; do
	cp "$KTREE/$f" "$TOP/kernel/files/$f"
done
cp "$KTREE/arch/x86/kvm/exit_stats_reasons.h" "$TOP/reasons/exit_stats_reasons.h"
say "kernel/hooks.patch: $(grep -c '^[-+][^-+]' "$TOP/kernel/hooks.patch") changed lines in $(grep -c '^+++ ' "$TOP/kernel/hooks.patch") files"
