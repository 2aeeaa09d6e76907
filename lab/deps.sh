#!/usr/bin/env bash
# Installs every Debian package the lab, the tools and the tests use (each
# script also installs what it needs itself, so this is only a shortcut).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs gcc make flex bison bc libelf-dev libssl-dev ccache cpio rsync patch git \
	perl xz-utils gzip "$KSRC_PACKAGE" qemu-system-x86 busybox-static libcmocka-dev
