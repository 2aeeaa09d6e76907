# kvm-exit-stats: per-exit-reason VM-exit statistics for KVM on x86.
# `make demo` runs the main job, `make check` runs the tests (see README.md).

.PHONY: all demo check bench deps kernel patch l1 clean help

all: help

help:
	@echo "make demo    boot the lab kernel, run a known workload, print the exit table"
	@echo "make check   run all tests; the last line is 'N passed, M failed'"
	@echo "make bench   what the statistics cost per exit, on both back ends"
	@echo "make kernel  build the lab kernel with the change: build/lab/bzImage"
	@echo "make patch   write the change as build/kvm-exit-stats.patch (checkpatch-clean)"
	@echo "make deps    install the Debian packages everything needs"
	@echo "make clean   remove build/ (the compiler cache outside the clone stays)"

demo:
	@lab/demo.sh

check:
	@tests/run-check.sh

bench:
	@lab/bench.sh

deps:
	@lab/deps.sh

kernel:
	@lab/kernel-build.sh

patch:
	@lab/kernel-patch.sh

l1:
	@lab/l1-build.sh

clean:
	rm -rf build
