#!/usr/bin/env bash
# Suite "releases" (make check-releases): Debian releases other than this
# machine's, as their users have them (lab/debian-release.sh: a debootstrap
# chroot, apt-get install, make debian-modules with the release's own
# compiler and linux-source), and the modules built there loaded into that
# release's own packaged kernel as L1, on both ISAs: the core lab tests.
# Debian 13 (trixie, 6.12) and unstable (sid, 7.2, built with gcc 16).
#   KES_RELEASES (default "trixie sid")
set -uo pipefail
. "$(dirname "$0")/lab-common.sh"

for rel in ${KES_RELEASES:-trixie sid}; do
	dir=$BUILD/releases/$rel
	start=$SECONDS
	if ! out=$("$TOP/lab/debian-release.sh" "$rel" 2>&1); then
		tap 1 "releases/$rel: make debian-modules builds in a $rel chroot, as the README says"
		printf '%s\n' "$out" | tail -15 | sed 's/^/# /'
		continue
	fi
	tap 0 "releases/$rel: make debian-modules builds in a $rel chroot, as the README says ($((SECONDS - start)) s)"
	printf '%s\n' "$out" | grep 'release:' | sed 's/^/# /'
	kver=$(cat "$dir/kernel-release")
	for isa in svm vmx; do
		log=$BUILD/check/releases-$rel-$isa.log
		core_boot $isa "$dir/vmlinuz" "$dir/l1.cpio.gz" "$log"
		lab_tap "releases/$rel/$isa" "$log"
		grep -q "^KES-L1-UP .* kernel=$kver\$" "$log" &&
			grep -q '^KES-L1-KVM-PARAMS exit_stats exit_stats_' "$log"
		tap $? "releases/$rel/$isa: L1 ran $rel's own kernel $kver with the modules built in $rel"
		lab_checks "releases/$rel/$isa" $isa "$log"
	done
done
