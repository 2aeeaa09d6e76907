#!/usr/bin/env bash
# The tracing peers of make bench, as Debian 12 packages them: trace-cmd,
# perf (linux-perf), bpftrace and bcc's tools (bpfcc-tools, kvmexit among
# them; Debian 12's perf is 6.1's, which runs on 6.12 too), with every
# package they depend on, extracted (not installed) into
# one root and packed as an initramfs part that is appended to L1's: L1
# runs them with chroot /peers.  Both are kept in the cache, keyed by the
# packages' versions; prints the part's path.  With KVER, a second part:
# the headers of Debian's kernel KVER (linux-headers-KVER and its common
# part) under /peers, where bcc compiles its programs against them.
#   lab/bench/peers-build.sh [KVER]
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$TOP/modules/debian.sh"

PEERS="trace-cmd linux-perf bpftrace bpfcc-tools"
# What a Debian system always has and the peers run without saying so
# (bcc's tools run "uname -m" and grep through /bin/sh).
ESSENTIAL="dash coreutils grep"
kver=${1:-}
need_pkgs cpio gzip dpkg

# Every package they need, to the bottom (libc6 included: L1's own root is
# a static busybox); alternatives and virtual packages as apt lists them.
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances $PEERS $ESSENTIAL 2>/dev/null | grep -E '^[a-z0-9]' | sort -u)
[ -n "$closure" ] || die "apt-cache knows none of $PEERS: apt-get update?"
# The version apt would install of each, in one apt-cache call (one a
# package took minutes).
declare -A cand
while read -r p v; do cand[$p]=$v; done < <(apt-cache policy $closure 2>/dev/null |
	awk '/^[^ ].*:$/ { p = substr($0, 1, length($0) - 1) }
	     /^  Candidate:/ && $2 != "(none)" { print p, $2 }')
pkgs=()
for p in $closure; do
	[ -n "${cand[$p]:-}" ] && pkgs+=("$p=${cand[$p]}")
done
key=$(printf '%s\n' "${pkgs[@]}" | sha256sum | cut -c1-16)
root=$DEB_CACHE/peers-$key
out=$root.cpio.gz
if [ ! -f "$root/.extracted" ]; then
	say "peers: extracting ${#pkgs[@]} Debian packages ($PEERS and what they depend on)"
	rm -rf "$root"
	mkdir -p "$root"
	for pv in "${pkgs[@]}"; do
		dpkg-deb -x "$(deb_fetch "${pv%%=*}" "${pv#*=}")" "$root" ||
			die "cannot extract ${pv%%=*}"
	done
	# What no tool reads at run time.
	rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,bash-completion}
	printf '%s\n' "${pkgs[@]}" > "$root/.packages"
	touch "$root/.extracted"
fi
# pack OUT ROOT...: the ROOTs, one over the other, under /peers in OUT.
pack() {
	local o=$1 stage r
	shift
	stage=$(mktemp -d "$DEB_CACHE/peers.XXXXXX")
	mkdir -p "$stage/peers"
	# Hard-linked copies: cpio stores them under /peers.
	for r in "$@"; do cp -al "$r/." "$stage/peers/"; done
	(cd "$stage" && find peers | cpio -o -H newc --quiet | gzip -1) > "$o.tmp"
	rm -rf "$stage"
	mv "$o.tmp" "$o"
}

if [ ! -f "$out" ]; then
	say "peers: packing $(du -sm "$root" | cut -f1) MB into $out"
	pack "$out" "$root"
fi
say "peers: $out ($(du -m "$out" | cut -f1) MB): $(grep -E '^(trace-cmd|linux-perf|bpftrace|bpfcc-tools)=' "$root/.packages" | tr '\n' ' ')"
echo "$out"
if [ -n "$kver" ]; then
	abi=${kver%-amd64}
	ver=$(deb_candidate "linux-headers-$kver")
	[ -n "$ver" ] || die "Debian's archive has no linux-headers-$kver"
	hdr=$DEB_CACHE/peers-headers-$kver-$ver.cpio.gz
	if [ ! -f "$hdr" ]; then
		say "peers: packing the headers of $kver for bcc"
		pack "$hdr" "$(deb_extract "linux-headers-$kver" "$ver")" \
			"$(deb_extract "linux-headers-$abi-common" "$ver")"
	fi
	echo "$hdr"
fi
