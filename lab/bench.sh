#!/usr/bin/env bash
# make bench: what the statistics cost, against Debian's own KVM and the
# tracing peers, in one run on the same kernel.  Boots Debian's own 6.12
# kernel as L1 on both back ends with clocks that count emulated
# instructions (QEMU: -icount shift=0, 1 ns per instruction; Bochs: clock
# sync=none at a fixed 100 MIPS) and runs every configuration in turn
# (lab/l1/jobs/bench.sh): Debian's modules (the baseline), the peers on
# them (trace events into the ring buffer, a hist trigger, trace-cmd, perf
# kvm stat, bpftrace, bcc's kvmexit: Debian 12's packages, under QEMU), the
# change's modules in each tier, and the course's design as build variants.
# lab/bench/report.py prints the table and writes build/bench/results.md
# and a chart.  Then what a guest that hammers the CPUID leaves costs the
# others (lab/l1/jobs/bench-hammer.sh), and the memory.
#   KES_BENCH_N (20000 on SVM, 2000 on VMX), KES_BENCH_ROUNDS (3), KES_BENCH_ROWS (all),
#   KES_BENCH_ISAS ("svm vmx"), KES_BENCH_HAMMER (1), KES_BENCH_OUT (build/bench)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/modules/debian.sh"

out=${KES_BENCH_OUT:-$BUILD/bench}
mkdir -p "$out"
# Bochs's port I/O round trip is 13,000 instructions (0.13 ms of L1 time):
# VMX runs a tenth of SVM's iterations.
n_svm=${KES_BENCH_N:-20000}
n_vmx=${KES_BENCH_N:-2000}
rounds=${KES_BENCH_ROUNDS:-3}
rows=${KES_BENCH_ROWS:-}
need_pkgs gnuplot-nox python3

# Debian's kernel with the change's modules and the course's variants of
# them; the peers' packages beside, and the kernel's headers for bcc.
kver=$(deb_source_kver)
files=()
for v in "$TOP/tests/mutants/course-plain.patch" "$TOP/lab/bench/variants/course-atomic.patch"; do
	KES_MODULES_VARIANT=$v "$TOP/modules/build.sh"
	name=$(basename "$v" .patch)
	for m in kvm kvm-amd kvm-intel; do
		files+=("$BUILD/debian/variants/$name/$m.ko=/modules/$name/$m.ko")
	done
done
# The control: Debian's KVM source built as ours are, without the change.
KES_MODULES_VARIANT=without-change "$TOP/modules/build.sh"
for m in kvm kvm-amd kvm-intel; do
	files+=("$BUILD/debian/variants/without-change/$m.ko=/modules/without-change/$m.ko")
done
"$TOP/lab/stock-build.sh" "$LAB/l1-bench.cpio.gz" "${files[@]}"
mapfile -t parts < <("$TOP/lab/bench/peers-build.sh" "$kver")
# The kernel reads initramfs archives one after the other.
cat "$LAB/l1-bench.cpio.gz" "${parts[@]}" > "$LAB/l1-bench-peers.cpio.gz"

args="kes.bench_rounds=$rounds${rows:+ kes.bench_rows=$rows}"
export KES_KERNEL=$LAB/stock/vmlinuz
for isa in ${KES_BENCH_ISAS:-svm vmx}; do
	n=n_$isa
	say "bench: $isa: every configuration, $rounds x ${!n} exits of each workload (this takes a while)"
	if [ "$isa" = svm ]; then
		KES_SILENCE_S=300 KES_QEMU_ARGS="-icount shift=0,sleep=off -m 3G" "$TOP/lab/boot-qemu.sh" \
			"$LAB/l1-bench-peers.cpio.gz" bench "$out/svm.log" 1 3600 "$args kes.bench_n=${!n}" >/dev/null
	else
		# Bochs's boot loader would read the peers' 150 MB off an emulated
		# CD: under Bochs, the peers that need no package.
		KES_BOCHS_CPUS=1 "$TOP/lab/boot-bochs.sh" "$LAB/l1-bench.cpio.gz" bench \
			"$out/vmx.log" 3600 "$args kes.bench_n=${!n}" >/dev/null
	fi
done
if [ "${KES_BENCH_HAMMER:-1}" = 1 ]; then
	"$TOP/lab/boot-qemu.sh" "$LAB/l1-bench.cpio.gz" bench-hammer "$out/hammer.log" 2 900 >/dev/null
fi

# The versions the figures were measured with.
{
	echo "kernel=Debian $(ksrc_package_version) ($kver), linux-image-$kver-unsigned"
	echo "qemu=$($("$TOP/lab/qemu-l0.sh") --version | head -1)"
	echo "bochs=$(dpkg-query -W -f='${Version}' bochs 2>/dev/null)"
	# The first part is the peers' (lab/bench/peers-build.sh: ROOT.cpio.gz).
	grep -E '^(trace-cmd|linux-perf|bpftrace|bpfcc-tools)=' "${parts[0]%.cpio.gz}/.packages" || true
} > "$out/versions.txt"
"$TOP/lab/bench/size.sh" > "$out/memory.txt"
python3 "$TOP/lab/bench/static.py" "$BUILD/debian/tree/arch/x86/kvm" > "$out/static.txt" ||
	say "bench: the static count failed (see above)"
python3 "$TOP/lab/bench/report.py" "$out"
