/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in. */
#ifndef KES_KSHIM_STRING_H
#define KES_KSHIM_STRING_H
#include <string.h>
#endif
