/* SPDX-License-Identifier: GPL-2.0 */
/* Writing a command to an exit_stats_control file: reset, dump, cpuid=... */
#ifndef KES_CONTROL_H
#define KES_CONTROL_H

#include "source.h"

/* Writes @word to the control file @t; returns an exit code, with a message. */
int kes_control(const struct kes_source *s, const struct kes_target *t, const char *word);

/* The values of --guest-access, as the kernel takes them after "cpuid=". */
bool kes_guest_access_valid(const char *value);

#endif /* KES_CONTROL_H */
