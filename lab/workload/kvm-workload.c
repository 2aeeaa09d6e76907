// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-workload: runs a VM whose guest causes exactly known exits, for the
 * demo and for measuring by hand inside the lab kernel.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "workload.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kvm-workload [--cpuid N] [--io N] [--rdmsr N] [--wrmsr N] [--hlt N]\n"
		"                    [--tscdl N] [--vmcall N] [--rdpmc N] [--wbinvd N] [--invd N]\n"
		"                    [--fresh N] [--mmio N] [--pause N]\n"
		"                    [--vcpus V] [--pin] [--save-vm-stats FILE] [--time]\n"
		"Creates a VM with V vCPUs (default 1); each runs N CPUID, port writes,\n"
		"RDMSR, WRMSR, HLT (woken by a self-IPI) instructions, LAPIC TSC-deadline\n"
		"timer expiries, hypercalls, RDPMC, WBINVD, INVD, writes to pages never\n"
		"touched (at most %d), MMIO writes and PAUSE, then the VM is destroyed.\n"
		"Exit counts are exact but for PAUSE: see lab/workload/workload.h.\n"
		"--save-vm-stats copies the VM's exit_stats file to FILE before that;\n"
		"--time prints how long the workload took, per iteration of its loops.\n",
		WL_FRESH_MAX);
}

static int copy_vm_stats(const struct wl_vm *vm, const char *to)
{
	const char *path = wl_stats_path(vm);
	char buf[4096];
	FILE *in, *out;
	size_t n;

	in = fopen(path, "r");
	out = fopen(to, "w");
	if (!in || !out) {
		fprintf(stderr, "kvm-workload: cannot copy %s to %s: %m\n", path, to);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return fclose(out);
}

/*
 * KVM's own count of the exits of vCPU @vcpu ("exits" in its binary
 * statistics, which every KVM since 5.14 has, Debian's modules included).
 */
static uint64_t kvm_exits(struct kvm_vcpu *vcpu)
{
	int fd = vcpu_get_stats_fd(vcpu);
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs, *d;
	uint64_t v = 0;
	uint32_t i;

	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	for (i = 0; i < header.num_desc; i++) {
		d = get_stats_descriptor(descs, i, &header);
		if (!strcmp(d->name, "exits")) {
			read_stat_data(fd, &header, d, &v, 1);
			break;
		}
	}
	free(descs);
	close(fd);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpuid", required_argument, NULL, WL_CPUID },
		{ "io", required_argument, NULL, WL_IO },
		{ "rdmsr", required_argument, NULL, WL_RDMSR },
		{ "wrmsr", required_argument, NULL, WL_WRMSR },
		{ "hlt", required_argument, NULL, WL_HLT },
		{ "tscdl", required_argument, NULL, WL_TSCDL },
		{ "vmcall", required_argument, NULL, WL_VMCALL },
		{ "rdpmc", required_argument, NULL, WL_RDPMC },
		{ "wbinvd", required_argument, NULL, WL_WBINVD },
		{ "invd", required_argument, NULL, WL_INVD },
		{ "fresh", required_argument, NULL, WL_FRESH },
		{ "mmio", required_argument, NULL, WL_MMIO },
		{ "pause", required_argument, NULL, WL_PAUSE },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "pin", no_argument, NULL, 'p' },
		{ "save-vm-stats", required_argument, NULL, 's' },
		{ "time", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_spec spec = { .vcpus = 1 };
	const char *save = NULL;
	struct timespec t0, t1;
	uint64_t exits = 0;
	bool timed = false;
	unsigned int i;
	struct wl_vm *vm;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		unsigned long long v = 0;

		if (c == 's' || c == 't') {
			save = c == 's' ? optarg : save;
			timed |= c == 't';
			continue;
		}
		if (c != 'p' && c != 'h' && c != '?') {
			v = strtoull(optarg, &end, 0);
			if (!*optarg || *end) {
				fprintf(stderr, "kvm-workload: --%s needs a number, not \"%s\"\n",
					c == 'v' ? "vcpus" : wl_kind_name(c), optarg);
				return 2;
			}
		}
		if (c >= 0 && c < WL_NR_KINDS)
			spec.n[c] = v;
		else if (c == 'v')
			spec.vcpus = (unsigned int)v;
		else if (c == 'p')
			spec.pin = true;
		else if (c == 'h')
			return usage(stdout), 0;
		else
			return usage(stderr), 2;
	}
	if (optind < argc || spec.vcpus < 1 || spec.vcpus > WL_MAX_VCPUS ||
	    spec.n[WL_FRESH] > WL_FRESH_MAX) {
		usage(stderr);
		return 2;
	}
	vm = wl_create(&spec);
	printf("kvm-workload: VM %s: running\n", wl_debugfs_dir(vm));
	for (i = 0; i < spec.vcpus; i++)
		exits -= kvm_exits(wl_vcpu(vm, i));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wl_run(vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < spec.vcpus; i++)
		exits += kvm_exits(wl_vcpu(vm, i));
	if (timed) {
		double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
		unsigned long long iterations = 0;
		int k;

		for (k = 0; k < WL_NR_KINDS; k++)
			iterations += spec.n[k];
		printf("kvm-workload: %llu exits (KVM's own count, every vCPU)\n",
		       (unsigned long long)exits);
		printf("kvm-workload: time %.0f ns for %llu iterations per vCPU: %.1f ns each\n",
		       ns, iterations, iterations ? ns / iterations : 0);
	}
	if (save && copy_vm_stats(vm, save))
		return 1;
	printf("kvm-workload: done: %u vCPU(s) x", spec.vcpus);
	for (c = 0; c < WL_NR_KINDS; c++)
		printf(" %s %llu", wl_kind_name(c), (unsigned long long)spec.n[c]);
	printf(" (HLT wake-ups before their HLT: %llu)\n", (unsigned long long)wl_early_wakeups(vm));
	wl_destroy(vm);
	return 0;
}
