/* SPDX-License-Identifier: GPL-2.0 */
/* The VMs KVM has (its debugfs folders PID-FD): listing them, picking one. */
#ifndef KES_VMS_H
#define KES_VMS_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"

#define KES_EXITS_UNKNOWN UINT64_MAX

struct kes_vm {
	int pid, fd;
	char id[32];		/* "PID-FD", the name of its debugfs folder */
	char comm[64];		/* the VMM's process name, "" if gone */
	char guest[256];	/* the guest's name (QEMU -name), "" if none */
	uint64_t exits;		/* KES_EXITS_UNKNOWN if its file cannot be read */
	kes_path_buf dir;	/* its debugfs folder */
	kes_path_buf path;	/* its exit_stats file */
	kes_path_buf control;	/* its exit_stats_control file */
};

/* Every VM (sorted by pid, fd); returns an exit code. */
int kes_list_vms(const struct kes_source *s, struct kes_vm **vms, size_t *n);

/* How a VM is named on the command line. */
enum kes_vm_by { KES_VM_BY_PID, KES_VM_BY_ID, KES_VM_BY_GUEST };

/* The VM @spec names; returns an exit code, with a message. */
int kes_find_vm(const struct kes_source *s, enum kes_vm_by by, const char *spec,
		struct kes_vm *vm);

/*
 * The vCPUs of @vm: the ids N of its folders vcpuN, sorted, in *@ids (free
 * it); returns an exit code.
 */
int kes_list_vcpus(const struct kes_source *s, const struct kes_vm *vm, int **ids, size_t *n);

#endif /* KES_VMS_H */
