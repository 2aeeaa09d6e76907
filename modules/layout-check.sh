#!/usr/bin/env bash
# Checks that the modules built out of tree keep the layout of KVM's structs
# that code built without the change reads.  Debian's vmlinux and other
# modules are compiled against Debian's headers: Debian's vmlinux increments
# vcpu->stat.signal_exits itself (kernel/entry/kvm.c, a KVM_RUN ended by a
# signal), so a field the change inserts before it makes that increment land
# in the change's own data.  The change appends its fields to struct
# kvm_vcpu and struct kvm; every other field must keep its offset and size.
#
#   modules/layout-check.sh HEADERS OVERLAY WORKDIR
#
# HEADERS: Debian's kernel headers; OVERLAY: the change's headers, which the
# module build puts first; WORKDIR: scratch space.  A probe that includes
# <linux/kvm_host.h> is compiled against each, and pahole lists the members
# of each struct from its debug information.
set -euo pipefail
. "$(dirname "$0")/../lab/lib.sh"

[ $# -eq 3 ] || die "usage: modules/layout-check.sh HEADERS OVERLAY WORKDIR"
hdr=$(realpath "$1") overlay=$(realpath "$2") work=$(realpath -m "$3")
structs=kvm_vcpu,kvm,kvm_vcpu_arch,kvm_arch,kvm_vcpu_stat,kvm_vm_stat,kvm_run
# The change's member, last; a cache-line-aligned one as pahole prints it too.
appended=' exit_stats( __attribute__\(\(__aligned__\([0-9]+\)\)\))?;'

probe() {	# probe DIR KBUILD-LINES...
	local dir=$1
	shift
	mkdir -p "$dir"
	printf '%s\n' '#include <linux/kvm_host.h>' \
		'struct kvm_vcpu kes_layout_vcpu;' 'struct kvm kes_layout_kvm;' > "$dir/probe.c"
	printf '%s\n' "$@" 'ccflags-y += -g' 'obj-m := probe.o' > "$dir/Kbuild"
	make -s -C "$hdr" M="$dir" probe.o > "$dir/build.log" 2>&1 ||
		die "layout check: the probe did not compile against $hdr: see $dir/build.log"
	# "struct: member; /* offset size */", one per line, bitfields included.
	# From DWARF (trixie's pahole 1.30 tries BTF first), and whatever its
	# status: 1.30 ends with "Invalid argument" on an object file after
	# printing every struct; an empty list is the failure.
	{ pahole -F dwarf -C "$structs" "$dir/probe.o" || true; } |
		awk '/^struct [a-z_]+ \{/ { s = $2 } /;[ \t]*\/\*.*\*\/$/ { print s ": " $0 }' |
		sed 's/[[:space:]]\+/ /g' | sort > "$dir/members"
	[ -s "$dir/members" ] || die "layout check: pahole found no members in $dir/probe.o"
}

probe "$work/debian"
probe "$work/change" "NOSTDINC_FLAGS += -I$overlay" 'ccflags-y += -DCONFIG_KVM_EXIT_STATS=1'
moved=$(comm -23 "$work/debian/members" "$work/change/members")
added=$(comm -13 "$work/debian/members" "$work/change/members" | grep -vE "$appended" || true)
if [ -n "$moved" ] || [ -n "$added" ]; then
	{
		echo "error: the change moves fields of KVM's structs that code built without it reads"
		echo "(Debian's vmlinux: vcpu->stat.signal_exits); as Debian's headers have them:"
		printf '%s\n' "$moved" | sed 's/^/  /'
		echo "and with the change:"
		comm -13 "$work/debian/members" "$work/change/members" | sed 's/^/  /'
		echo "Append the change's fields to struct kvm_vcpu and struct kvm, nowhere else."
	} >&2
	exit 1
fi
say "debian-modules: layout of $structs as in Debian's headers ($(wc -l < "$work/debian/members") fields), the change's own appended"
