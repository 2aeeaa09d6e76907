#!/bin/sh
# make bench (lab/bench.sh), in Debian's own kernel as L1: what one exit
# round trip of a nested guest costs in each configuration, one row each:
#   debian            Debian's own KVM modules, nothing enabled: the baseline
#   rebuilt           Debian's KVM source built as ours are, without the change
#   tp-ring ... kvmexit  the tracing peers recording it, on Debian's modules
#   off ... hist+leaves  the change's modules, in each tier
#   course-*          the course write-ups' design, as build variants
# Each row runs each workload (kvm-workload: CPUID, handled in KVM; port
# I/O, which goes to the VMM; on VMX HLT woken by a self-IPI, whose ICR
# write and HLT KVM handles in its fastpath) ROUNDS times N iterations and
# prints "KES-BENCH row=R work=W round=K ns=T", T the guest's round trip;
# and "KES-BENCH-ROW row=R exits=E iterations=I" with KVM's own count of
# the workloads' exits (their vCPUs' "exits" in KVM's binary statistics); a peer also "KES-BENCH-PEER row=R ...": what it
# wrote and lost.  kes.bench_n=N, kes.bench_rounds=ROUNDS and
# kes.bench_rows="a,b" (default: all) on the command line.
arg() { sed -n "s/.*kes\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
n=$(arg bench_n)
n=${n:-20000}
rounds=$(arg bench_rounds)
rounds=${rounds:-3}
only=$(arg bench_rows | tr , ' ')
works="cpuid io"
grep -qw vmx /proc/cpuinfo && works="$works hlt"
tr=/sys/kernel/tracing
P=/peers

wanted() { [ -z "$only" ] || echo " $only " | grep -q " $1 "; }

measure() {	# measure ROW
	e=0
	k=1
	while [ $k -le "$rounds" ]; do
		for w in $works; do
			step "$1 $w round $k"
			/tests/kvm-workload --"$w" "$n" --time > /tmp/wl.out 2>&1
			t=$(sed -n 's/.*: \([0-9.]*\) ns each$/\1/p' /tmp/wl.out)
			x=$(sed -n 's/^kvm-workload: \([0-9]*\) exits .*/\1/p' /tmp/wl.out)
			e=$((e + ${x:-0}))
			echo "KES-BENCH row=$1 work=$w round=$k ns=${t:-none}"
			[ -n "$t" ] || sed "s/^/KES-BENCH-OUT $1: /" /tmp/wl.out | tail -5
		done
		k=$((k + 1))
	done
	# HLT is two exits an iteration (the ICR write and the HLT).
	it=0
	for w in $works; do it=$((it + n * rounds * (1 + $([ "$w" = hlt ] && echo 1 || echo 0)))); done
	echo "KES-BENCH-ROW row=$1 exits=$e iterations=$it"
}

modules() {	# modules DIR: unloads KVM and loads DIR's
	kvm-modules unload 2>/dev/null
	kvm-modules load "$1" || echo "KES-ERROR the modules of $1 did not load"
}

# --- The peers, on Debian's modules ---------------------------------------
# A peer runs from /peers (lab/bench/peers-build.sh: Debian's packages, not
# installed but unpacked) with chroot.
chroot_setup() {
	for d in proc sys dev tmp; do
		mkdir -p "$P/$d"
		mount --bind "/$d" "$P/$d"
	done
	mount --bind /sys/kernel/tracing "$P/sys/kernel/tracing"
	mount --bind /sys/kernel/debug "$P/sys/kernel/debug"
}

# Whether process $1 holds a perf event open.
has_perf_event() {
	for f in /proc/"$1"/fd/*; do
		case $(readlink "$f" 2>/dev/null) in *perf_event*) return 0 ;; esac
	done
	return 1
}

# peer ROW READY-REGEX CMD...: starts CMD in the chroot, waits (600 s of L1
# time at most) until its output matches READY-REGEX (or, for "-", until it
# holds a perf event open), runs the workloads, stops it with SIGINT and
# waits for it to finish writing.
peer() {
	row=$1 ready=$2
	shift 2
	wanted "$row" || return 0
	rm -f /tmp/peer.out
	step "$row: starting"
	# Line-buffered, so that its "ready" line shows when it is printed
	# (trace-cmd's printf and kvmexit's print are buffered into a file).
	chroot "$P" env PYTHONUNBUFFERED=1 stdbuf -oL "$@" > /tmp/peer.out 2>&1 &
	pid=$!
	echo $pid > /tmp/bench.peer
	i=0
	while [ $i -lt 3000 ]; do
		if [ "$ready" = - ]; then
			has_perf_event $pid && break
		elif grep -qE "$ready" /tmp/peer.out; then
			break
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
		i=$((i + 1))
	done
	if ! kill -0 $pid 2>/dev/null; then
		wait $pid
		echo "KES-BENCH-PEER row=$row ran=no status=$?"
		sed "s/^/KES-BENCH-PEER-OUT $row: /" /tmp/peer.out | head -20
		return 0
	fi
	sleep 0.5
	# What the peer turned on, as the kernel sees it.
	echo "KES-BENCH-PEER-EVENTS row=$row set_event=$(tr '\n' , < $tr/set_event)"
	measure "$row"
	step "$row: stopping"
	kill -INT $pid
	# It writes out what it holds (trace-cmd's per-CPU readers stop with
	# it): 300 s of L1 time at most.
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 1500 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	if kill -0 $pid 2>/dev/null; then
		echo "KES-BENCH-PEER-OUT $row: still running 300 s after SIGINT: killed"
		kill -KILL $pid
	fi
	wait $pid
	: > /tmp/bench.peer
	echo "KES-BENCH-PEER row=$row ran=yes $(peer_result "$row")"
	sed "s/^/KES-BENCH-PEER-OUT $row: /" /tmp/peer.out | tail -8
}

# What a peer wrote (bytes) and lost (events), as it reports them.
peer_result() {
	case $1 in
	trace-cmd)
		# Its file is compressed and says nothing of what it missed: the
		# exits it holds, against KVM's count of the row's ($e, measure).
		chroot "$P" trace-cmd report -i /tmp/trace.dat > /tmp/report.txt 2>&1
		got=$(grep -c 'kvm_exit:' /tmp/report.txt)
		grep -m3 -E 'kvm_(exit|entry):' /tmp/report.txt | sed "s/^/KES-BENCH-PEER-OUT trace-cmd report: /"
		echo "KES-BENCH-PEER-OUT trace-cmd report: $(grep -c 'kvm_entry:' /tmp/report.txt) kvm_entry, $got kvm_exit, $(wc -l < /tmp/report.txt) lines"
		if [ "$got" -gt 0 ]; then
			echo "bytes=$(wc -c < /tmp/trace.dat) lost=$((e > got ? e - got : 0)) recorded_exits=$got"
		else
			echo "bytes=$(wc -c < /tmp/trace.dat) lost=unknown recorded_exits=0"
			head -5 /tmp/report.txt | sed "s/^/KES-BENCH-PEER-OUT trace-cmd report: /"
		fi
		rm -f /tmp/report.txt
		rm -f /tmp/trace.dat /tmp/trace.dat.cpu*
		;;
	perf-kvm-stat)
		lost=$(chroot "$P" perf report -i /tmp/perf.data --stats 2>/dev/null |
			sed -n 's/^ *LOST events: *\([0-9]*\).*/\1/p' | head -1)
		echo "bytes=$(wc -c < /tmp/perf.data) lost=${lost:-0}"
		rm -f /tmp/perf.data
		;;
	*)
		# bpftrace and bcc print "Lost N events" (or "Possibly lost N
		# samples") when their perf buffer overflows; maps lose nothing.
		echo "bytes=0 lost=$(sed -n 's/.*[Ll]ost \([0-9][0-9]*\) .*/\1/p' /tmp/peer.out |
			awk '{ n += $1 } END { print n + 0 }')"
		;;
	esac
}

# The kvm_exit and kvm_entry events into the ring buffer, nobody reading it;
# and a hist trigger on kvm_exit keyed by the reason (no ring buffer).
ring_row() {
	wanted tp-ring || return 0
	echo 0 > $tr/tracing_on
	echo > $tr/trace
	echo 1 > $tr/events/kvm/kvm_exit/enable
	echo 1 > $tr/events/kvm/kvm_entry/enable
	echo 1 > $tr/tracing_on
	measure tp-ring
	echo 0 > $tr/tracing_on
	# Each CPU's ring: "entries" kept, "overrun" overwritten (lost), "bytes".
	awk '/^entries:/ { e += $2 } /^overrun:/ { o += $2 } /^bytes:/ { b += $2 }
	     END { printf "KES-BENCH-PEER row=tp-ring ran=yes bytes=%d lost=%d events=%d\n", e ? b * (e + o) / e : 0, o, e + o }' \
		$tr/per_cpu/cpu*/stats
	echo 0 > $tr/events/kvm/kvm_exit/enable
	echo 0 > $tr/events/kvm/kvm_entry/enable
	echo > $tr/trace
}

hist_row() {
	wanted hist-trigger || return 0
	trig=$tr/events/kvm/kvm_exit/trigger
	echo 'hist:keys=exit_reason:vals=hitcount' > $trig
	measure hist-trigger
	echo "KES-BENCH-PEER row=hist-trigger ran=yes bytes=0 lost=$(sed -n 's/^ *Dropped: *//p' $tr/events/kvm/kvm_exit/hist) hits=$(sed -n 's/^ *Hits: *//p' $tr/events/kvm/kvm_exit/hist)"
	echo '!hist:keys=exit_reason:vals=hitcount' > $trig
}

# bpftrace: a count per reason and a histogram of the exit-to-entry time per
# reason (what the change's tier hist keeps).
BT='tracepoint:kvm:kvm_exit { @exits[args->exit_reason] = count(); @start[tid] = nsecs; @reason[tid] = args->exit_reason; }
tracepoint:kvm:kvm_entry /@start[tid]/ { @ns[@reason[tid]] = hist(nsecs - @start[tid]); delete(@start[tid]); }'

# A watch beside the rows: a line every 30 s of L1 time for the host's
# watchdog, and what the job and its peer are doing (lab/l1/diagnose) once
# a step has lasted 90 s.
step() { echo "$*" > /tmp/bench.step; }
watch() {
	last='' same=0
	while sleep 30; do
		now=$(cat /tmp/bench.step 2>/dev/null)
		echo "KES-ALIVE bench: $now"
		if [ "$now" = "$last" ]; then same=$((same + 1)); else same=0; fi
		last=$now
		if [ $same -eq 3 ]; then
			diagnose "$1"
			[ -s /tmp/bench.peer ] && diagnose "$(cat /tmp/bench.peer)"
		fi
	done
}
watch $$ &
watcher=$!

# --- The rows --------------------------------------------------------------
kver=$(uname -r)
kvm-modules unpack-debian /tmp/debian
echo "KES-BENCH-SETUP n=$n rounds=$rounds works=$(echo $works | tr ' ' ,) kernel=$kver peers=$([ -d $P/usr ] && echo yes || echo no)"

modules /tmp/debian
wanted debian && measure debian
# The control: Debian's KVM source built as ours are (make debian-modules),
# without the change: what the build alone moves.
if [ -e /modules/without-change/kvm.ko ] && wanted rebuilt; then
	modules /modules/without-change
	measure rebuilt
	modules /tmp/debian
fi
ring_row
hist_row
if [ -d $P/usr ]; then
	step "the peers' chroot"
	chroot_setup
	echo "KES-BENCH-PEER-EVENTS row=none set_event=$(tr '\n' , < $tr/set_event)"
	# bcc compiles its programs against the kernel's headers (Debian's
	# linux-headers-KVER, in /peers/lib/modules/KVER/build).
	peer trace-cmd 'Hit Ctrl' trace-cmd record -e kvm:kvm_exit -e kvm:kvm_entry -o /tmp/trace.dat
	peer perf-kvm-stat - perf kvm stat record -a -o /tmp/perf.data
	peer bpftrace 'Attaching' bpftrace -B line -e "$BT"
	peer kvmexit 'Hit Ctrl-C' /usr/sbin/kvmexit-bpfcc
fi

modules /modules
p=/sys/module/kvm/parameters
for tier in off counts time hist; do
	echo $tier > $p/exit_stats
	wanted $tier && measure $tier
done
# The leaves: system scope allowed turns on the per-CPU counts (a VM's own
# opt-in adds nothing to the exit path).
echo hist > $p/exit_stats
echo system > $p/exit_stats_cpuid
wanted hist+leaves && measure hist+leaves
echo off > $p/exit_stats_cpuid

for v in course-atomic course-plain; do
	[ -e /modules/$v/kvm.ko ] || continue
	modules /modules/$v
	for tier in counts time; do
		echo $tier > $p/exit_stats
		wanted $v-$tier && measure $v-$tier
	done
done
kvm-modules unload
kill $watcher
