// SPDX-License-Identifier: GPL-2.0
/* Helpers for the lab tests: stats snapshots, the tracepoint, the log. */
#include "lab_test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "test_util.h"

#define TRACING		"/sys/kernel/tracing"
#define TP_DIR		TRACING "/events/kvm/kvm_exit"
/*
 * Keyed by CPU too: the hist map drops an event when two CPUs insert the
 * same new key at once and the first takes long to finish (tracing_map.c,
 * "drops"), which two L1 CPUs that really run at once (multi-threaded TCG)
 * were seen to cause; with the CPU in the key, CPUs never insert the same one.
 */
#define TP_HIST		"hist:keys=exit_reason,common_cpu:vals=hitcount:size=1024"
/*
 * The page faults KVM handled (one per EPT violation / NPF exit), by
 * guest-physical address: which of them the workload caused.
 */
#define PF_DIR		TRACING "/events/kvm/kvm_page_fault"
#define PF_HIST		"hist:keys=fault_address,common_cpu:vals=hitcount:size=8192"
#define FP_EVENT	"kes/vcpu_run"
#define FP_DIR		TRACING "/events/" FP_EVENT
#define FP_HIST		"hist:keys=ret:vals=hitcount"
#define FASTPATH_REENTER_GUEST	1	/* enum exit_fastpath_completion */

void stats_load(const char *path, struct kes_stats *st)
{
	char err[300];
	int r = kes_stats_load(path, st, err, sizeof(err));

	TEST_ASSERT(!r, "cannot read the exit statistics: %s", err);
}

void stats_load_vm(const struct wl_vm *vm, struct kes_stats *st)
{
	stats_load(wl_stats_path(vm), st);
}

uint64_t stats_delta(const struct kes_stats *before, const struct kes_stats *after,
		     uint32_t reason)
{
	return kes_stats_count(after, reason) - kes_stats_count(before, reason);
}

enum kes_isa lab_isa(void)
{
	static enum kes_isa isa;
	struct kes_stats st;

	if (!isa) {
		stats_load(SYSTEM_STATS, &st);
		isa = st.isa;
		kes_stats_free(&st);
	}
	return isa;
}

int lab_qemu_major(void)
{
	static char buf[4096];
	static int major = -1;
	const char *p;
	FILE *f;

	if (major < 0) {
		f = fopen("/proc/cmdline", "re");
		major = 0;
		if (f && fgets(buf, sizeof(buf), f) && (p = strstr(buf, "kes.qemu=")))
			major = atoi(p + 9);
		if (f)
			fclose(f);
	}
	return major;
}

uint32_t lab_reason(const char *name)
{
	uint32_t nr;

	TEST_ASSERT(!kes_reason_by_name(lab_isa(), name, &nr),
		    "the %s reason table has no reason named %s",
		    kes_isa_name(lab_isa()), name);
	return nr;
}

/* Writes @val to @path, opened with @flags: 0 or a negative errno. */
static int write_flags(const char *path, const char *val, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		r = -errno;
	else if ((size_t)n != strlen(val))
		r = -EIO;
	close(fd);
	return r;
}

int write_file(const char *path, const char *val)
{
	return write_flags(path, val, O_WRONLY);
}

void set_param(const char *name, const char *val)
{
	char path[128];
	int r;

	snprintf(path, sizeof(path), "%s/%s", PARAM_DIR, name);
	r = write_file(path, val);
	TEST_ASSERT(!r, "cannot set kvm.%s=%s: %s", name, val, strerror(-r));
}

const char *get_param(const char *name)
{
	static char val[4][64];
	static unsigned int next;
	char *v = val[next++ % 4], path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", PARAM_DIR, name);
	f = fopen(path, "re");
	TEST_ASSERT(f, "cannot read %s: %s", path, strerror(errno));
	if (!fgets(v, sizeof(val[0]), f))
		v[0] = '\0';
	fclose(f);
	v[strcspn(v, "\n")] = '\0';
	return v;
}

void tp_start(void)
{
	int r;

	tp_stop();	/* the triggers may not be there */
	r = write_file(TP_DIR "/trigger", TP_HIST);
	TEST_ASSERT(!r, "cannot add a hist trigger to the kvm_exit tracepoint (%s): "
		    "is tracefs mounted at /sys/kernel/tracing, CONFIG_HIST_TRIGGERS on?",
		    strerror(-r));
	r = write_file(PF_DIR "/trigger", PF_HIST);
	TEST_ASSERT(!r, "cannot add a hist trigger to the kvm_page_fault tracepoint: %s",
		    strerror(-r));
}

void tp_stop(void)
{
	write_file(TP_DIR "/trigger", "!" TP_HIST);
	write_file(PF_DIR "/trigger", "!" PF_HIST);
}

/* The page faults in @tp by address: the workload's (lab/workload) or not. */
static void pf_read(struct tp_counts *tp)
{
	FILE *f = fopen(PF_DIR "/hist", "re");
	char line[256];

	TEST_ASSERT(f, "cannot read %s/hist: %s", PF_DIR, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long count, gpa;
		unsigned int cpu;

		if (sscanf(line, " Dropped: %llu", &count) == 1)
			tp->dropped += count;
		if (sscanf(line, "{ fault_address: %llu , common_cpu: %u } hitcount: %llu",
			   &gpa, &cpu, &count) != 3)
			continue;
		gpa &= ~0xfffULL;
		if (gpa >= WL_FRESH_GPA &&
		    gpa < WL_FRESH_GPA + WL_MAX_VCPUS * WL_FRESH_CHUNKS * (2ULL << 20)) {
			tp->pf_fresh += count;
		} else if (gpa == WL_MMIO_GPA) {
			tp->pf_mmio += count;
		} else {
			if (tp->pf_other_n < TP_OTHER_MAX)
				tp->pf_other_gpa[tp->pf_other_n++] = gpa;
			tp->pf_other += count;
		}
	}
	fclose(f);
}

void tp_read(struct tp_counts *tp)
{
	FILE *f = fopen(TP_DIR "/hist", "re");
	char line[256];

	TEST_ASSERT(f, "cannot read %s/hist: %s", TP_DIR, strerror(errno));
	memset(tp, 0, sizeof(*tp));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long count;
		unsigned int reason, cpu, i;

		if (sscanf(line, " Dropped: %llu", &count) == 1)
			tp->dropped += count;
		if (sscanf(line, "{ exit_reason: %u , common_cpu: %u } hitcount: %llu",
			   &reason, &cpu, &count) != 3)
			continue;
		if (lab_isa() == KES_ISA_VMX)
			reason &= 0xffff;	/* the basic exit reason */
		for (i = 0; i < tp->n && tp->reason[i] != reason; i++)
			;
		if (i == tp->n) {
			TEST_ASSERT(tp->n < TP_MAX_REASONS, "too many exit reasons");
			tp->reason[tp->n++] = reason;
		}
		tp->count[i] += count;
	}
	fclose(f);
	pf_read(tp);
}

uint64_t tp_count(const struct tp_counts *tp, uint32_t reason)
{
	unsigned int i;

	for (i = 0; i < tp->n; i++)
		if (tp->reason[i] == reason)
			return tp->count[i];
	return 0;
}

uint64_t tp_total(const struct tp_counts *tp)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < tp->n; i++)
		sum += tp->count[i];
	return sum;
}

/* Adds to @path instead of replacing it, as kprobe_events wants. */
static int append_file(const char *path, const char *val)
{
	return write_flags(path, val, O_WRONLY | O_APPEND);
}

void fp_stop(void)
{
	write_file(FP_DIR "/trigger", "!" FP_HIST);
	append_file(TRACING "/kprobe_events", "-:" FP_EVENT "\n");
}

void fp_start(void)
{
	char probe[96];
	int r;

	fp_stop();
	snprintf(probe, sizeof(probe), "r:" FP_EVENT " %s_vcpu_run ret=$retval:u32\n",
		 kes_isa_name(lab_isa()));
	r = append_file(TRACING "/kprobe_events", probe);
	TEST_ASSERT(!r, "cannot add the kretprobe \"%s\" (%s): CONFIG_KPROBE_EVENTS on?",
		    probe, strerror(-r));
	r = write_file(FP_DIR "/trigger", FP_HIST);
	TEST_ASSERT(!r, "cannot add a hist trigger to %s: %s", FP_EVENT, strerror(-r));
}

uint64_t fp_reentries(void)
{
	FILE *f = fopen(FP_DIR "/hist", "re");
	unsigned long long count, sum = 0;
	unsigned int ret;
	char line[256];

	TEST_ASSERT(f, "cannot read %s/hist: %s", FP_DIR, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "{ ret: %u } hitcount: %llu", &ret, &count) == 2 &&
		    ret == FASTPATH_REENTER_GUEST)
			sum += count;
	fclose(f);
	return sum;
}

bool check_u64(uint64_t got, uint64_t expected, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (got == expected)
		return true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ksft_print_msg("%s: expected %llu, got %llu\n", what,
		       (unsigned long long)expected, (unsigned long long)got);
	return false;
}

bool check(bool cond, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (cond)
		return true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ksft_print_msg("%s\n", what);
	return false;
}

static const char *name_of(uint32_t reason)
{
	const char *name = kes_reason_name(lab_isa(), reason);

	return name ? name : "UNKNOWN";
}

bool check_matches_tracepoint(const struct kes_stats *before,
			      const struct kes_stats *after,
			      const struct tp_counts *tp, const char *what)
{
	bool ok = true;
	unsigned int i;
	size_t r;

	if (!check_u64(tp->dropped, 0, "%s: events the tracepoint's hist map dropped, "
		       "so that it is no truth for this run", what))
		return false;
	for (r = 0; r < after->nrows; r++) {
		uint32_t reason = after->rows[r].reason;

		ok &= check_u64(stats_delta(before, after, reason), tp_count(tp, reason),
				"%s: %s (%u) exits, against the kvm_exit tracepoint",
				what, name_of(reason), reason);
	}
	for (i = 0; i < tp->n; i++)
		ok &= check(kes_stats_row(after, tp->reason[i]) != NULL,
			    "%s: no row for reason %u, which the tracepoint saw %llu times",
			    what, tp->reason[i], (unsigned long long)tp->count[i]);
	ok &= check_u64(after->total.count - before->total.count, tp_total(tp),
			"%s: TOTAL exits, against the kvm_exit tracepoint", what);
	return ok;
}

bool check_cycles_sane(const struct kes_stats *st, const char *what)
{
	bool ok = true;
	size_t r;

	for (r = 0; r < st->nrows; r++) {
		const struct kes_row *row = &st->rows[r];
		uint64_t avg;

		/* an exit is timed at its vCPU's next VM-entry: maybe not yet, or never */
		if (!row->s.timed)
			continue;
		avg = row->s.cycles / row->s.timed;
		ok &= check(row->s.cycles > 0 && row->s.min > 0,
			    "%s: %s has %llu exits timed but cycles %llu, min %llu",
			    what, row->name, (unsigned long long)row->s.timed,
			    (unsigned long long)row->s.cycles,
			    (unsigned long long)row->s.min);
		ok &= check(row->s.min <= avg && avg <= row->s.max,
			    "%s: %s: min %llu <= avg %llu <= max %llu does not hold",
			    what, row->name, (unsigned long long)row->s.min,
			    (unsigned long long)avg, (unsigned long long)row->s.max);
	}
	return ok;
}

/* The sum of the deltas of the reasons named in @names (NULL-terminated). */
static uint64_t group_delta(const struct kes_stats *before, const struct kes_stats *after,
			    const char *const *names)
{
	uint64_t sum = 0;

	for (; *names; names++)
		sum += stats_delta(before, after, lab_reason(*names));
	return sum;
}

bool check_workload_deltas(const struct kes_stats *before,
			   const struct kes_stats *after,
			   const struct wl_vm *vm, const char *what)
{
	return check_workload_faults(before, after, vm, NULL, what);
}

bool check_workload_faults(const struct kes_stats *before,
			   const struct kes_stats *after,
			   const struct wl_vm *vm, const struct tp_counts *tp,
			   const char *what)
{
	const struct wl_spec *spec = wl_spec(vm);
	const uint64_t *n = spec->n, v = spec->vcpus, early = wl_early_wakeups(vm);
	bool vmx = lab_isa() == KES_ISA_VMX;
	/*
	 * A named emulator fault: QEMU 7.2's TCG (Debian 12's) reports an
	 * intercepted INVD to the L1 hypervisor as WBINVD (SVM exit code 0x89,
	 * not 0x76): its target/i386/tcg/translate.c tests bit 1 of the opcode
	 * (0f 08 / 0f 09) instead of bit 0; fixed upstream in 2023 (the lab's
	 * QEMU 10 reports INVD).  The kvm_exit tracepoint shows the same
	 * code: KVM got 0x89.
	 */
	int qemu = lab_qemu_major();
	bool qemu_invd = !vmx && n[WL_INVD] && qemu > 0 && qemu < 8;
	/*
	 * SVM has one exit code for RDMSR and WRMSR.  Each HLT try writes the
	 * x2APIC ICR (the self-IPI) and EOI; each timer round the deadline and
	 * EOI; the port read is GUEST_SYNC's.  How the timer's expiry shows
	 * (VMX preemption timer, host interrupt) is the kernel's business and
	 * is checked against the tracepoint only, as are PAUSE exits.  A fresh
	 * page's first write is an EPT violation (VMX) or a nested page fault
	 * (SVM); an MMIO write after the first (in the rehearsal), which made
	 * KVM cache the page as MMIO, an EPT misconfiguration (VMX) or a
	 * nested page fault (SVM).  KVM may also fault on the guest's other
	 * pages, for its own reasons (e.g. a page-table entry another vCPU was
	 * changing at that moment): with @tp, such faults are found by their
	 * address (the kvm_page_fault tracepoint) and counted in; without it,
	 * there must be none.
	 */
	const uint64_t other = tp ? tp->pf_other : 0;
	const struct {
		const char *names[3];
		uint64_t exits;
	} expect[] = {
		{ { vmx ? "CPUID" : "cpuid" }, v * n[WL_CPUID] },
		{ { vmx ? "IO_INSTRUCTION" : "io" }, v * (n[WL_IO] + 1) },
		{ { vmx ? "MSR_READ" : "msr" }, v * n[WL_RDMSR] },
		{ { vmx ? "MSR_WRITE" : "msr" }, v * (n[WL_WRMSR] + 2 * n[WL_HLT] + 2 * n[WL_TSCDL]) +
						  2 * early },
		{ { vmx ? "HLT" : "hlt" }, v * n[WL_HLT] },
		{ { vmx ? "VMCALL" : "hypercall" }, v * n[WL_VMCALL] },
		{ { vmx ? "RDPMC" : "rdpmc" }, v * n[WL_RDPMC] },
		{ { vmx ? "WBINVD" : "wbinvd" }, v * n[WL_WBINVD] },
		{ { vmx ? "INVD" : qemu_invd ? "wbinvd" : "invd" }, v * n[WL_INVD] },
		{ { vmx ? "EPT_VIOLATION" : "npf", vmx ? "EPT_MISCONFIG" : NULL },
		  v * (n[WL_FRESH] + n[WL_MMIO]) + other },
	};
	const size_t nexpect = sizeof(expect) / sizeof(expect[0]);
	bool ok = true;
	size_t i, j;

	if (early)
		ksft_print_msg("%s: %llu HLT wake-ups came before their HLT and were tried again\n",
			       what, (unsigned long long)early);
	if (qemu_invd)
		ksft_print_msg("%s: INVD exits expected as wbinvd: QEMU 7.2's TCG reports INVD as WBINVD\n",
			       what);
	if (tp) {
		/* The workload's own pages: each fresh page once, the MMIO page per write. */
		ok &= check_u64(tp->pf_fresh, v * n[WL_FRESH],
				"%s: KVM's page faults on the workload's fresh pages", what);
		ok &= check_u64(tp->pf_mmio, vmx ? 0 : v * n[WL_MMIO],
				"%s: KVM's page faults on the workload's MMIO page", what);
		for (i = 0; i < tp->pf_other_n; i++)
			ksft_print_msg("%s: a page fault not of the workload's making, at %#llx\n",
				       what, (unsigned long long)tp->pf_other_gpa[i]);
	}
	for (i = 0; i < nexpect; i++) {
		uint64_t want = 0;

		for (j = 0; j < i && strcmp(expect[i].names[0], expect[j].names[0]); j++)
			;
		if (j < i)
			continue;	/* already checked, with this entry's exits */
		for (j = i; j < nexpect; j++)
			if (!strcmp(expect[i].names[0], expect[j].names[0]))
				want += expect[j].exits;
		ok &= check_u64(group_delta(before, after, expect[i].names), want,
				"%s: %s%s%s exits", what, expect[i].names[0],
				expect[i].names[1] ? " + " : "",
				expect[i].names[1] ? expect[i].names[1] : "");
	}
	return ok;
}

/*
 * KVM's own statistics of a VM, counted elsewhere in KVM than the change
 * counts: its debugfs files, each the sum over the VM's vCPUs.
 */
static const char *const kvm_count_names[KVM_COUNTS] = {
	"exits", "io_exits", "irq_exits", "halt_exits", "irq_window_exits",
	"mmio_exits", "insn_emulation",
};

void kvm_counts_load(const char *vm_dir, struct kvm_counts *k)
{
	unsigned int i;

	for (i = 0; i < KVM_COUNTS; i++) {
		char path[160];
		unsigned long long v;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", vm_dir, kvm_count_names[i]);
		f = fopen(path, "re");
		TEST_ASSERT(f && fscanf(f, "%llu", &v) == 1, "cannot read KVM's own %s", path);
		fclose(f);
		k->v[i] = v;
	}
}

uint64_t stats_fd_get(int fd, const char *name)
{
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs;
	uint64_t value = 0;
	bool found = false;
	uint32_t i;

	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	for (i = 0; i < header.num_desc && !found; i++) {
		struct kvm_stats_desc *d = get_stats_descriptor(descs, i, &header);

		if (!strcmp(d->name, name)) {
			read_stat_data(fd, &header, d, &value, 1);
			found = true;
		}
	}
	free(descs);
	TEST_ASSERT(found, "the binary statistics have no \"%s\"", name);
	return value;
}

uint64_t vcpu_get_stat(struct kvm_vcpu *vcpu, const char *name)
{
	int fd = vcpu_get_stats_fd(vcpu);
	uint64_t value = stats_fd_get(fd, name);

	close(fd);
	return value;
}

void kvm_counts_load_vcpus(struct kvm_vcpu *const *vcpus, unsigned int n, struct kvm_counts *k)
{
	unsigned int i, v;

	memset(k, 0, sizeof(*k));
	for (v = 0; v < n; v++)
		for (i = 0; i < KVM_COUNTS; i++)
			k->v[i] += vcpu_get_stat(vcpus[v], kvm_count_names[i]);
}

void kvm_counts_load_vm(const struct wl_vm *vm, struct kvm_counts *k)
{
	kvm_counts_load(wl_debugfs_dir(vm), k);
}

bool check_kvm_counts(const struct kes_stats *before, const struct kes_stats *after,
		      const struct kvm_counts *k0, const struct kvm_counts *k1, const char *what)
{
	bool vmx = lab_isa() == KES_ISA_VMX;
	/* KVM's counter, and the reason whose every exit it counts. */
	const struct {
		enum kvm_count k;
		const char *reason;
	} same[] = {
		{ KVM_IO_EXITS, vmx ? "IO_INSTRUCTION" : "io" },
		{ KVM_IRQ_EXITS, vmx ? "EXTERNAL_INTERRUPT" : "interrupt" },
		{ KVM_HALT_EXITS, vmx ? "HLT" : "hlt" },
		{ KVM_IRQ_WINDOW_EXITS, vmx ? "INTERRUPT_WINDOW" : "vintr" },
	};
	bool ok;
	size_t i;

	ok = check_u64(after->total.count - before->total.count,
		       k1->v[KVM_EXITS] - k0->v[KVM_EXITS],
		       "%s: TOTAL exits, against KVM's own \"exits\"", what);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		ok &= check_u64(stats_delta(before, after, lab_reason(same[i].reason)),
				k1->v[same[i].k] - k0->v[same[i].k],
				"%s: %s exits, against KVM's own \"%s\"", what, same[i].reason,
				kvm_count_names[same[i].k]);
	return ok;
}

struct kmsg {
	int fd;
	char buf[8192];
};

struct kmsg *kmsg_open(void)
{
	struct kmsg *k = calloc(1, sizeof(*k));

	TEST_ASSERT(k, "out of memory");
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	TEST_ASSERT(k->fd >= 0, "cannot open /dev/kmsg: %s", strerror(errno));
	TEST_ASSERT(lseek(k->fd, 0, SEEK_END) >= 0, "cannot seek /dev/kmsg");
	return k;
}

const char *kmsg_next(struct kmsg *k)
{
	for (;;) {
		ssize_t n = read(k->fd, k->buf, sizeof(k->buf) - 1);
		char *msg, *nl;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: skip on */
		if (n <= 0)
			return NULL;
		k->buf[n] = '\0';
		msg = strchr(k->buf, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		return msg;
	}
}

void kmsg_close(struct kmsg *k)
{
	close(k->fd);
	free(k);
}
