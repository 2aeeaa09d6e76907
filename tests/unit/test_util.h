/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers for the unit tests: data files and C #define values. */
#ifndef KES_UNIT_TEST_UTIL_H
#define KES_UNIT_TEST_UTIL_H

#include <stdbool.h>
#include <stdio.h>

/* Opens $ENV/relpath for reading; fails the test if it cannot. */
FILE *open_data(const char *env, const char *relpath);
/* Reads the whole of $ENV/relpath into a NUL-terminated buffer. */
char *read_data(const char *env, const char *relpath, size_t *len);

/* "#define NAME NUMBER" lines of C headers. */
struct defines;
struct defines *defines_new(void);
/* Adds the defines of $KES_KERNEL_SRC/relpath. */
void defines_load(struct defines *d, const char *relpath);
bool defines_get(const struct defines *d, const char *name, long long *value);
void defines_free(struct defines *d);

#endif /* KES_UNIT_TEST_UTIL_H */
