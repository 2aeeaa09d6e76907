// SPDX-License-Identifier: GPL-2.0
/*
 * The controls: "reset" and "dump" written to the control files, the
 * kernel log dump (parsed back and compared with the file),
 * kvm.exit_stats_log_every, kvm.exit_stats=0, and bad writes, which must
 * fail with EINVAL and change nothing.  The statistics files themselves are
 * read-only (0400), the control files write-only (0200): debugfs in lockdown
 * opens only files without write permission.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apic.h"
#include "kvm_util.h"
#include "processor.h"
#include "lab_test.h"

#define MAX_DUMP_ROWS 300

struct dump_row {
	char name[KES_NAME_MAX];
	uint32_t reason;
	unsigned long long count, cycles, min, max, avg;
};

struct dump {
	char scope[64], trigger[32];
	unsigned int nrows;
	struct dump_row rows[MAX_DUMP_ROWS];
	unsigned long long total_count, total_cycles;
};

/* The next complete dump in the log, or false if there is none. */
static bool next_dump(struct kmsg *k, struct dump *d)
{
	const char *line;
	bool in = false;

	while ((line = kmsg_next(k))) {
		struct dump_row *r = &d->rows[d->nrows];
		char isa[8];
		unsigned long long khz;

		if (sscanf(line, "kvm_exit_stats: dump scope=%63s trigger=%31s isa=%7s tsc_khz=%llu",
			   d->scope, d->trigger, isa, &khz) == 4) {
			in = true;
			d->nrows = 0;
		} else if (in && sscanf(line, "kvm_exit_stats: total count=%llu cycles=%llu",
					&d->total_count, &d->total_cycles) == 2) {
			return true;
		} else if (in && d->nrows < MAX_DUMP_ROWS &&
			   sscanf(line, "kvm_exit_stats: %47[^(](%u) count=%llu cycles=%llu min=%llu max=%llu avg=%llu",
				  r->name, &r->reason, &r->count, &r->cycles, &r->min,
				  &r->max, &r->avg) == 7) {
			d->nrows++;
		}
	}
	return false;
}

/* The dump shows exactly the file's rows with a count above 0. */
static bool dump_matches(const struct dump *d, const struct kes_stats *st)
{
	unsigned int i, counted = 0;
	bool ok = true;
	size_t r;

	for (r = 0; r < st->nrows; r++)
		counted += st->rows[r].s.count > 0;
	ok &= check_u64(d->nrows, counted, "dump: lines with a count above 0");
	for (i = 0; i < d->nrows; i++) {
		const struct dump_row *dr = &d->rows[i];
		const struct kes_row *fr = kes_stats_row(st, dr->reason);

		if (!check(fr != NULL, "dump: reason %u has no row in the file", dr->reason))
			return false;
		ok &= check(!strcmp(dr->name, fr->name), "dump: reason %u named %s, file says %s",
			    dr->reason, dr->name, fr->name);
		ok &= check_u64(dr->count, fr->s.count, "dump: %s count", dr->name);
		ok &= check_u64(dr->cycles, fr->s.cycles, "dump: %s cycles", dr->name);
		ok &= check_u64(dr->min, fr->s.min, "dump: %s min", dr->name);
		ok &= check_u64(dr->max, fr->s.max, "dump: %s max", dr->name);
		ok &= check_u64(dr->avg, fr->s.timed ? fr->s.cycles / fr->s.timed : 0,
				"dump: %s avg", dr->name);
	}
	ok &= check_u64(d->total_count, st->total.count, "dump: total count");
	ok &= check_u64(d->total_cycles, st->total.cycles, "dump: total cycles");
	return ok;
}

static struct wl_vm *run_cpuid(uint64_t n)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct wl_vm *vm;

	spec.n[WL_CPUID] = n;
	vm = wl_create(&spec);
	wl_run(vm);
	return vm;
}

static char *read_text(const char *path)
{
	static char buf[3][65536];
	static int next;
	char *b = buf[next++ % 3];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0, r;

	TEST_ASSERT(fd >= 0, "cannot open %s: %s", path, strerror(errno));
	while ((r = read(fd, b + n, sizeof(buf[0]) - 1 - n)) > 0)
		n += r;
	close(fd);
	b[n] = '\0';
	return b;
}

static bool test_reset(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct kes_stats s, v1, v2;
	struct wl_vm *gone, *vm1, *vm2;
	struct tp_counts tp;
	bool ok = true;

	gone = run_cpuid(500);
	wl_destroy(gone);
	vm1 = run_cpuid(500);
	spec.n[WL_CPUID] = 700;
	vm2 = wl_create(&spec);
	stats_load(SYSTEM_STATS, &s);
	ok &= check(s.total.count > 1000, "before reset: only %llu exits",
		    (unsigned long long)s.total.count);
	kes_stats_free(&s);

	ok &= check_u64(-write_file(SYSTEM_CONTROL, "reset\n"), 0, "writing reset: errno");
	stats_load(SYSTEM_STATS, &s);
	stats_load_vm(vm1, &v1);
	stats_load_vm(vm2, &v2);
	ok &= check_u64(s.total.count, 0, "system-wide TOTAL right after reset");
	ok &= check_u64(s.total.cycles, 0, "system-wide TOTAL cycles right after reset");
	ok &= check_u64(v1.total.count, 0, "VM 1 TOTAL right after reset");
	ok &= check_u64(v2.total.count, 0, "VM 2 TOTAL right after reset");
	kes_stats_free(&s);
	kes_stats_free(&v1);

	tp_start();
	wl_run(vm2);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s);
	stats_load_vm(vm1, &v1);
	ok &= check_u64(v1.total.count, 0, "VM 1, which did not run again, after reset");
	ok &= check_workload_faults(&v2, &s, vm2, &tp, "system-wide after reset");
	ok &= check_matches_tracepoint(&v2, &s, &tp, "system-wide after reset");
	kes_stats_free(&s);
	kes_stats_free(&v1);
	kes_stats_free(&v2);
	wl_destroy(vm1);
	wl_destroy(vm2);
	return ok;
}

static bool test_dump(void)
{
	struct kmsg *k = kmsg_open();
	struct wl_vm *vm = run_cpuid(300);
	struct kes_stats st;
	struct dump *d = calloc(1, sizeof(*d));
	const char *path;
	char scope[80];
	bool ok = true;

	ok &= check_u64(-write_file(SYSTEM_CONTROL, "dump"), 0, "writing dump: errno");
	stats_load(SYSTEM_STATS, &st);
	if (check(next_dump(k, d), "no dump in the kernel log after writing dump")) {
		ok &= check(!strcmp(d->scope, "system") && !strcmp(d->trigger, "request"),
			    "dump header says scope=%s trigger=%s", d->scope, d->trigger);
		ok &= dump_matches(d, &st);
	} else {
		ok = false;
	}
	kes_stats_free(&st);

	path = wl_stats_path(vm);
	snprintf(scope, sizeof(scope), "vm-%s", strrchr(wl_debugfs_dir(vm), '/') + 1);
	ok &= check_u64(-write_file(wl_control_path(vm), "dump\n"), 0,
			"writing dump to the VM's control file: errno");
	stats_load(path, &st);
	if (check(next_dump(k, d), "no dump in the kernel log after writing dump to the VM's file")) {
		ok &= check(!strcmp(d->scope, scope), "dump header says scope=%s, expected %s",
			    d->scope, scope);
		ok &= dump_matches(d, &st);
	} else {
		ok = false;
	}
	kes_stats_free(&st);
	wl_destroy(vm);
	kmsg_close(k);
	free(d);
	return ok;
}

static bool test_log_every(void)
{
	const unsigned long every = 2000;
	struct dump *d = calloc(1, sizeof(*d));
	unsigned long long prev;
	struct kes_stats st;
	struct kmsg *k;
	struct wl_vm *vm;
	unsigned int dumps = 0;
	char val[32];
	bool ok = true;

	stats_load(SYSTEM_STATS, &st);
	prev = st.total.count;
	kes_stats_free(&st);
	k = kmsg_open();
	snprintf(val, sizeof(val), "%lu", every);
	set_param("exit_stats_log_every", val);
	vm = run_cpuid(20000);
	usleep(400 * 1000);
	set_param("exit_stats_log_every", "0");
	stats_load(SYSTEM_STATS, &st);
	while (next_dump(k, d)) {
		unsigned long long sum = 0;
		unsigned int i;

		ok &= check(!strcmp(d->trigger, "every-2000"), "dump trigger=%s", d->trigger);
		ok &= check(d->total_count >= prev + every,
			    "dump %u at %llu exits, less than %lu after the previous %llu",
			    dumps, d->total_count, every, prev);
		for (i = 0; i < d->nrows; i++)
			sum += d->rows[i].count;
		ok &= check_u64(sum, d->total_count, "dump %u: the lines add up to the total", dumps);
		prev = d->total_count;
		dumps++;
	}
	ksft_print_msg("log_every=%lu: %u dumps for %llu exits\n", every, dumps,
		       (unsigned long long)st.total.count);
	ok &= check(dumps >= 1, "no dump for 20000 exits with log_every=%lu", every);
	ok &= check(prev <= st.total.count, "a dump showed %llu exits, the file only %llu",
		    prev, (unsigned long long)st.total.count);
	kes_stats_free(&st);
	wl_destroy(vm);

	vm = run_cpuid(5000);
	usleep(300 * 1000);
	ok &= check(!next_dump(k, d), "a dump appeared after log_every was set to 0");
	wl_destroy(vm);
	kmsg_close(k);
	free(d);
	return ok;
}

static bool test_off(void)
{
	struct wl_spec spec = { .vcpus = 1 };
	struct kes_stats s0, s1, v;
	struct tp_counts tp;
	struct wl_vm *vm;
	bool ok = true;

	set_param("exit_stats", "0");
	ok &= check(!strcmp(get_param("exit_stats"), "off"),
		    "kvm.exit_stats does not read back off");
	stats_load(SYSTEM_STATS, &s0);
	tp_start();
	vm = run_cpuid(1000);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s1);
	stats_load_vm(vm, &v);
	ok &= check(tp_total(&tp) > 1000, "the tracepoint saw only %llu exits",
		    (unsigned long long)tp_total(&tp));
	ok &= check_u64(s1.total.count, s0.total.count, "system-wide TOTAL while off");
	ok &= check_u64(v.total.count, 0, "per-VM TOTAL of a VM that ran while off");
	wl_destroy(vm);
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	kes_stats_free(&v);

	set_param("exit_stats", "1");
	spec.n[WL_CPUID] = 1000;
	vm = wl_create(&spec);
	stats_load(SYSTEM_STATS, &s0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load(SYSTEM_STATS, &s1);
	ok &= check_workload_faults(&s0, &s1, vm, &tp, "after switching back on");
	ok &= check_matches_tracepoint(&s0, &s1, &tp, "after switching back on");
	wl_destroy(vm);
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	return ok;
}

/*
 * Writing @len bytes of @val to @path fails with EINVAL and leaves @watch
 * (the statistics it would change) as it was.
 */
static bool bad_write(const char *path, const char *watch, const char *val, size_t len,
		      const char *what)
{
	char *before = strdup(read_text(watch));
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;
	bool ok;

	TEST_ASSERT(fd >= 0, "cannot open %s: %s", path, strerror(errno));
	n = write(fd, val, len);
	err = n < 0 ? errno : 0;
	close(fd);
	ok = check(n < 0 && err == EINVAL, "writing %s to %s: got %zd (%s), expected EINVAL",
		   what, path, n, strerror(err));
	ok &= check(!strcmp(before, read_text(watch)), "writing %s to %s changed %s", what,
		    path, watch);
	free(before);
	return ok;
}

static bool check_mode(const char *path, mode_t mode)
{
	struct stat s;

	if (!check(!stat(path, &s), "cannot stat %s: %s", path, strerror(errno)))
		return false;
	return check((s.st_mode & 07777) == mode, "%s has mode %04o, expected %04o", path,
		     s.st_mode & 07777, mode);
}

/*
 * A reset does not kick vCPUs: a halted vCPU keeps its reset pending, and
 * reads as zero until it runs again (docs/interfaces.md, "reset").  Its HLT
 * exit, which began before the reset, is dropped; every exit after the wake
 * is counted: the VM's TOTAL then equals KVM's own exits since the reset.
 */
#define HALT_VECTOR 0x42

static void halt_handler(struct ex_regs *regs)
{
	x2apic_write_reg(APIC_EOI, 0);
}

static void guest_halts(void)
{
	x2apic_enable();
	GUEST_SYNC(1);
	asm volatile("sti; hlt; cli");
	GUEST_SYNC(2);
}

static void *run_vcpu(void *arg)
{
	vcpu_run(arg);
	return NULL;
}

static bool test_reset_halted(void)
{
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = HALT_VECTOR };
	struct kes_stats st0, st1, st2;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	char dir[64], path[96];
	uint64_t exits_at_reset;
	int stats_fd;
	pthread_t t;
	bool ok = true;

	vm = vm_create_with_one_vcpu(&vcpu, guest_halts);
	vm_install_exception_handler(vm, HALT_VECTOR, halt_handler);
	vcpu_run(vcpu);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_SYNC, "the guest did not reach its HLT");
	wl_debugfs_dir_of(vm->fd, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/exit_stats", dir);
	stats_fd = vcpu_get_stats_fd(vcpu);	/* now: the ioctl waits for KVM_RUN */
	pthread_create(&t, NULL, run_vcpu, vcpu);
	usleep(300 * 1000);			/* the vCPU halts in KVM */
	stats_load(path, &st0);
	exits_at_reset = stats_fd_get(stats_fd, "exits");
	ok &= check_u64(-write_file(SYSTEM_CONTROL, "reset"), 0, "writing reset: errno");
	stats_load(path, &st1);
	usleep(300 * 1000);
	stats_load(path, &st2);
	ok &= check(st0.total.count > 0, "the VM had no exits before the reset");
	ok &= check_u64(st1.total.count, 0, "the halted vCPU's VM right after the reset");
	ok &= check_u64(st2.total.count, 0, "the halted vCPU's VM 0.3 s after the reset");
	kes_stats_free(&st0);
	kes_stats_free(&st1);
	kes_stats_free(&st2);

	TEST_ASSERT(__vm_ioctl(vm, KVM_SIGNAL_MSI, &msi) == 1,	/* wakes it: it EOIs, syncs */
		    "KVM_SIGNAL_MSI did not deliver the wake-up");
	pthread_join(t, NULL);
	TEST_ASSERT(get_ucall(vcpu, &uc) == UCALL_SYNC && uc.args[1] == 2,
		    "the guest did not wake from its HLT");
	stats_load(path, &st1);
	ok &= check_u64(st1.total.count, stats_fd_get(stats_fd, "exits") - exits_at_reset,
			"the VM's TOTAL after the wake, against KVM's own exits since the reset");
	ok &= check_u64(kes_stats_count(&st1, lab_reason(lab_isa() == KES_ISA_VMX ? "HLT" : "hlt")), 0,
			"HLT exits after the reset (the one in flight is dropped)");
	ksft_print_msg("halted vCPU: 0 right after the reset and while halted; %llu exits after the wake\n",
		       (unsigned long long)st1.total.count);
	kes_stats_free(&st1);
	close(stats_fd);
	kvm_vm_free(vm);
	return ok;
}

/*
 * kvm.exit_stats switched off and on again while two vCPUs exit as fast as
 * they can: no exit is counted with a start from before the switch (it
 * would show as an exit as long as the time the statistics were off), and
 * once on, counting is exact again.
 */
struct toggler {
	atomic_bool done;
	unsigned int switches;
};

static void *toggle(void *arg)
{
	struct toggler *t = arg;

	while (!atomic_load(&t->done)) {
		set_param("exit_stats", "0");
		usleep(200 * 1000);
		set_param("exit_stats", "1");
		usleep(50 * 1000);
		t->switches++;
	}
	return NULL;
}

static bool test_switch_while_running(void)
{
	struct wl_spec spec = { .vcpus = 2, .pin = true };
	struct toggler tg = { .done = false };
	struct kes_stats st, s0, s1;
	uint64_t khz, max_us;
	struct tp_counts tp;
	struct wl_vm *vm;
	pthread_t t;
	bool ok = true;
	size_t r;

	spec.n[WL_CPUID] = 100000;
	vm = wl_create(&spec);
	pthread_create(&t, NULL, toggle, &tg);
	wl_run(vm);
	atomic_store(&tg.done, true);
	pthread_join(t, NULL);
	stats_load_vm(vm, &st);
	khz = st.tsc_khz;
	for (r = 0; r < st.nrows; r++) {
		if (!st.rows[r].s.count)
			continue;
		max_us = st.rows[r].s.max * 1000 / khz;
		ok &= check(max_us < 150 * 1000, "%s: an exit of %llu us, as long as the statistics "
			    "were off (200 ms): counted with a start from before the switch",
			    st.rows[r].name, (unsigned long long)max_us);
	}
	ok &= check_cycles_sane(&st, "per-VM, switched while running");
	ksft_print_msg("%u switches off and on while 2 vCPUs ran: %llu exits counted, the longest %llu us\n",
		       tg.switches, (unsigned long long)st.total.count,
		       (unsigned long long)(st.total.max * 1000 / khz));
	ok &= check(tg.switches >= 2, "only %u switches while the workload ran", tg.switches);
	kes_stats_free(&st);
	wl_destroy(vm);

	/* On again: exact. */
	spec.n[WL_CPUID] = 1000;
	vm = wl_create(&spec);
	stats_load_vm(vm, &s0);
	tp_start();
	wl_run(vm);
	tp_read(&tp);
	tp_stop();
	stats_load_vm(vm, &s1);
	ok &= check_workload_faults(&s0, &s1, vm, &tp, "after the switches");
	ok &= check_matches_tracepoint(&s0, &s1, &tp, "after the switches");
	kes_stats_free(&s0);
	kes_stats_free(&s1);
	wl_destroy(vm);
	return ok;
}

static bool test_bad_writes(void)
{
	static const char *const bad[] = { "foo", "resetx", "reset reset", "RESET",
					   "dump\n\n", " reset", "reset\r\n" };
	struct wl_vm *vm = run_cpuid(100);
	const char *stats, *control;
	char big[4096];
	bool ok = true;
	size_t i;

	stats = wl_stats_path(vm);
	control = wl_control_path(vm);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok &= bad_write(SYSTEM_CONTROL, SYSTEM_STATS, bad[i], strlen(bad[i]), bad[i]);
		ok &= bad_write(control, stats, bad[i], strlen(bad[i]), bad[i]);
	}
	ok &= bad_write(SYSTEM_CONTROL, SYSTEM_STATS, "", 0, "nothing");
	ok &= bad_write(SYSTEM_CONTROL, SYSTEM_STATS, "reset\0", 6, "reset + NUL");
	memset(big, 'r', sizeof(big));
	ok &= bad_write(SYSTEM_CONTROL, SYSTEM_STATS, big, sizeof(big), "4096 bytes");
	ok &= bad_write(control, stats, "reset", 5, "reset (per-VM)");
	/* The statistics files take no commands at all. */
	ok &= bad_write(SYSTEM_STATS, SYSTEM_STATS, "reset", 5, "reset (statistics file)");
	ok &= bad_write(stats, stats, "dump", 4, "dump (the VM's statistics file)");
	ok &= bad_write(PARAM_DIR "/exit_stats", PARAM_DIR "/exit_stats", "maybe", 5, "maybe");
	ok &= bad_write(PARAM_DIR "/exit_stats", PARAM_DIR "/exit_stats", "countsx", 7, "countsx");
	ok &= bad_write(PARAM_DIR "/exit_stats", PARAM_DIR "/exit_stats", "Time", 4, "Time");
	ok &= bad_write(PARAM_DIR "/exit_stats_log_every", PARAM_DIR "/exit_stats_log_every",
			"-5", 2, "-5");
	ok &= bad_write(PARAM_DIR "/exit_stats_log_every", PARAM_DIR "/exit_stats_log_every",
			"lots", 4, "lots");
	ok &= check_mode(SYSTEM_STATS, 0400) & check_mode(stats, 0400);
	ok &= check_mode(SYSTEM_CONTROL, 0200) & check_mode(control, 0200);
	wl_destroy(vm);
	return ok;
}

int main(void)
{
	ksft_print_header();
	ksft_set_plan(7);
	ksft_test_result(test_reset(), "reset zeroes every scope; counting restarts exactly\n");
	ksft_test_result(test_dump(), "dump: the kernel log shows exactly the file, system-wide and per VM\n");
	ksft_test_result(test_log_every(), "log_every: dumps every N exits, none when 0\n");
	ksft_test_result(test_off(), "exit_stats=0 records nothing; =1 counts exactly again\n");
	ksft_test_result(test_reset_halted(), "reset with a halted vCPU: zero until it runs, then exact\n");
	ksft_test_result(test_switch_while_running(), "exit_stats switched off and on while vCPUs run: no stale exit, exact after\n");
	ksft_test_result(test_bad_writes(), "bad writes: EINVAL, and nothing changes; files 0400, controls 0200\n");
	ksft_finished();
}
