// SPDX-License-Identifier: GPL-2.0
/* Locating the exit_stats files, listing VMs, explaining failures. */
#include "source.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define PROG "kvm-exitstat"
#define DEBUGFS_MAGIC 0x64626720

void kes_system_path(const struct kes_source *s, char *path, size_t n)
{
	snprintf(path, n, "%s/kvm/exit_stats", s->debugfs);
}

static int complain(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int complain(int code, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int kes_explain(const struct kes_source *s, const char *path, const char *vm, int err)
{
	struct statfs fs;
	char kvm[512];
	struct stat st;

	if (err == EACCES || err == EPERM)
		return complain(KES_EXIT_PERMISSION, "permission denied: %s is for root only; "
				"run " PROG " as root (sudo " PROG ")", path);
	snprintf(kvm, sizeof(kvm), "%s/kvm", s->debugfs);
	if (stat(kvm, &st)) {
		if (errno == EACCES)
			return complain(KES_EXIT_PERMISSION, "permission denied: %s is for root only; "
					"run " PROG " as root (sudo " PROG ")", kvm);
		if (statfs(s->debugfs, &fs) || (unsigned long)fs.f_type != DEBUGFS_MAGIC)
			return complain(KES_EXIT_UNAVAILABLE, "debugfs is not mounted at %s; mount "
					"it with: mount -t debugfs none %s", s->debugfs, s->debugfs);
		return complain(KES_EXIT_UNAVAILABLE, "no %s: KVM is not loaded "
				"(modprobe kvm_intel or kvm_amd)", kvm);
	}
	if (vm)
		return complain(KES_EXIT_UNAVAILABLE, "VM %s is gone (no %s)", vm, path);
	return complain(KES_EXIT_UNAVAILABLE, "this kernel has no per-exit-reason statistics: "
			"%s is missing; it needs CONFIG_KVM_EXIT_STATS=y (the kvm-exit-stats "
			"patch)", path);
}

int kes_load(const struct kes_source *s, const char *path, const char *vm,
	     struct kes_stats *st)
{
	char err[600];
	int r = kes_stats_load(path, st, err, sizeof(err));

	if (r == -1)
		return complain(KES_EXIT_UNAVAILABLE, "not an exit_stats file: %s", err);
	if (r < 0)
		return kes_explain(s, path, vm, -r);
	return KES_EXIT_OK;
}

/* "PID-FD": the folders KVM makes for its VMs. */
static int parse_vm_id(const char *name, int *pid, int *fd)
{
	char tail;

	return sscanf(name, "%d-%d%c", pid, fd, &tail) == 2 && *pid > 0 && *fd >= 0 &&
	       isdigit((unsigned char)name[0]) ? 0 : -1;
}

static void read_comm(const struct kes_source *s, int pid, char *comm, size_t n)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/comm", s->proc, pid);
	snprintf(comm, n, "?");
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, (int)n, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

static int cmp_vm(const void *a, const void *b)
{
	const struct kes_vm *x = a, *y = b;

	return x->pid != y->pid ? (x->pid > y->pid) - (x->pid < y->pid) :
				  (x->fd > y->fd) - (x->fd < y->fd);
}

int kes_list_vms(const struct kes_source *s, struct kes_vm **vms, size_t *n)
{
	char kvm[512];
	struct dirent *d;
	DIR *dir;
	size_t cap = 0;

	*vms = NULL;
	*n = 0;
	snprintf(kvm, sizeof(kvm), "%s/kvm", s->debugfs);
	dir = opendir(kvm);
	if (!dir)
		return kes_explain(s, kvm, NULL, errno);
	while ((d = readdir(dir))) {
		struct kes_vm vm = { 0 };
		struct kes_stats st;
		char err[600];

		if (parse_vm_id(d->d_name, &vm.pid, &vm.fd))
			continue;
		snprintf(vm.id, sizeof(vm.id), "%d-%d", vm.pid, vm.fd);
		snprintf(vm.path, sizeof(vm.path), "%s/%s/exit_stats", kvm, vm.id);
		vm.exits = KES_EXITS_UNKNOWN;	/* gone meanwhile, or not readable */
		if (!kes_stats_load(vm.path, &st, err, sizeof(err))) {
			vm.exits = st.total.count;
			kes_stats_free(&st);
		}
		read_comm(s, vm.pid, vm.comm, sizeof(vm.comm));
		if (*n == cap) {
			struct kes_vm *more = realloc(*vms, (cap = cap ? 2 * cap : 8) * sizeof(**vms));

			if (!more) {
				closedir(dir);
				return complain(KES_EXIT_UNAVAILABLE, "out of memory");
			}
			*vms = more;
		}
		(*vms)[(*n)++] = vm;
	}
	closedir(dir);
	if (*n)
		qsort(*vms, *n, sizeof(**vms), cmp_vm);
	return KES_EXIT_OK;
}

int kes_find_vm(const struct kes_source *s, const char *spec, struct kes_vm *vm)
{
	struct kes_vm *vms;
	size_t n, i, found = 0;
	int pid, fd = -1, r;
	char *end;

	if (!parse_vm_id(spec, &pid, &fd)) {
		/* PID-FD */
	} else {
		long p = strtol(spec, &end, 10);

		if (!*spec || *end || p <= 0 || p > 0x7fffffff)
			return complain(KES_EXIT_USAGE, "\"%s\" is not a PID or PID-FD", spec);
		pid = (int)p;
		fd = -1;
	}
	r = kes_list_vms(s, &vms, &n);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		if (vms[i].pid != pid || (fd >= 0 && vms[i].fd != fd))
			continue;
		if (found++ == 0)
			*vm = vms[i];
	}
	free(vms);
	if (!found)
		return complain(KES_EXIT_UNAVAILABLE, "no VM %s: see " PROG " --list-vms", spec);
	if (found > 1)
		return complain(KES_EXIT_USAGE, "process %d has %zu VMs: say which with --vm PID-FD "
				"(see " PROG " --list-vms)", pid, found);
	return KES_EXIT_OK;
}
