# kvm-exit-stats: per-exit-reason VM-exit statistics for KVM on x86.
# `make demo` runs the main job, `make check` runs the tests (see README.md).

.PHONY: all demo check check-full check-releases debian-releases bench deps kernel patch l1 tools install uninstall clean help \
	debian-modules debian-install debian-uninstall stress selftests mutants

all: help

help:
	@echo "make demo    a real Linux guest's boot, exit by exit: build/demo/report.md and plots"
	@echo "make check   run the tests (about 30 minutes); the last line is 'N passed, M failed'"
	@echo "make check-full  the same, plus the lab kernel under Bochs and a build at each patch (about 50 minutes)"
	@echo "make check-releases  Debian 13 and unstable (7.2) as their users have them: a debootstrap chroot builds"
	@echo "                     the modules, the release's own kernel loads them in the lab, both ISAs (about 20 minutes warm)"
	@echo "make bench   what an exit costs with ours, with Debian's KVM and with the tracing peers: build/bench/results.md"
	@echo "make stress  the stress test on a debug kernel (KASAN, lockdep, ...), both ISAs (DURATION=600 s)"
	@echo "make selftests  KVM's own selftests in Debian's kernel, with Debian's modules and with ours"
	@echo "make mutants    deliberately broken builds (tests/mutants/), each must fail its test"
	@echo "make kernel  build the lab kernel with the change: build/lab/bzImage"
	@echo "make patch   write the change as build/kvm-exit-stats.patch and as a series, build/kvm-exit-stats/ (checkpatch-clean)"
	@echo "make debian-modules    the change's kvm.ko, kvm-amd.ko, kvm-intel.ko for Debian's"
	@echo "                       kernel (12: 6.12 or the default 6.1; 13: 6.12; unstable: 7.2),"
	@echo "                       no kernel rebuild: build/debian{,-6.1,-7.2}/ (KVER=, SIGN_KEY=)"
	@echo "make debian-install    put them in place of Debian's (root; RELOAD=1 reloads KVM now)"
	@echo "make debian-uninstall  back to Debian's own KVM modules (RELOAD=1 as above)"
	@echo "make deps    install the packages to build the kernel and the tools (each target installs the rest it needs)"
	@echo "make tools   build kvm-exitstat and kvm-exitstat-guest in their folders"
	@echo "make install install both tools and their man pages (PREFIX=/usr/local, DESTDIR=)"
	@echo "make clean   remove build/ and the tools' binaries (the compiler cache stays)"

demo:
	@lab/demo.sh

check:
	@tests/run-check.sh

check-full:
	@KES_CHECK_FULL=1 tests/run-check.sh

check-releases:
	@KES_SUITES=releases tests/run-check.sh

bench:
	@lab/bench.sh

stress:
	@lab/stress.sh

selftests:
	@KES_SELFTESTS_OUT=build/selftests-results lab/selftests.sh selftests $(TESTS)

mutants:
	@lab/mutants.sh

deps:
	@lab/deps.sh

kernel:
	@lab/kernel-build.sh

patch:
	@lab/kernel-patch.sh

l1:
	@lab/l1-build.sh

debian-modules:
	@modules/build.sh

debian-install:
	@modules/install.sh install $(if $(RELOAD),--reload)

debian-uninstall:
	@modules/install.sh uninstall $(if $(RELOAD),--reload)

# The tools, with the user's CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX, DESTDIR.
TOOLS := kvm-exitstat kvm-exitstat-guest

tools:
	@for t in $(TOOLS); do $(MAKE) -C $$t || exit 1; done

install:
	@for t in $(TOOLS); do $(MAKE) -C $$t install || exit 1; done

uninstall:
	@for t in $(TOOLS); do $(MAKE) -C $$t uninstall || exit 1; done

clean:
	rm -rf build
	@for t in $(TOOLS); do $(MAKE) -s -C $$t clean; done
