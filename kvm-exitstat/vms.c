// SPDX-License-Identifier: GPL-2.0
/* The VMs in debugfs: listing them with their process and guest names. */
#include "vms.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_name.h"

#define PROG "kvm-exitstat"

/*
 * A number as KVM writes it ("%d" of a value >= 0): digits only, no
 * leading zero but in "0", at most INT_MAX; *@s moves past it.
 */
static int parse_nat(const char **s, int *v)
{
	const char *p = *s;
	long x = 0;

	if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned char)p[1])))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		x = x * 10 + (*p - '0');
		if (x > INT_MAX)
			return -1;
	}
	*v = (int)x;
	*s = p;
	return 0;
}

/* "PID-FD": the folders KVM makes for its VMs. */
static int parse_vm_id(const char *name, int *pid, int *fd)
{
	const char *p = name;

	if (parse_nat(&p, pid) || *p++ != '-' || parse_nat(&p, fd) || *p)
		return -1;
	return *pid > 0 ? 0 : -1;
}

/* Up to @n - 1 bytes of @path into @buf; the length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t n)
{
	ssize_t len = 0, r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)len < n - 1 && (r = read(fd, buf + len, n - 1 - (size_t)len)) > 0)
		len += r;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The VMM's process name and guest name, from procfs; an exit code. */
static int read_names(const struct kes_source *s, struct kes_vm *vm)
{
	char cmdline[8192];
	kes_path_buf path;
	ssize_t len;
	int r;

	if ((r = kes_path(path, "%s/%d/comm", s->proc, vm->pid)))
		return r;
	if (read_small(path, vm->comm, sizeof(vm->comm)) > 0)
		vm->comm[strcspn(vm->comm, "\n")] = '\0';
	if ((r = kes_path(path, "%s/%d/cmdline", s->proc, vm->pid)))
		return r;
	len = read_small(path, cmdline, sizeof(cmdline));
	if (len <= 0 || kes_guest_name(cmdline, (size_t)len, vm->guest, sizeof(vm->guest)))
		vm->guest[0] = '\0';
	return KES_EXIT_OK;
}

static int cmp_vm(const void *a, const void *b)
{
	const struct kes_vm *x = a, *y = b;

	return x->pid != y->pid ? (x->pid > y->pid) - (x->pid < y->pid) :
				  (x->fd > y->fd) - (x->fd < y->fd);
}

int kes_list_vms(const struct kes_source *s, struct kes_vm **vms, size_t *n)
{
	struct kes_target t = { 0 };
	struct kes_vm *vm = NULL;
	kes_path_buf kvm;
	struct dirent *d;
	DIR *dir;
	size_t cap = 0;
	int r;

	*vms = NULL;
	*n = 0;
	if ((r = kes_path(kvm, "%s/kvm", s->debugfs)))
		return r;
	t.path = kvm;
	dir = opendir(kvm);
	if (!dir)
		return kes_explain(s, &t, errno);
	while ((d = readdir(dir))) {
		struct kes_stats st;
		char err[KES_MSG_MAX];
		int pid, fd;

		if (parse_vm_id(d->d_name, &pid, &fd))
			continue;
		if (*n == cap) {
			struct kes_vm *more = realloc(*vms, (cap = cap ? 2 * cap : 8) * sizeof(**vms));

			if (!more) {
				r = kes_complain(KES_EXIT_FAILURE, "out of memory");
				break;
			}
			*vms = more;
		}
		vm = &(*vms)[*n];
		*vm = (struct kes_vm){ .pid = pid, .fd = fd };
		snprintf(vm->id, sizeof(vm->id), "%d-%d", vm->pid, vm->fd);
		if ((r = kes_path(vm->dir, "%s/%s", kvm, vm->id)) ||
		    (r = kes_path(vm->path, "%s/%s/exit_stats", kvm, vm->id)) ||
		    (r = kes_path(vm->control, "%s/%s/exit_stats_control", kvm, vm->id)))
			break;
		vm->exits = KES_EXITS_UNKNOWN;	/* gone meanwhile, or not readable */
		if (!kes_stats_load(vm->path, &st, err, sizeof(err))) {
			vm->exits = st.total.count;
			kes_stats_free(&st);
		}
		if ((r = read_names(s, vm)))
			break;
		(*n)++;
	}
	closedir(dir);
	if (r) {
		free(*vms);
		*vms = NULL;
		*n = 0;
		return r;
	}
	if (*n)
		qsort(*vms, *n, sizeof(**vms), cmp_vm);
	return KES_EXIT_OK;
}

static bool matches(const struct kes_vm *vm, enum kes_vm_by by, const char *spec, int pid, int fd)
{
	switch (by) {
	case KES_VM_BY_PID:
		return vm->pid == pid;
	case KES_VM_BY_ID:
		return vm->pid == pid && vm->fd == fd;
	default:
		return !strcmp(vm->guest, spec);
	}
}

int kes_find_vm(const struct kes_source *s, enum kes_vm_by by, const char *spec,
		struct kes_vm *vm)
{
	static const char *const opt[] = { "-p", "--vm", "-g" };
	struct kes_vm *vms;
	size_t n, i, found = 0;
	int pid = 0, fd = 0, r;
	char *end;

	if (by == KES_VM_BY_ID && parse_vm_id(spec, &pid, &fd))
		return kes_complain(KES_EXIT_USAGE, "--vm takes PID-FD, as --list-vms shows, "
				    "not \"%s\"", spec);
	if (by == KES_VM_BY_PID) {
		long p = strtol(spec, &end, 10);

		if (!*spec || *end || p <= 0 || p > 0x7fffffff)
			return kes_complain(KES_EXIT_USAGE, "-p takes one process id, not \"%s\"",
					    spec);
		pid = (int)p;
	}
	if (by == KES_VM_BY_GUEST && !*spec)
		return kes_complain(KES_EXIT_USAGE, "-g takes a guest's name, not \"\"");
	r = kes_list_vms(s, &vms, &n);
	if (r)
		return r;
	for (i = 0; i < n; i++)
		if (matches(&vms[i], by, spec, pid, fd) && found++ == 0)
			*vm = vms[i];
	free(vms);
	if (!found && by == KES_VM_BY_GUEST)
		return kes_complain(KES_EXIT_NO_VM, "no VM is named \"%s\" (see " PROG
				    " --list-vms)", spec);
	if (!found)
		return kes_complain(KES_EXIT_NO_VM, "no VM %s%s: see " PROG " --list-vms",
				    by == KES_VM_BY_PID ? "of process " : "", spec);
	if (found > 1)
		return kes_complain(KES_EXIT_USAGE, "%s %s matches %zu VMs: say which with --vm "
				    "PID-FD (see " PROG " --list-vms)", opt[by], spec, found);
	return KES_EXIT_OK;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int kes_list_vcpus(const struct kes_source *s, const struct kes_vm *vm, int **ids, size_t *n)
{
	struct kes_target t = { vm->dir, vm->id, false, false };
	size_t cap = 0;
	struct dirent *d;
	DIR *dir;
	int r = KES_EXIT_OK;

	*ids = NULL;
	*n = 0;
	dir = opendir(vm->dir);
	if (!dir)
		return kes_explain(s, &t, errno);
	while ((d = readdir(dir))) {
		const char *p = d->d_name;
		int id;

		if (strncmp(p, "vcpu", 4) || (p += 4, parse_nat(&p, &id)) || *p)
			continue;
		if (*n == cap) {
			int *more = realloc(*ids, (cap = cap ? 2 * cap : 8) * sizeof(**ids));

			if (!more) {
				r = kes_complain(KES_EXIT_FAILURE, "out of memory");
				break;
			}
			*ids = more;
		}
		(*ids)[(*n)++] = id;
	}
	closedir(dir);
	if (r) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return r;
	}
	if (*n)
		qsort(*ids, *n, sizeof(**ids), cmp_int);
	return KES_EXIT_OK;
}
