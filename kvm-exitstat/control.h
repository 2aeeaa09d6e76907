/* SPDX-License-Identifier: GPL-2.0 */
/* Writing "reset" or "dump" to an exit_stats file. */
#ifndef KES_CONTROL_H
#define KES_CONTROL_H

#include "source.h"

/* Writes @word to @path (of VM @vm, or system-wide); returns an exit code. */
int kes_control(const struct kes_source *s, const char *path, const char *vm, const char *word);

#endif /* KES_CONTROL_H */
