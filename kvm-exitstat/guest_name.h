/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's name as the VMM gives it, from the VMM's command line, as
 * kvm_stat finds it: QEMU's "-name [guest=]NAME[,process=...][,...]"
 * (",," is a comma in QEMU's option syntax).
 */
#ifndef KES_GUEST_NAME_H
#define KES_GUEST_NAME_H

#include <stddef.h>

/*
 * @cmdline: @len bytes of /proc/PID/cmdline (arguments ending in NULs).
 * Writes the name into @name (truncated to @n - 1 bytes) and returns 0, or
 * returns -1 if the command line names no guest.
 */
int kes_guest_name(const char *cmdline, size_t len, char *name, size_t n);

#endif /* KES_GUEST_NAME_H */
