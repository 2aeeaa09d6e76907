// SPDX-License-Identifier: GPL-2.0
/* Writing "reset" or "dump" to an exit_stats file. */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int kes_control(const struct kes_source *s, const char *path, const char *vm, const char *word)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return kes_explain(s, path, vm, errno);
	n = write(fd, word, strlen(word));
	err = errno;
	close(fd);
	if (n == (ssize_t)strlen(word))
		return KES_EXIT_OK;
	if (n < 0 && err == EINVAL) {
		fprintf(stderr, "kvm-exitstat: %s refused \"%s\": an older kernel change?\n",
			path, word);
		return KES_EXIT_UNAVAILABLE;
	}
	return kes_explain(s, path, vm, n < 0 ? err : EIO);
}
