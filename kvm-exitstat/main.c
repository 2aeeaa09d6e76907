// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-exitstat: KVM's per-exit-reason VM-exit statistics, as a person and
 * a fleet want to read them (man kvm-exitstat).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "format.h"
#include "hist.h"
#include "options.h"
#include "report.h"
#include "source.h"
#include "vms.h"

#define PROG "kvm-exitstat"

/* Set by SIGINT and SIGTERM: ends interval mode cleanly. */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static const struct kes_format *format_of(const struct kes_options *o)
{
	return o->output == KES_OUT_CSV ? &kes_format_csv :
	       o->output == KES_OUT_JSON ? &kes_format_json : &kes_format_table;
}

/* What one reading reads: the system-wide file, or one VM's. */
struct target {
	struct kes_target file;
	struct kes_scope who;
};

/* The system-wide file, at @path; an exit code. */
static int target_system(const struct kes_options *o, struct target *t, kes_path_buf path)
{
	*t = (struct target){ { path, NULL, false, false }, { "system", NULL, NULL, NULL, NULL, NULL } };
	return kes_system_path(&o->src, path);
}

static void target_vm(const struct kes_vm *vm, struct target *t)
{
	*t = (struct target){ { vm->path, vm->id, false, false },
			      { "vm", vm->id, *vm->guest ? vm->guest : NULL, NULL, NULL, NULL } };
}

/* The report of @st (minus @before, over @seconds); -1 if it went back. */
static int make_report(const struct kes_options *o, const struct kes_scope *who, bool all,
		       const struct kes_stats *st, const struct kes_stats *before,
		       double seconds, struct kes_report *rep)
{
	int r = kes_report_make(rep, st, before, seconds, all && !o->skip_zero, o->sort);

	if (r == -2)
		return kes_complain(KES_EXIT_FAILURE, "out of memory");
	if (r)
		return -1;
	kes_filter_report(&o->filter, rep);
	rep->who = *who;
	rep->timestamp = now(CLOCK_REALTIME);
	return KES_EXIT_OK;
}

/* Where the output goes: stdout, or -o FILE, made in memory, then written whole. */
struct sink {
	FILE *f;
	char *buf;
	size_t len;
};

static int sink_open(const struct kes_options *o, struct sink *s)
{
	s->f = stdout;
	if (!o->output_file)
		return KES_EXIT_OK;
	s->buf = NULL;
	s->f = open_memstream(&s->buf, &s->len);
	return s->f ? KES_EXIT_OK : kes_complain(KES_EXIT_FAILURE, "out of memory");
}

/*
 * Whether everything written to @f so far was written (a failed write
 * before this flush counts too); if not, the errno in *@err.
 */
static bool written(FILE *f, int *err)
{
	errno = 0;
	if (!fflush(f) && !ferror(f))
		return true;
	*err = errno ? errno : EIO;
	return false;
}

/* Standard output, written out now (a pipe's reader sees each interval). */
static int flush_out(void)
{
	int err;

	return written(stdout, &err) ? KES_EXIT_OK :
	       kes_complain(KES_EXIT_IO, "cannot write the output: %s", strerror(err));
}

/* @len bytes of @buf to @fd: 0, or the errno of the write that failed. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * @buf as the file @path, atomically: into a temporary file beside it,
 * renamed over it only when all of it was written.
 */
static int install(const char *path, const char *buf, size_t len)
{
	kes_path_buf tmp;
	int fd, err;

	if ((err = kes_path(tmp, "%s.tmp.%d", path, (int)getpid())))
		return err;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return kes_complain(KES_EXIT_IO, "cannot write %s: %s; is its folder there and writable?",
				    tmp, strerror(errno));
	err = write_all(fd, buf, len);
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (!err)
		return KES_EXIT_OK;
	unlink(tmp);
	return kes_complain(KES_EXIT_IO, "cannot write %s: %s; it is left as it was", path,
			    strerror(err));
}

static int sink_close(const struct kes_options *o, struct sink *s)
{
	int r;

	if (!o->output_file)
		return flush_out();
	if (fclose(s->f))
		r = kes_complain(KES_EXIT_FAILURE, "out of memory");
	else
		r = install(o->output_file, s->buf, s->len);
	free(s->buf);
	return r;
}

static int list_vms(const struct kes_options *o)
{
	struct kes_vm *vms;
	size_t n;
	int r = kes_list_vms(&o->src, &vms, &n);

	if (r)
		return r;
	format_of(o)->vms(stdout, vms, n);
	free(vms);
	return flush_out();
}

static int control(const struct kes_options *o)
{
	struct kes_target t = { NULL, NULL, true, false };
	kes_path_buf path;
	char word[32];
	struct kes_vm vm;
	int r;

	if (o->vm) {
		r = kes_find_vm(&o->src, o->vm_by, o->vm, &vm);
		if (r)
			return r;
		t.path = vm.control;
		t.vm = vm.id;
	} else {
		if ((r = kes_system_control_path(&o->src, path)))
			return r;
		t.path = path;
	}
	snprintf(word, sizeof(word), "%s%s", o->mode == KES_MODE_RESET ? "reset" :
		 o->mode == KES_MODE_DUMP ? "dump" : "cpuid=", o->access ? o->access : "");
	r = kes_control(&o->src, &t, word);
	if (r)
		return r;
	if (o->mode == KES_MODE_RESET)
		printf("reset: the system-wide statistics and every VM's are zero\n");
	else if (o->mode == KES_MODE_DUMP)
		printf("dumped to the kernel log: %s%s\n", t.vm ? "VM " : "the system-wide statistics",
		       t.vm ? t.vm : "");
	else
		printf("VM %s: its guest may read %s through CPUID (%s)\n", t.vm,
		       !strcmp(o->access, "off") ? "no statistics" :
		       !strncmp(o->access, "vm", 2) ? "its own statistics" :
		       "the system-wide statistics",
		       strstr(o->access, ",user") ? "in its kernel and its user space" :
		       !strcmp(o->access, "off") ? "off" : "in its kernel only");
	return flush_out();
}

/*
 * Prometheus: the system-wide report and every VM's (or the one VM asked
 * for), written out whole.
 */
static int prometheus(const struct kes_options *o, const struct target *one)
{
	struct kes_report *reps = NULL;
	struct kes_stats *st = NULL;	/* the reports' names point into them */
	struct kes_hists hist = { 0 };
	struct kes_vm *vms = NULL;
	struct target sys;
	kes_path_buf path, hpath;
	char err[KES_MSG_MAX];
	size_t n = 0, nvms = 0, i;
	struct sink sink;
	int r;

	if (!one) {
		if ((r = target_system(o, &sys, path)))
			return r;
		one = &sys;
		r = kes_list_vms(&o->src, &vms, &nvms);
		if (r)
			return r;
	}
	reps = calloc(nvms + 1, sizeof(*reps));
	st = calloc(nvms + 1, sizeof(*st));
	if (!reps || !st) {
		r = kes_complain(KES_EXIT_FAILURE, "out of memory");
		goto out;
	}
	for (i = 0, r = KES_EXIT_OK; i <= nvms && !r; i++) {
		struct target vt;
		const struct target *t = one;

		if (i > 0) {
			target_vm(&vms[i - 1], &vt);
			t = &vt;
			if (kes_stats_load(vt.file.path, &st[n], err, sizeof(err)))
				continue;	/* gone since the listing */
		} else if ((r = kes_load(&o->src, &t->file, &st[n]))) {
			break;
		}
		/* The reasons with exits only: a fleet's export stays small. */
		r = make_report(o, &t->who, false, &st[n], NULL, 0, &reps[n]);
		if (r) {
			kes_stats_free(&st[n]);
			continue;
		}
		/* The system-wide histograms, if the kernel keeps them (kvm.exit_stats=hist). */
		if (i == 0 && !t->who.vm && !kes_path(hpath, "%s_hist", t->file.path) &&
		    !kes_hists_load(hpath, &hist, err, sizeof(err)))
			reps[n].hist = &hist;
		n++;
	}
	if (!r && !(r = sink_open(o, &sink))) {
		kes_print_prometheus(sink.f, reps, n, o->all_series);
		r = sink_close(o, &sink);
	}
out:
	for (i = 0; i < n; i++) {
		kes_report_free(&reps[i]);
		kes_stats_free(&st[i]);
	}
	free(reps);
	free(st);
	free(vms);
	kes_hists_free(&hist);
	return r;
}

static int report_once(const struct kes_options *o, const struct target *t)
{
	struct kes_report rep;
	struct kes_stats st;
	int r = kes_load(&o->src, &t->file, &st);

	if (r)
		return r;
	r = make_report(o, &t->who, o->all, &st, NULL, 0, &rep);
	if (!r) {
		format_of(o)->report(stdout, &rep, true, o->wide);
		r = flush_out();
	}
	kes_report_free(&rep);
	kes_stats_free(&st);
	return r;
}

/*
 * --vcpu: one report per vCPU of @vm, in the order of their ids, or vCPU
 * o->vcpu alone; the table titles each, CSV has one header for all.
 */
/*
 * One report of several (--vcpu, -p 1,2), of @t's file: a blank line
 * between tables, the CSV header and the JSON document's start with the
 * first (@shown: the reports before it).
 */
static int report_block(const struct kes_options *o, const struct target *t, size_t shown)
{
	struct kes_report rep;
	struct kes_stats st;
	int r;

	if ((r = kes_load(&o->src, &t->file, &st)))
		return r;
	r = make_report(o, &t->who, o->all, &st, NULL, 0, &rep);
	if (!r) {
		if (shown && o->output == KES_OUT_TABLE)
			fputc('\n', stdout);
		format_of(o)->report(stdout, &rep, !shown || o->output == KES_OUT_TABLE, o->wide);
		kes_report_free(&rep);
	}
	kes_stats_free(&st);
	return r;
}

static int report_vcpus(const struct kes_options *o, const struct kes_vm *vm)
{
	size_t n, i, shown = 0;
	kes_path_buf path;
	int *ids, r;

	r = kes_list_vcpus(&o->src, vm, &ids, &n);
	for (i = 0; !r && i < n; i++) {
		char id[16];
		struct target t = { { path, vm->id, false, false },
				    { "vcpu", vm->id, *vm->guest ? vm->guest : NULL, NULL, NULL,
				      id } };

		if (o->vcpu >= 0 && ids[i] != o->vcpu)
			continue;
		snprintf(id, sizeof(id), "%d", ids[i]);
		if ((r = kes_path(path, "%s/vcpu%d/exit_stats", vm->dir, ids[i])) ||
		    (r = report_block(o, &t, shown)))
			break;
		shown++;
	}
	free(ids);
	if (!r && !shown && o->vcpu >= 0)
		return kes_complain(KES_EXIT_NO_VM, "VM %s has no vCPU %ld (--vcpu without =N "
				    "shows the ones it has)", vm->id, o->vcpu);
	if (!r && !shown)
		return kes_complain(KES_EXIT_NO_STATS, "VM %s has no vCPU folders with exit "
				    "statistics in %s", vm->id, vm->dir);
	return r ? r : flush_out();
}

/* The intervals so far, for the summary: the sum of what was shown. */
struct summary {
	long intervals, resets;
	double seconds;
	uint64_t count, cycles;
};

static void print_summary(const struct kes_options *o, const struct summary *s)
{
	fprintf(o->output == KES_OUT_TABLE ? stdout : stderr,
		"# %ld interval%s, %.3f s: %" PRIu64 " exits, %.1f exits/s, %" PRIu64 " cycles",
		s->intervals, s->intervals == 1 ? "" : "s", s->seconds, s->count,
		s->seconds > 0 ? s->count / s->seconds : 0.0, s->cycles);
	if (s->resets)
		fprintf(o->output == KES_OUT_TABLE ? stdout : stderr, "; %ld reset%s", s->resets,
			s->resets == 1 ? "" : "s");
	fputc('\n', o->output == KES_OUT_TABLE ? stdout : stderr);
}

/* Waits until @next, then moves it on by @interval; false if stopped. */
static bool tick(struct timespec *next, double interval)
{
	double ns = next->tv_nsec + fmod(interval, 1.0) * 1e9;

	next->tv_sec += (time_t)interval + (time_t)(ns / 1e9);
	next->tv_nsec = (long)fmod(ns, 1e9);
	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
	return !stop;
}

/*
 * Every interval, the exits of that interval, until -n intervals or
 * Ctrl-C; then a summary line.  When the statistics go back (a reset), a
 * marker, then that interval with the exits of the new reading: those
 * since the reset (the exits between the last reading and the reset are
 * gone with it).  With @n targets (several VMs named), one report each per
 * interval, in the order named, and one summary of them all.
 */
static int report_intervals(const struct kes_options *o, const struct target *t, size_t n)
{
	const struct kes_format *fmt = format_of(o);
	struct kes_stats *before, after;
	struct summary sum = { 0 };
	struct kes_report rep;
	struct timespec next;
	double t_before, t_after;
	long done = 0;
	bool shown = false;
	size_t i, loaded = 0;
	int r = KES_EXIT_OK;

	before = calloc(n, sizeof(*before));
	if (!before)
		return kes_complain(KES_EXIT_FAILURE, "out of memory");
	for (; loaded < n && !r; loaded++)
		r = kes_load(&o->src, &t[loaded].file, &before[loaded]);
	if (r) {
		loaded--;
		goto out;
	}
	t_before = now(CLOCK_MONOTONIC);
	clock_gettime(CLOCK_MONOTONIC, &next);
	while ((!o->count || done < o->count) && tick(&next, o->interval)) {
		t_after = now(CLOCK_MONOTONIC);
		for (i = 0; i < n && !r; i++) {
			r = kes_load(&o->src, &t[i].file, &after);
			if (r)
				break;
			r = make_report(o, &t[i].who, o->all, &after, &before[i], t_after - t_before,
					&rep);
			if (r == -1) {
				struct kes_report last = { .isa = after.isa, .tsc_khz = after.tsc_khz,
							   .who = t[i].who };
				struct kes_stats zero = { .isa = after.isa, .tsc_khz = after.tsc_khz };

				fmt->reset(stdout, &last, now(CLOCK_REALTIME), !shown, o->wide);
				shown = true;
				sum.resets++;
				r = make_report(o, &t[i].who, o->all, &after, &zero, t_after - t_before,
						&rep);
			}
			if (!r) {
				if (shown && n > 1 && o->output == KES_OUT_TABLE)
					fputc('\n', stdout);
				fmt->report(stdout, &rep, !shown || (n > 1 && o->output == KES_OUT_TABLE),
					    o->wide);
				sum.count += rep.total.count;
				sum.cycles += rep.total.cycles;
				kes_report_free(&rep);
			}
			shown = true;
			kes_stats_free(&before[i]);
			before[i] = after;
		}
		if (!r) {
			sum.intervals++;
			sum.seconds += t_after - t_before;
		}
		t_before = t_after;
		done++;
		if (r || (r = flush_out()))
			break;
	}
	if (done) {
		print_summary(o, &sum);
		if (!r)
			r = flush_out();
	}
out:
	for (i = 0; i < loaded; i++)
		kes_stats_free(&before[i]);
	free(before);
	return r;
}

/* Several VMs named (-p 1,2): each one's report, in the order named. */
static int report_vms(const struct kes_options *o)
{
	struct kes_vm *vms = calloc(o->nvms, sizeof(*vms));
	struct target *t = calloc(o->nvms, sizeof(*t));
	int i, r = KES_EXIT_OK;

	if (!vms || !t) {
		r = kes_complain(KES_EXIT_FAILURE, "out of memory");
		goto out;
	}
	for (i = 0; i < o->nvms && !r; i++) {
		r = kes_find_vm(&o->src, o->vm_by, o->vms[i], &vms[i]);
		if (!r)
			target_vm(&vms[i], &t[i]);
	}
	if (!r && o->interval)
		r = report_intervals(o, t, o->nvms);
	for (i = 0; !r && !o->interval && i < o->nvms; i++)
		r = report_block(o, &t[i], i);
	if (!r && !o->interval)
		r = flush_out();
out:
	free(vms);
	free(t);
	return r;
}

/* An export at once, then one every interval: -n N exports in all. */
static int prometheus_intervals(const struct kes_options *o, const struct target *t)
{
	struct timespec next;
	long done = 1;
	int r = prometheus(o, t);

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!r && (!o->count || done < o->count) && tick(&next, o->interval)) {
		r = prometheus(o, t);
		done++;
	}
	return r;
}

/*
 * When the reading of -f @file was taken: the modification time of the
 * file it is (standard input too, when it is a file), or, for a pipe, now.
 */
static double reading_time(const char *file)
{
	bool in = !strcmp(file, "-");
	struct stat sb;

	if ((in ? fstat(0, &sb) : stat(file, &sb)) || !S_ISREG(sb.st_mode))
		return now(CLOCK_REALTIME);
	return sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9;
}

/*
 * -f A -f B: two readings of one host, or a message that they are not (of
 * two hosts, ISAs, or boots: a host calibrates its tsc_khz at boot).
 */
static int check_one_host(const struct kes_options *o, const struct kes_stats st[2])
{
	if (kes_same_host(&st[0], &st[1]))
		return KES_EXIT_OK;
	return kes_complain(KES_EXIT_FAILURE, "%s (isa=%s tsc_khz=%llu) and %s (isa=%s "
			    "tsc_khz=%llu) come from different hosts or ISAs (or boots): the "
			    "exits from one file to the other need two readings of one host",
			    o->files[0], kes_isa_name(st[0].isa), (unsigned long long)st[0].tsc_khz,
			    o->files[1], kes_isa_name(st[1].isa), (unsigned long long)st[1].tsc_khz);
}

/* -f FILE: a saved file; -f A -f B: the exits from A to B. */
static int report_files(const struct kes_options *o)
{
	struct kes_stats st[2];
	struct kes_report rep;
	struct kes_scope who = { "file", NULL, NULL, NULL, NULL, NULL };
	double when;
	int i, r = KES_EXIT_OK;

	for (i = 0; i < o->nfiles && !r; i++) {
		bool in = !strcmp(o->files[i], "-");
		struct kes_target t = { in ? "standard input" : o->files[i], NULL, false, true };
		char err[KES_MSG_MAX];
		int e = in ? kes_stats_read(0, t.path, &st[i], err, sizeof(err)) :
			     kes_stats_load(t.path, &st[i], err, sizeof(err));

		if (e == KES_STATS_MALFORMED)
			r = kes_complain(KES_EXIT_FAILURE, "not an exit_stats file: %s", err);
		else if (e < 0)
			r = kes_explain(&o->src, &t, -e);
		if (r)
			break;
	}
	if (!r && o->nfiles == 2)
		r = check_one_host(o, st);
	if (r) {
		while (i-- > 0)
			kes_stats_free(&st[i]);
		return r;
	}
	when = reading_time(o->files[o->nfiles - 1]);	/* the later one's */
	who.file = o->files[o->nfiles - 1];
	who.before_file = o->nfiles == 2 ? o->files[0] : NULL;
	r = make_report(o, &who, o->all && o->output != KES_OUT_PROMETHEUS, &st[o->nfiles - 1],
			o->nfiles == 2 ? &st[0] : NULL, 0, &rep);
	if (r == -1)
		r = kes_complain(KES_EXIT_FAILURE, "%s has fewer exits than %s: the statistics were "
				 "reset between the two, or the files are the wrong way round "
				 "(-f EARLIER -f LATER)", o->files[1], o->files[0]);
	if (!r) {
		struct sink sink;

		rep.timestamp = when;
		if (o->output == KES_OUT_PROMETHEUS) {
			if (!(r = sink_open(o, &sink))) {
				kes_print_prometheus(sink.f, &rep, 1, o->all_series);
				r = sink_close(o, &sink);
			}
		} else {
			format_of(o)->report(stdout, &rep, true, o->wide);
			r = flush_out();
		}
		kes_report_free(&rep);
	}
	for (i = 0; i < o->nfiles; i++)
		kes_stats_free(&st[i]);
	return r;
}

/* --hist: the histograms of the file @t->file.path names, titled @title. */
static int hist_one(const struct kes_options *o, const struct kes_target *t, const char *title)
{
	struct kes_hists h;
	int r = kes_hist_load(&o->src, t, &h);

	if (r)
		return r;
	if (o->hist)
		r = kes_hist_print_reason(stdout, &h, o->hist, title);
	else
		kes_hist_print_percentiles(stdout, &h, title);
	kes_hists_free(&h);
	return r ? r : flush_out();
}

/*
 * --hist: of a saved file (-f), of the system, of one VM, or of its vCPUs
 * (--vcpu[=N]), one block each.
 */
static int hist_report(const struct kes_options *o)
{
	struct kes_target t = { NULL, NULL, false, false };
	kes_path_buf path, base;
	char title[96];
	struct kes_vm vm;
	size_t n, i, shown = 0;
	int *ids, r;

	if (o->nfiles) {
		t = (struct kes_target){ o->files[0], NULL, false, true };
		return hist_one(o, &t, "file");
	}
	if (!o->vm) {
		if ((r = kes_system_path(&o->src, base)) || (r = kes_path(path, "%s_hist", base)))
			return r;
		t.path = path;
		return hist_one(o, &t, "system-wide");
	}
	if ((r = kes_find_vm(&o->src, o->vm_by, o->vm, &vm)))
		return r;
	t = (struct kes_target){ path, vm.id, false, false };
	if (!o->vcpus) {
		snprintf(title, sizeof(title), "VM %s", vm.id);
		return (r = kes_path(path, "%s/exit_stats_hist", vm.dir)) ? r : hist_one(o, &t, title);
	}
	r = kes_list_vcpus(&o->src, &vm, &ids, &n);
	for (i = 0; !r && i < n; i++) {
		if (o->vcpu >= 0 && ids[i] != o->vcpu)
			continue;
		snprintf(title, sizeof(title), "VM %s vCPU %d", vm.id, ids[i]);
		if (shown++)
			fputc('\n', stdout);
		r = kes_path(path, "%s/vcpu%d/exit_stats_hist", vm.dir, ids[i]);
		if (!r)
			r = hist_one(o, &t, title);
	}
	free(ids);
	if (!r && !shown)
		return kes_complain(KES_EXIT_NO_VM, "VM %s has no vCPU %ld", vm.id, o->vcpu);
	return r;
}

int main(int argc, char **argv)
{
	struct kes_options o = { .src = { "/sys/kernel/debug", "/proc", "/sys/kernel/security",
						     "/sys" } };
	struct target t;
	struct kes_vm vm;
	kes_path_buf path;
	int r;

	r = kes_parse_options(argc, argv, &o);
	if (r)
		return r < 0 ? KES_EXIT_OK : r;
	switch (o.mode) {
	case KES_MODE_LIST:
		return list_vms(&o);
	case KES_MODE_RESET:
	case KES_MODE_DUMP:
	case KES_MODE_ACCESS:
		return control(&o);
	case KES_MODE_HIST:
		return hist_report(&o);
	case KES_MODE_REPORT:
		break;
	}
	if (o.nfiles)
		return report_files(&o);
	if ((r = target_system(&o, &t, path)))
		return r;
	if (o.interval) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	if (o.nvms > 1)
		return report_vms(&o);
	if (o.vm) {
		r = kes_find_vm(&o.src, o.vm_by, o.vm, &vm);
		if (r)
			return r;
		if (o.vcpus)
			return report_vcpus(&o, &vm);
		target_vm(&vm, &t);
	}
	if (o.output == KES_OUT_PROMETHEUS)
		return o.interval ? prometheus_intervals(&o, o.vm ? &t : NULL) :
				    prometheus(&o, o.vm ? &t : NULL);
	return o.interval ? report_intervals(&o, &t, 1) : report_once(&o, &t);
}
