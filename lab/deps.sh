#!/usr/bin/env bash
# Installs the Debian packages for building the lab kernel, the tools and the
# unit tests: a shortcut, as every target installs what it needs itself
# (need_pkgs), the emulators, gnuplot and the test parsers included.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs gcc libc6-dev make flex bison bc libelf-dev libssl-dev ccache cpio rsync patch git \
	perl xz-utils gzip "$KSRC_PACKAGE" qemu-system-x86 busybox-static libcmocka-dev
