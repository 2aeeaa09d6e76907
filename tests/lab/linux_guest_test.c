// SPDX-License-Identifier: GPL-2.0
/*
 * A real Linux guest: QEMU with KVM, inside the lab kernel, boots Linux
 * (L2) whose init runs kvm-exitstat-guest (lab/l2/init).  The tool's numbers,
 * read through CPUID, must agree with the host's per-VM file, read while
 * QEMU is stopped right after the tool's read (L2 prints KES-L2-READ and
 * waits for a line on its console): for every reason, the guest saw no more
 * than the file has, and no less than the file has minus the exits since
 * the tool began to read (its "total_at_start"), which are the read's own
 * and those of one console line.  Then QEMU itself, asked over QMP
 * (query-stats, the vCPU's KVM statistics) while it is stopped, must answer
 * the exit statistics of KVM's binary statistics equal to the vCPU's
 * debugfs file.
 *
 * Usage: linux_guest_test   (needs /usr/bin/qemu-system-x86_64, /l2/...)
 */
#include <errno.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lab_test.h"

#define MAX_ROWS 256

struct guest_view {
	char isa[8], scope[8];
	unsigned int n;
	uint32_t reason[MAX_ROWS];
	char name[MAX_ROWS][KES_NAME_MAX];
	unsigned long long count[MAX_ROWS], cycles[MAX_ROWS];
	unsigned long long start_count, count_total, cycles_total;
};

/* The tool's JSON (kvm-exitstat-guest --json), which is flat enough to scan. */
static bool parse_json(const char *j, struct guest_view *g)
{
	const char *p;

	memset(g, 0, sizeof(*g));
	if (sscanf(j, "{\"isa\":\"%7[a-z]\",\"layout\":\"%*c\",\"scope\":\"%7[a-z]\"",
		   g->isa, g->scope) != 2)
		return false;
	for (p = strstr(j, "{\"reason\":"); p && g->n < MAX_ROWS; p = strstr(p + 1, "{\"reason\":")) {
		if (sscanf(p, "{\"reason\":%u,\"name\":\"%47[^\"]\",\"enabled\":%*[a-z],\"count\":%llu,\"cycles\":%llu",
			   &g->reason[g->n], g->name[g->n], &g->count[g->n], &g->cycles[g->n]) != 4)
			return false;
		g->n++;
	}
	p = strstr(j, "\"total_at_start\":{\"count\":");
	if (!p || sscanf(p, "\"total_at_start\":{\"count\":%llu", &g->start_count) != 1)
		return false;
	p = strstr(j, "\"total\":{\"count\":");
	return p && sscanf(p, "\"total\":{\"count\":%llu,\"cycles\":%llu",
			   &g->count_total, &g->cycles_total) == 2;
}

/*
 * L2 reaches its init in about 3 s of L1 time and reads the statistics in
 * about 1 s more; a boot that takes much longer has stalled.  Seen under
 * QEMU 7.2's emulation of SVM with two L1 CPUs: an interrupt injected into
 * L2 delivered a second time while L2 had interrupts off, deadlocking L2's
 * timer interrupt on its own lock (lab/boot-qemu.sh runs this test's L1 with
 * one CPU, where it was not seen).  A stall is diagnosed, shown, and the
 * guest booted again, at most ATTEMPTS times.
 */
#define UP_TIMEOUT_S	60	/* to KES-L2-UP */
#define DONE_TIMEOUT_S	60	/* from KES-L2-UP to KES-L2-DONE */
#define SILENCE_S	20	/* no console line for this long */
#define ATTEMPTS	3
#define TAIL_LINES	30

struct boot {
	pid_t pid;
	int out;		/* L2's serial console */
	char buf[32768];	/* read from it, not yet a line */
	size_t len;
	FILE *log;		/* and a copy of it, /tmp/l2-console.N.log */
	char tail[TAIL_LINES][160];
	unsigned int lines;
	char json[16384];
	int in;			/* L2's console input */
	struct kes_stats host;	/* the VM's file, read as L2 waited */
	bool host_read;
	double up_s, done_s;	/* L1 seconds from QEMU's start */
	bool opted_in;		/* the host let the guest read its statistics */
	char qmp[64];		/* QEMU's QMP: the FIFOs QMP.in and QMP.out */
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void start_qemu(struct boot *b, unsigned int attempt)
{
	char path[96];
	int fd[2], in[2];

	TEST_ASSERT(!pipe(fd) && !pipe(in), "pipe: %s", strerror(errno));
	/* QMP through FIFOs: the lab kernel has no sockets (no CONFIG_NET). */
	snprintf(b->qmp, sizeof(b->qmp), "/tmp/l2-qmp.%u", attempt);
	for (const char *end = ".in"; end; end = strcmp(end, ".in") ? NULL : ".out") {
		snprintf(path, sizeof(path), "%s%s", b->qmp, end);
		unlink(path);
		TEST_ASSERT(!mkfifo(path, 0600), "mkfifo %s: %s", path, strerror(errno));
	}
	b->pid = fork();
	TEST_ASSERT(b->pid >= 0, "fork: %s", strerror(errno));
	if (!b->pid) {
		dup2(in[0], 0);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(in[1]);
		/* Not quiet: if it stalls, the console shows where. */
		char qmp[96];

		snprintf(qmp, sizeof(qmp), "pipe,id=qmp,path=%s", b->qmp);
		execl("/usr/bin/qemu-system-x86_64", "qemu-system-x86_64", "-enable-kvm",
		      "-cpu", "qemu64", "-m", "128M", "-smp", "1", "-nodefaults",
		      "-chardev", qmp, "-mon", "chardev=qmp,mode=control",
		      "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
		      "-bios", "/usr/share/qemu/qboot.rom", "-kernel", "/l2/bzImage",
		      "-initrd", "/l2/initrd.gz", "-append", "console=ttyS0 panic=-1",
		      (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	close(in[0]);
	b->out = fd[0];
	b->in = in[1];
	b->host_read = false;
	b->len = 0;
	snprintf(path, sizeof(path), "/tmp/l2-console.%u.log", attempt);
	b->log = fopen(path, "w");
	b->lines = 0;
	b->json[0] = '\0';
	b->opted_in = false;
}

/*
 * QEMU cannot opt its VM in itself: the host does, as an operator would,
 * with kvm-exitstat --guest-access (the VM's exit_stats_control file), as
 * soon as the VM exists; the guest tool runs in L2's user space.
 */
static void opt_in(struct boot *b)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "/tests/kvm-exitstat --guest-access vm,user -p %d >/dev/null 2>&1",
		 b->pid);
	b->opted_in = !system(cmd);
}

/* The next console line within @timeout_s: 1, 0 on timeout, -1 at EOF. */
static int next_line(struct boot *b, char *line, size_t size, double timeout_s)
{
	double deadline = now_s() + timeout_s;
	size_t used, copy;
	char *nl;

	while (!(nl = memchr(b->buf, '\n', b->len)) && b->len < sizeof(b->buf)) {
		struct pollfd p = { .fd = b->out, .events = POLLIN };
		double left = deadline - now_s();
		ssize_t r;

		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			return 0;
		r = read(b->out, b->buf + b->len, sizeof(b->buf) - b->len);
		if (r <= 0)
			return -1;
		b->len += r;
	}
	used = nl ? (size_t)(nl - b->buf) + 1 : b->len;	/* a line too long: in parts */
	copy = used < size ? used : size - 1;
	memcpy(line, b->buf, copy);
	line[copy] = '\0';
	memmove(b->buf, b->buf + used, b->len - used);
	b->len -= used;
	line[strcspn(line, "\r\n")] = '\0';
	fprintf(b->log, "%s\n", line);
	snprintf(b->tail[b->lines++ % TAIL_LINES], sizeof(b->tail[0]), "%.*s",
		 (int)sizeof(b->tail[0]) - 1, line);
	return 1;
}

/* The VM's file, with QEMU stopped; then L2 goes on. */
static void snapshot(struct boot *b)
{
	char pattern[64];
	glob_t gl;
	int st;

	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/kvm/%d-*/exit_stats", b->pid);
	/* Stopped when every thread is: the parent hears of it then. */
	TEST_ASSERT(!kill(b->pid, SIGSTOP) && waitpid(b->pid, &st, WUNTRACED) == b->pid &&
		    WIFSTOPPED(st), "stopping QEMU: %s", strerror(errno));
	TEST_ASSERT(!glob(pattern, 0, NULL, &gl) && gl.gl_pathc == 1,
		    "no single %s while the guest runs", pattern);
	stats_load(gl.gl_pathv[0], &b->host);
	globfree(&gl);
	b->host_read = true;
	kill(b->pid, SIGCONT);
	TEST_ASSERT(write(b->in, "go\n", 3) == 3, "writing to L2's console: %s", strerror(errno));
}

/*
 * Reads L2's console up to KES-L2-DONE.  Returns NULL when it got there,
 * else why not.
 */
static const char *watch_boot(struct boot *b)
{
	static char line[16384];
	double t0 = now_s(), deadline = t0 + UP_TIMEOUT_S;
	bool up = false;
	int r;

	for (;;) {
		double left = deadline - now_s();

		r = next_line(b, line, sizeof(line), left < SILENCE_S ? left : SILENCE_S);
		if (r > 0 && !b->opted_in)
			opt_in(b);
		if (r < 0)
			return "QEMU ended before L2 read the statistics";
		if (!r)
			return now_s() >= deadline ?
			       (up ? "no KES-L2-DONE within 60 s of KES-L2-UP" :
				     "no KES-L2-UP within 60 s") :
			       "L2's console was silent for 20 s";
		if (!strcmp(line, "KES-L2-READ") && !b->host_read) {
			snapshot(b);
		} else if (!strncmp(line, "KES-L2-JSON ", 12)) {
			snprintf(b->json, sizeof(b->json), "%s", line + 12);
		} else if (strstr(line, "KES-L2-DONE")) {
			b->done_s = now_s() - t0;
			return NULL;
		} else if (!up && strstr(line, "KES-L2-UP")) {
			up = true;
			b->up_s = now_s() - t0;
			deadline = now_s() + DONE_TIMEOUT_S;
		} else if (up && strncmp(line, "KES-", 4) && line[0] != '[') {
			ksft_print_msg("L2| %s\n", line);	/* the guest tool's table */
		}
	}
}

/*
 * What a stalled L2 does, from its exits over one second: a guest that makes
 * no exits but the host's interrupts spins with nothing to ask of KVM (e.g.
 * on a lock with interrupts off); one that makes none does not run at all.
 */
static void diagnose(const struct boot *b)
{
	struct kes_stats s0, s1;
	char pattern[64], err[200];
	unsigned long long total;
	unsigned int i;
	glob_t gl;
	size_t r;

	ksft_print_msg("retry detail: L2's console, last lines:\n");
	for (i = b->lines > TAIL_LINES ? b->lines - TAIL_LINES : 0; i < b->lines; i++)
		ksft_print_msg("retry detail: L2| %s\n", b->tail[i % TAIL_LINES]);
	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/kvm/%d-*/exit_stats", b->pid);
	if (glob(pattern, 0, NULL, &gl) || gl.gl_pathc != 1) {
		ksft_print_msg("retry detail: no VM of QEMU pid %d in debugfs\n", b->pid);
		return;
	}
	if (!kes_stats_load(gl.gl_pathv[0], &s0, err, sizeof(err))) {
		sleep(1);
		if (!kes_stats_load(gl.gl_pathv[0], &s1, err, sizeof(err))) {
			total = s1.total.count - s0.total.count;
			ksft_print_msg("retry detail: %llu exits so far; in the last second %llu%s\n",
				       (unsigned long long)s1.total.count, total,
				       total ? ", by reason:" : ": L2 does not run");
			for (r = 0; r < s1.nrows; r++) {
				uint64_t d = s1.rows[r].s.count - kes_stats_count(&s0, s1.rows[r].reason);

				if (d)
					ksft_print_msg("retry detail:   %s %llu\n", s1.rows[r].name,
						       (unsigned long long)d);
			}
			kes_stats_free(&s1);
		}
		kes_stats_free(&s0);
	}
	globfree(&gl);
}

/* QEMU that does not answer over QMP: a failure that says so, not a hang. */
static void qmp_timeout(int sig)
{
	static const char msg[] = "# QMP: QEMU did not answer query-stats within 60 s: the test stops\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

/*
 * QMP: one command, and its answer (the line with "return" or "error"),
 * past the events QEMU sends meanwhile.  NULL if QEMU does not answer.
 */
static const char *qmp_command(FILE *f, int fd, const char *cmd)
{
	static char line[1 << 17];

	TEST_ASSERT(write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd), "writing to QMP: %s",
		    strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "\"return\"") || strstr(line, "\"error\""))
			return line;
	return NULL;
}

/* The list of numbers after "@name" in a query-stats answer: how many. */
static unsigned int qmp_values(const char *answer, const char *name, unsigned long long *v,
			       unsigned int max)
{
	char key[64];
	const char *p;
	unsigned int n = 0;
	char *end;

	snprintf(key, sizeof(key), "\"%s\"", name);
	p = strstr(answer, key);
	p = p ? strchr(p, '[') : NULL;
	if (!p)
		return 0;
	for (p++; n < max; p = end) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == ']')
			break;
		v[n++] = strtoull(p, &end, 10);
		if (end == p)
			return 0;
	}
	return n;
}

/*
 * 4. QEMU, stopped over QMP, answers query-stats for its vCPU with the exit
 * statistics of KVM's binary statistics, equal to the vCPU's debugfs file.
 */
static bool query_stats(struct boot *b)
{
	static const char *const names[] = {
		"exit_stats_reason", "exit_stats_count", "exit_stats_cycles_total",
		"exit_stats_e2e_total",
	};
	static unsigned long long v[4][512];
	unsigned int n[4], i, k, shown = 0;
	char pattern[80], line[4096];
	const char *answer;
	struct kes_stats st;
	bool ok = true;
	glob_t gl;
	FILE *f;
	int fd;

	signal(SIGALRM, qmp_timeout);
	alarm(60);
	snprintf(line, sizeof(line), "%s.in", b->qmp);
	fd = open(line, O_WRONLY | O_CLOEXEC);
	snprintf(line, sizeof(line), "%s.out", b->qmp);
	f = fopen(line, "re");
	if (!check(fd >= 0 && f, "opening QEMU's QMP FIFOs %s.in and .out: %s", b->qmp,
		   strerror(errno))) {
		alarm(0);
		return false;
	}
	TEST_ASSERT(f && fgets(line, sizeof(line), f), "no QMP greeting from QEMU");
	ok &= check(qmp_command(f, fd, "{\"execute\": \"qmp_capabilities\"}\n") != NULL,
		    "QMP: qmp_capabilities unanswered");
	ok &= check(qmp_command(f, fd, "{\"execute\": \"stop\"}\n") != NULL,
		    "QMP: stop unanswered");
	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/kvm/%d-*/vcpu0/exit_stats", b->pid);
	TEST_ASSERT(!glob(pattern, 0, NULL, &gl) && gl.gl_pathc == 1, "no single %s", pattern);
	stats_load(gl.gl_pathv[0], &st);
	globfree(&gl);
	answer = qmp_command(f, fd, "{\"execute\": \"query-stats\", \"arguments\": "
			     "{\"target\": \"vcpu\", \"providers\": [{\"provider\": \"kvm\", "
			     "\"names\": [\"exit_stats_reason\", \"exit_stats_count\", "
			     "\"exit_stats_cycles_total\", \"exit_stats_e2e_total\"]}]}}\n");
	ok &= check(answer && !strstr(answer, "\"error\""), "QMP: query-stats: %s",
		    answer ?: "no answer");
	if (answer)
		ksft_print_msg("query-stats| %.240s...\n", answer);
	for (k = 0; answer && k < 4; k++) {
		n[k] = qmp_values(answer, names[k], v[k], 512);
		ok &= check(n[k] == n[0] && n[k] > 0, "query-stats: %u values of %s, %u of %s",
			    n[k], names[k], n[0], names[0]);
	}
	for (i = 0; ok && answer && i < n[0]; i++) {
		const struct kes_row *row = kes_stats_row(&st, v[0][i]);
		unsigned long long want[4] = { v[0][i], row ? row->s.count : 0,
					       row ? row->s.cycles : 0, row ? row->s.e2e : 0 };

		if (v[0][i] == UINT64_MAX)	/* the reasons without a slot */
			continue;
		for (k = 1; k < 4; k++)
			ok &= check(v[k][i] == want[k], "query-stats: reason %llu: %s %llu, "
				    "the vCPU's file has %llu", v[0][i], names[k], v[k][i], want[k]);
		if (v[1][i] && shown++ < 6)
			ksft_print_msg("query-stats| reason %llu (%s): exit_stats_count %llu, "
				       "exit_stats_cycles_total %llu, exit_stats_e2e_total %llu\n",
				       v[0][i], row ? row->name : "?", v[1][i], v[2][i], v[3][i]);
	}
	ok &= check(qmp_command(f, fd, "{\"execute\": \"cont\"}\n") != NULL,
		    "QMP: cont unanswered");
	alarm(0);
	fclose(f);
	close(fd);
	kes_stats_free(&st);
	return ok;
}

static void stop_qemu(struct boot *b)
{
	kill(b->pid, SIGKILL);
	waitpid(b->pid, NULL, 0);
	close(b->out);
	close(b->in);
	fclose(b->log);
}

int main(void)
{
	static struct guest_view g;
	static struct boot b;
	struct kes_stats host;
	unsigned long long after;
	const char *stalled = "not booted";
	unsigned int i, attempt;
	bool ok = true, qmp_ok;
	size_t r;

	ksft_print_header();
	ksft_set_plan(4);
	set_param("exit_stats_cpuid", "vm");	/* the host allows at most a VM's own */
	for (attempt = 1; attempt <= ATTEMPTS && stalled; attempt++) {
		start_qemu(&b, attempt);
		stalled = watch_boot(&b);
		if (!stalled)
			break;
		ksft_print_msg("RETRY: linux_guest: boot %u of L2 failed: %s\n", attempt, stalled);
		diagnose(&b);
		stop_qemu(&b);
	}
	TEST_ASSERT(!stalled, "the Linux guest failed %u boots, the last: %s", ATTEMPTS, stalled);
	TEST_ASSERT(b.host_read, "L2 printed KES-L2-DONE without KES-L2-READ: lab/l2/init is not this test's");
	host = b.host;
	qmp_ok = query_stats(&b);
	stop_qemu(&b);
	set_param("exit_stats_cpuid", "off");
	TEST_ASSERT(b.opted_in, "kvm-exitstat --guest-access vm,user -p %d failed", b.pid);
	ksft_print_msg("Linux guest (boot %u): KES-L2-UP at %.1f s, read at %.1f s of L1 time; the host's file:\n",
		       attempt, b.up_s, b.done_s);
	for (r = 0; r < host.nrows; r++)
		if (host.rows[r].s.count)
			ksft_print_msg("host| %u %s %llu %llu\n", host.rows[r].reason, host.rows[r].name,
				       (unsigned long long)host.rows[r].s.count,
				       (unsigned long long)host.rows[r].s.cycles);
	ksft_print_msg("host| - TOTAL %llu %llu\n", (unsigned long long)host.total.count,
		       (unsigned long long)host.total.cycles);

	ksft_test_result(parse_json(b.json, &g) && !strcmp(g.isa, kes_isa_name(lab_isa())) &&
			 !strcmp(g.scope, "vm"),
			 "the guest tool found the host's statistics (isa %s, scope vm)\n",
			 kes_isa_name(lab_isa()));

	/* Exits after the tool began to read: the tolerance of every row. */
	after = host.total.count - g.start_count;
	ksft_print_msg("guest: %llu exits when it began to read, %llu when done; host: %llu "
		       "(tolerance %llu: %llu during the read, %llu after it)\n",
		       g.start_count, g.count_total, (unsigned long long)host.total.count, after,
		       g.count_total - g.start_count, (unsigned long long)host.total.count - g.count_total);
	ok &= check(host.total.count - g.count_total <= 500,
		    "%llu exits between the guest's read and the host's: more than a console line's",
		    (unsigned long long)host.total.count - g.count_total);
	ok &= check(g.start_count <= g.count_total && g.count_total <= host.total.count,
		    "totals out of order: guest %llu then %llu, host %llu", g.start_count,
		    g.count_total, (unsigned long long)host.total.count);
	for (r = 0; r < host.nrows; r++) {
		const struct kes_row *row = &host.rows[r];
		unsigned long long seen = 0, lo;

		for (i = 0; i < g.n; i++)
			if (g.reason[i] == row->reason)
				seen = g.count[i];
		lo = row->s.count > after ? row->s.count - after : 0;
		ok &= check(seen >= lo && seen <= row->s.count,
			    "%s: the guest saw %llu, the host has %llu, of which at most %llu came later",
			    row->name, seen, (unsigned long long)row->s.count, after);
	}
	for (i = 0; i < g.n; i++)
		ok &= check(!strcmp(g.name[i], kes_reason_name(lab_isa(), g.reason[i]) ?: "?"),
			    "the guest names reason %u %s", g.reason[i], g.name[i]);
	ksft_test_result(ok, "every reason the guest read agrees with the host's per-VM file\n");

	ok = true;
	for (i = 0; i < g.n; i++) {
		const struct kes_row *row = kes_stats_row(&host, g.reason[i]);

		ok &= check(row && g.cycles[i] <= row->s.cycles,
			    "%s: the guest saw %llu cycles, the host has %llu", g.name[i],
			    g.cycles[i], row ? (unsigned long long)row->s.cycles : 0ULL);
	}
	ksft_test_result(ok, "the cycles too: never more than the host's\n");
	ksft_test_result(qmp_ok, "QEMU's query-stats (QMP) answers the vCPU's exit statistics, "
			 "equal to its debugfs file\n");
	kes_stats_free(&host);
	ksft_finished();
}
