// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the exit_stats parser (lib/statsfile.c), built with
 * ASan and UBSan: any input must be parsed or refused with a message, never
 * crash, hang or leak.  Seeds: the files recorded in the lab.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "statsfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kes_stats st;
	char err[256];

	if (!kes_stats_parse((const char *)data, size, &st, err, sizeof(err))) {
		/* A file it accepts is one it can look rows up in. */
		if (st.nrows && kes_stats_row(&st, st.rows[st.nrows - 1].reason) != &st.rows[st.nrows - 1])
			__builtin_trap();
		kes_stats_free(&st);
	} else if (!memchr(err, '\0', sizeof(err)) || !err[0]) {
		__builtin_trap();	/* a refusal always says why */
	}
	return 0;
}
