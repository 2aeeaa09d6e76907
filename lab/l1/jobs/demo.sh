#!/bin/sh
# make demo: boots a real Linux guest (L2: Debian's cloud kernel, SeaBIOS,
# QEMU with KVM) once for each boot asked for, each boot recorded by
# vm-boot, and prints every recording for the host (KES-DEMO-FILE blocks).
#   kes.boots=CONFIG-N,...  the boots, e.g. console-1,console-2,quiet-1; CONFIG
#                           is console (the default), quiet (the guest's
#                           console quiet) or npt-off (KVM without nested
#                           paging / EPT: shadow paging); default console-1
boots=$(sed -n 's/.*kes\.boots=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
boots=${boots:-console-1}
if grep -qw svm /proc/cpuinfo; then vendor=kvm_amd paging=npt; else vendor=kvm_intel paging=ept; fi
total=$(echo $boots | wc -w)

# The vendor module again, with nested paging on (1) or off (0).
paging() {
	[ "$(cat /sys/module/$vendor/parameters/$paging)" = "$([ "$1" = 1 ] && echo Y || echo N)" ] && return
	rmmod $vendor && insmod /modules/$(echo $vendor | tr _ -).ko $paging=$1 ||
		echo "KES-ERROR cannot load $vendor with $paging=$1"
}

echo vm > /sys/module/kvm/parameters/exit_stats_cpuid
# The histograms of each boot's VM (its exit_stats_hist, vm-boot's vm-hist).
echo hist > /sys/module/kvm/parameters/exit_stats
n=0
for boot in $boots; do
	config=${boot%-*}
	append=
	case $config in
	npt-off) paging 0 ;;
	quiet) paging 1; append=quiet ;;
	*) paging 1 ;;
	esac
	n=$((n + 1))
	d=/tmp/demo/$boot
	echo "KES-PROGRESS guest boot $n of $total: $boot ($paging=$(cat /sys/module/$vendor/parameters/$paging))"
	# A boot that stalls (vm-boot: status 2) is shown and booted again,
	# twice at most: QEMU 7.2's nested SVM was seen hanging a guest.
	for try in 1 2 3; do
		rm -rf $d
		mkdir -p $d
		/tests/vm-boot $d -- /usr/bin/qemu-system-x86_64 -enable-kvm -cpu host -m 256M \
			-smp 1 -nodefaults -display none -monitor none -no-reboot \
			-chardev stdio,id=out,mux=on -serial chardev:out \
			-device isa-debugcon,iobase=0x402,chardev=out \
			-bios /usr/share/seabios/bios-256k.bin -kernel /l2/vmlinuz \
			-initrd /l2/initrd.gz -append "console=ttyS0 panic=-1 $append" < /dev/null
		status=$?
		[ $status = 2 ] || break
		echo "KES-RETRY: demo: guest boot $boot, try $try, stalled: $(head -1 $d/stalled)"
		sed 's/^/# /' $d/stalled
	done
	for f in $(ls $d); do
		echo "KES-DEMO-FILE $boot/$f"
		cat $d/$f
	done
	echo "KES-DEMO-FILE-END"
	echo "KES-DEMO-STATUS $boot $status"
	rm -rf $d
done
paging 1
echo off > /sys/module/kvm/parameters/exit_stats_cpuid
echo time > /sys/module/kvm/parameters/exit_stats
