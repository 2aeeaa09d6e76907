/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/export.h>: nothing to export. */
#ifndef KES_KSHIM_EXPORT_H
#define KES_KSHIM_EXPORT_H
#define EXPORT_SYMBOL_GPL(sym) extern int kes_kshim_exported_##sym
#endif
