#!/usr/bin/env bash
# make selftests: KVM's own x86 selftests, written by KVM's maintainers (not
# by us), in Debian's own kernel as L1, first with Debian's own KVM modules
# and then with the change's (make debian-modules), on both ISAs (QEMU with
# -cpu max, which the selftests' -march=x86-64-v2 needs; Bochs).  The change
# must not turn a single pass into a failure: every test's two results are
# compared.  Emulation makes some tests fail or skip with both sets; those
# are listed, as skips, not passes.  The change's own selftests
# (KES_SELFTESTS_OURS, e.g. exit_stats_test) must pass with ours and skip
# with Debian's, which lack what they test.
#   lab/selftests.sh SUITE [TEST...]   prints TAP lines "SUITE/selftests: ..."
# With no TEST, all of them.  KES_SELFTESTS_ISAS: "svm vmx" (default).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/tap.sh"

suite=${1:?usage: lab/selftests.sh SUITE [TEST...]}
shift
"$TOP/lab/selftests-build.sh" >&2
st=$BUILD/selftests
files=()
if [ $# -gt 0 ]; then
	for t in "$@"; do
		f=$st/x86_64/$t
		[ -x "$f" ] || f=$st/$t
		[ -x "$f" ] || die "no KVM selftest named $t in $st"
		files+=("$f=/selftests/$t")
	done
else
	for f in "$st"/x86_64/* "$st"/*; do
		[ -f "$f" ] && [ -x "$f" ] && [[ $f != *.sh ]] && files+=("$f=/selftests/${f##*/}")
	done
fi
initrd=$LAB/l1-selftests.cpio.gz
"$TOP/lab/stock-build.sh" "$initrd" "${files[@]}" >&2
names=$(printf '%s\n' "${files[@]}" | sed 's|.*=/selftests/||' | paste -sd, -)
out=${KES_SELFTESTS_OUT:-$BUILD/check}	# make selftests: its own folder, which make check does not clear
mkdir -p "$out"
for isa in ${KES_SELFTESTS_ISAS:-svm vmx}; do
	log=$out/$suite-selftests-$isa.log
	if [ "$isa" = svm ]; then
		KES_KERNEL=$LAB/stock/vmlinuz KES_QEMU_ARGS="-cpu max -m 2G" "$TOP/lab/boot-qemu.sh" \
			"$initrd" selftests "$log" 2 3600 "kes.selftests=$names" >/dev/null 2>&1 || true
	else
		KES_BOCHS_CPUS=1 KES_KERNEL=$LAB/stock/vmlinuz "$TOP/lab/boot-bochs.sh" \
			"$initrd" selftests "$log" 7200 "kes.selftests=$names" >/dev/null 2>&1 || true
	fi
	if ! grep -q '^KES-L1-DONE' "$log" 2>/dev/null; then
		tap 1 "$suite/selftests: the $isa boot ran KVM's selftests to the end (see $log)"
		continue
	fi
	{ grep -a '^KES-ERROR' "$log" || true; } | sed 's/^/not ok - '"$suite"'\/selftests: /'
	awk -v suite="$suite" -v isa="$isa" -v ours=" ${KES_SELFTESTS_OURS:-} " '
		$1 == "KES-SELFTEST" { r[$2 "," $3] = $4; t[$3] = 1 }
		END {
			for (n in t) {
				d = r["debian," n]; o = r["ours," n]
				if (index(ours, " " n " "))
					printf "%s - %s/selftests: %s %s: the change'\''s own test: %s with our modules (it must pass), %s with Debian'\''s (it must skip)\n", o == "pass" && d == "skip" ? "ok" : "not ok", suite, isa, n, o ? o : "has no result", d ? d : "no result"
				else if (d == "pass" && o == "pass")
					printf "ok - %s/selftests: %s %s: passes with Debian'\''s modules and with ours\n", suite, isa, n
				else if (d == "pass")
					printf "not ok - %s/selftests: %s %s: passes with Debian'\''s modules, %s with ours\n", suite, isa, n, o ? o : "no result"
				else if (o == d)
					printf "ok - %s/selftests: %s %s: # SKIP %s with both sets of modules (the emulator)\n", suite, isa, n, d
				else if (o == "pass")
					printf "ok - %s/selftests: %s %s: %s with Debian'\''s modules, passes with ours\n", suite, isa, n, d
				else
					printf "not ok - %s/selftests: %s %s: %s with Debian'\''s modules, %s with ours\n", suite, isa, n, d ? d : "no result", o ? o : "no result"
			}
		}' "$log" | sort
	{ grep -a '^KES-SELFTEST-OUT' "$log" || true; } | head -40 | sed 's/^/# /'
done
