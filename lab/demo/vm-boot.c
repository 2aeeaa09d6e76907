// SPDX-License-Identifier: GPL-2.0
/*
 * vm-boot: records one boot of a real Linux guest, for make demo.  Runs in
 * the lab's L1 (the host of the guest), as the only VM there:
 *
 *   vm-boot DIR -- QEMU ARGS...
 *
 * 1. Copies the system-wide exit_stats file to DIR/start, starts
 *    "kvm-exitstat -i 0.1 --csv" (the timeline, DIR/timeline.csv).
 * 2. Starts QEMU, whose stdout must carry SeaBIOS's debug port (isa-debugcon
 *    at 0x402) and the guest's serial console.  Lets the guest's kernel read
 *    its own statistics (kvm-exitstat --guest-access vm).
 * 3. At each phase boundary, the moment it sees it, copies the system-wide
 *    file to DIR/mark-NAME and notes the time in DIR/marks: "kernel" when
 *    SeaBIOS hands over to the kernel loader ("Booting from ROM"),
 *    "userspace" and "shutdown" when the guest's init says
 *    "KES-L2-PHASE NAME", "end" when QEMU has ended.
 * 4. Keeps the guest's console (DIR/console, each line after the time it
 *    came, CLOCK_REALTIME), its KES-L2-JSON line
 *    (DIR/guest.json) and the VM's own file right after it (DIR/vm, its
 *    histograms DIR/vm-hist, and KVM's pages_4k, pages_2m, pages_1g of
 *    the VM).
 * 5. Stops the timeline, copies the file to DIR/end.
 * 6. Throughout, every HIST_EVERY_S seconds, the system-wide histograms
 *    (kvm.exit_stats=hist), all reasons added up, one line per kind into
 *    DIR/hist-timeline: "TIME e2e|kvm BUCKET_0 ... BUCKET_31".  Consecutive
 *    lines differ by the exits timed in between: the report's heatmap of
 *    the exits' times over the boot.
 *
 * Phase totals are differences of the copies, so they add up to end - start
 * exactly; the timeline's intervals add up to the same, because nothing
 * else runs a VM meanwhile.  Times are CLOCK_REALTIME, as kvm-exitstat's.
 *
 * A boot normally takes 10-20 s of L1 time.  Every 10 s vm-boot says how
 * far the guest got (KES-PROGRESS, for the host's progress and its silence
 * watchdog).  A guest that prints nothing for STALL_S seconds, or runs more
 * than BOOT_TIMEOUT_S, has stalled: vm-boot writes DIR/stalled (why, the
 * guest's last console lines, its exits of the last second by reason), stops
 * QEMU and exits with status 2, so that the caller can boot it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "histfile.h"

#define SYSTEM_STATS	"/sys/kernel/debug/kvm/exit_stats"
#define SYSTEM_HIST	SYSTEM_STATS "_hist"
#define HIST_EVERY_S	0.5
#define BOOT_TIMEOUT_S	180
#define STALL_S		30
#define TAIL_LINES	20
#define EXIT_STALLED	2

static const char *dir;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "vm-boot: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static void copy(const char *from, const char *name)
{
	char path[512], buf[8192];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (in < 0 || out < 0)
		fail("cannot copy %s", from);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			fail("cannot write %s", path);
	close(in);
	close(out);
}

/* The phase that begins now: the system-wide file as it is, and the time. */
static void mark(FILE *marks, const char *name)
{
	char file[64];

	snprintf(file, sizeof(file), "mark-%s", name);
	copy(SYSTEM_STATS, file);
	fprintf(marks, "%s %.6f\n", name, now());
	fflush(marks);
}

static pid_t spawn(char *const argv[], int out_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		if (out_fd >= 0) {
			dup2(out_fd, 1);
			dup2(out_fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* The VM's own file, once QEMU has made it. */
static const char *vm_file(pid_t qemu)
{
	static char path[128];
	char pattern[96];
	glob_t gl;

	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/kvm/%d-*/exit_stats", qemu);
	if (glob(pattern, 0, NULL, &gl) || gl.gl_pathc != 1) {
		globfree(&gl);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s", gl.gl_pathv[0]);
	globfree(&gl);
	return path;
}

/*
 * The VM's own exit_stats file (DIR/vm) and KVM's counts of the guest's
 * memory mapped in 4K, 2M and 1G pages (DIR/pages_4k, ...): how nested
 * paging maps the guest explains its nested page faults / EPT violations.
 */
static void copy_vm_files(const char *stats)
{
	static const char *const pages[] = { "pages_4k", "pages_2m", "pages_1g" };
	char path[160];
	size_t i;

	copy(stats, "vm");
	snprintf(path, sizeof(path), "%s_hist", stats);
	if (!access(path, R_OK))
		copy(path, "vm-hist");	/* the VM's histograms (kvm.exit_stats=hist) */
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		snprintf(path, sizeof(path), "%.*s%s", (int)(strrchr(stats, '/') + 1 - stats),
			 stats, pages[i]);
		copy(path, pages[i]);
	}
}

/*
 * One line per kind of the system-wide histograms, every reason added up,
 * into @out at the time of the read; nothing while there are none (not the
 * tier hist).
 */
static void hist_sample(FILE *out)
{
	static const char *const kinds[KES_HIST_KINDS] = { "e2e", "kvm" };
	uint64_t sum[KES_HIST_KINDS][KES_HIST_BUCKETS] = { { 0 } };
	struct kes_hists h;
	char err[256];
	double t = now();
	size_t r;
	int k, b;

	if (kes_hists_load(SYSTEM_HIST, &h, err, sizeof(err)))
		return;
	for (r = 0; r < h.nrows; r++)
		for (k = 0; k < KES_HIST_KINDS; k++)
			for (b = 0; b < KES_HIST_BUCKETS; b++)
				sum[k][b] += h.rows[r].b[k][b];
	kes_hists_free(&h);
	for (k = 0; k < KES_HIST_KINDS; k++) {
		fprintf(out, "%.6f %s", t, kinds[k]);
		for (b = 0; b < KES_HIST_BUCKETS; b++)
			fprintf(out, " %llu", (unsigned long long)sum[k][b]);
		fputc('\n', out);
	}
	fflush(out);
}

static void opt_in(pid_t qemu)
{
	char pid[16];
	char *argv[] = { "/tests/kvm-exitstat", "--guest-access", "vm", "-p", pid, NULL };
	int status;

	snprintf(pid, sizeof(pid), "%d", qemu);
	waitpid(spawn(argv, -1), &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("kvm-exitstat --guest-access vm -p %s failed", pid);
}

/* The exits of the VM of @qemu over one second, by reason, into @f. */
static void exits_per_second(FILE *f, pid_t qemu)
{
	char a[16384], b[16384], *la, *lb, *sa, *sb;
	const char *path = vm_file(qemu);
	FILE *in;
	size_t na, nb;

	if (!path) {
		fprintf(f, "the VM is gone from debugfs\n");
		return;
	}
	in = fopen(path, "r");
	na = in ? fread(a, 1, sizeof(a) - 1, in) : 0;
	if (in)
		fclose(in);
	sleep(1);
	in = fopen(path, "r");
	nb = in ? fread(b, 1, sizeof(b) - 1, in) : 0;
	if (in)
		fclose(in);
	a[na] = '\0';
	b[nb] = '\0';
	fprintf(f, "its exits in the last second, by reason (none: it does not run; only\n"
		"interrupts: it spins without asking anything of KVM):\n");
	for (la = strtok_r(a, "\n", &sa), lb = strtok_r(b, "\n", &sb); la && lb;
	     la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb)) {
		char name[64];
		unsigned long long ca, cb;

		if (sscanf(la, "%*s %63s %llu", name, &ca) == 2 &&
		    sscanf(lb, "%*s %*s %llu", &cb) == 1 && cb != ca && la[0] != '#')
			fprintf(f, "  %s %llu\n", name, cb - ca);
	}
}

static void stalled(pid_t qemu, const char *why, char tail[][160], unsigned int lines)
{
	char path[512];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stalled", dir);
	f = fopen(path, "w");
	if (!f)
		fail("cannot write %s", path);
	fprintf(f, "%s\n", why);
	exits_per_second(f, qemu);
	fprintf(f, "the guest's last console lines:\n");
	for (i = lines > TAIL_LINES ? lines - TAIL_LINES : 0; i < lines; i++)
		fprintf(f, "  | %s\n", tail[i % TAIL_LINES]);
	fclose(f);
	kill(qemu, SIGKILL);
	waitpid(qemu, NULL, 0);
}

int main(int argc, char **argv)
{
	static char tail[TAIL_LINES][160];
	unsigned int lines = 0;
	double last_line, next_progress;
	char *sampler_argv[] = { "/tests/kvm-exitstat", "-i", "0.1", "--csv", NULL };
	char path[512], line[16384];
	size_t len = 0;
	FILE *marks, *console, *json, *hists;
	int fd[2], tl, status;
	pid_t sampler, qemu;
	bool opted_in = false;
	double deadline, next_hist;

	if (argc < 4 || strcmp(argv[2], "--"))
		fail("%s", "usage: vm-boot DIR -- QEMU ARGS...");
	dir = argv[1];
	snprintf(path, sizeof(path), "%s/marks", dir);
	marks = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/console", dir);
	console = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/hist-timeline", dir);
	hists = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/timeline.csv", dir);
	tl = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (!marks || !console || !hists || tl < 0)
		fail("cannot write in %s", dir);

	copy(SYSTEM_STATS, "start");
	hist_sample(hists);
	next_hist = now() + HIST_EVERY_S;
	sampler = spawn(sampler_argv, tl);
	usleep(300 * 1000);	/* its first reading, before the VM exists */

	if (pipe(fd))
		fail("pipe: %s", strerror(errno));
	fprintf(marks, "firmware %.6f\n", now());
	qemu = spawn(&argv[3], fd[1]);
	close(fd[1]);
	deadline = now() + BOOT_TIMEOUT_S;
	last_line = now();
	next_progress = now() + 10;
	for (;;) {
		struct pollfd p = { .fd = fd[0], .events = POLLIN };
		char *nl;
		ssize_t n;

		if (!opted_in && vm_file(qemu)) {
			opt_in(qemu);
			opted_in = true;
		}
		if (now() > deadline || now() > last_line + STALL_S) {
			stalled(qemu, now() > deadline ? "the boot took more than 180 s" :
				"the guest printed nothing for 30 s", tail, lines);
			kill(sampler, SIGINT);
			waitpid(sampler, NULL, 0);
			return EXIT_STALLED;
		}
		if (now() > next_hist) {
			hist_sample(hists);
			next_hist += HIST_EVERY_S;
		}
		if (now() > next_progress) {
			printf("KES-PROGRESS   ... %.0f s into the boot, %u console lines\n",
			       now() - (deadline - BOOT_TIMEOUT_S), lines);
			fflush(stdout);
			next_progress += 10;
		}
		if (poll(&p, 1, 20) <= 0)
			continue;
		n = read(fd[0], line + len, sizeof(line) - 1 - len);
		if (n <= 0)
			break;	/* QEMU ended */
		len += n;
		line[len] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			fprintf(console, "%.6f %s\n", now(), line);
			snprintf(tail[lines++ % TAIL_LINES], sizeof(tail[0]), "%.*s",
				 (int)sizeof(tail[0]) - 1, line);
			last_line = now();
			if (strstr(line, "Booting from ROM"))
				mark(marks, "kernel");
			else if (!strcmp(line, "KES-L2-PHASE userspace"))
				mark(marks, "userspace");
			else if (!strcmp(line, "KES-L2-PHASE shutdown"))
				mark(marks, "shutdown");
			else if (!strncmp(line, "KES-L2-JSON ", 12)) {
				snprintf(path, sizeof(path), "%s/guest.json", dir);
				json = fopen(path, "w");
				if (json) {
					fprintf(json, "%s\n", line + 12);
					fclose(json);
				}
				if (vm_file(qemu))
					copy_vm_files(vm_file(qemu));
			}
			len -= nl + 1 - line;
			memmove(line, nl + 1, len + 1);
		}
		if (len == sizeof(line) - 1)
			len = 0;	/* a line too long: dropped */
	}
	waitpid(qemu, &status, 0);
	mark(marks, "end");
	hist_sample(hists);
	fclose(hists);
	usleep(300 * 1000);	/* a last reading of the timeline, after the end */
	kill(sampler, SIGINT);
	waitpid(sampler, NULL, 0);
	copy(SYSTEM_STATS, "end");
	fclose(marks);
	fclose(console);
	close(tl);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
