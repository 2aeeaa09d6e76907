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

# lab_selftest_checks SUITE DIR LOG: L1 ran the lab kernel of DIR (its
# kernel.log names the version), and the change's KVM selftest, which
# speaks no TAP, ended well.
lab_selftest_checks() {
	local suite=$1 dir=$2 log=$3 v
	v=$(sed -n 's/.*(Linux \([0-9.]*\), lab,.*/\1/p' "$dir/kernel.log" | tail -1)
	grep -q "^KES-L1-UP .* kernel=$v\$" "$log"
	tap $? "$suite: L1 ran the lab kernel built from the release's linux-source (Linux ${v:-?}) with the change, KVM built in"
	grep -q '^KES-END exit_stats_selftest status=0 ' "$log"
	tap $? "$suite: the change's KVM selftest (x86/exit_stats_test, built from that tree) passed: $(grep -a '^KES-END exit_stats_selftest' "$log" | cut -d' ' -f3)"
}

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
	# A line of its own (7.2): its lab kernel too, built from the
	# release's linux-source with the change and KVM built in, lockdep
	# on: the core tests and the change's KVM selftest of that tree.
	[ -f "$dir/lab/bzImage" ] || continue
	for isa in svm vmx; do
		log=$BUILD/check/releases-$rel-lab-$isa.log
		# -cpu max: the selftest is built for x86-64-v2 (its Makefile).
		KES_QEMU_ARGS="-cpu max" CORE_TESTS=$CORE_TESTS,exit_stats_selftest \
			core_boot $isa "$dir/lab/bzImage" "$dir/lab/l1.cpio.gz" "$log"
		lab_tap "releases/$rel/lab/$isa" "$log"
		lab_selftest_checks "releases/$rel/lab/$isa" "$dir" "$log"
		lab_checks "releases/$rel/lab/$isa" $isa "$log"
	done
done
