// SPDX-License-Identifier: GPL-2.0
/* Writing a command to an exit_stats_control file. */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int kes_control(const struct kes_source *s, const struct kes_target *t, const char *word)
{
	int fd = open(t->path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(word);
	ssize_t n;
	int err;

	if (fd < 0)
		return kes_explain(s, t, errno);
	n = write(fd, word, len);
	err = errno;
	if (close(fd) && n == (ssize_t)len) {
		n = -1;
		err = errno;
	}
	if (n == (ssize_t)len)
		return KES_EXIT_OK;
	if (n < 0 && err == EPERM && !strncmp(word, "cpuid=", 6))
		return kes_explain_cap(s, t, word + 6);
	if (n < 0 && err == EINVAL)
		return kes_complain(KES_EXIT_FAILURE, "%s refused \"%s\": the kernel's exit "
				    "statistics are of another version than this tool", t->path,
				    word);
	return kes_explain(s, t, n < 0 ? err : EIO);
}

bool kes_guest_access_valid(const char *value)
{
	static const char *const valid[] = { "off", "vm", "vm,user", "system", "system,user" };
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (!strcmp(value, valid[i]))
			return true;
	return false;
}
