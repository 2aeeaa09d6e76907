// SPDX-License-Identifier: GPL-2.0
/*
 * A real Linux guest: QEMU with KVM, inside the lab kernel, boots Linux
 * (L2) whose init runs kvm-exitstat-guest (lab/l2/init).  The tool's numbers,
 * read through CPUID, must agree with the host's per-VM file read right
 * after: for every reason, the guest saw no more than the file has, and no
 * less than the file has minus every exit that happened after the tool
 * began to read (its "total_at_start").
 *
 * Usage: linux_guest_test   (needs /usr/bin/qemu-system-x86_64, /l2/...)
 */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static pid_t start_qemu(FILE **out)
{
	int fd[2];
	pid_t pid;

	TEST_ASSERT(!pipe(fd), "pipe: %s", strerror(errno));
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		execl("/usr/bin/qemu-system-x86_64", "qemu-system-x86_64", "-enable-kvm",
		      "-cpu", "qemu64", "-m", "128M", "-smp", "1", "-nodefaults",
		      "-display", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
		      "-bios", "/usr/share/qemu/qboot.rom", "-kernel", "/l2/bzImage",
		      "-initrd", "/l2/initrd.gz", "-append", "console=ttyS0 panic=-1 quiet",
		      (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	*out = fdopen(fd[0], "r");
	return pid;
}

int main(void)
{
	static struct guest_view g;
	static char line[16384], json[16384];
	struct kes_stats host;
	unsigned long long after;
	char pattern[64];
	struct timespec t0, t1;
	glob_t gl;
	FILE *out;
	pid_t pid;
	bool up = false, done = false, ok = true;
	unsigned int i;
	size_t r;

	ksft_print_header();
	ksft_set_plan(3);
	set_param("exit_stats_cpuid", "vm");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = start_qemu(&out);
	json[0] = '\0';
	while (fgets(line, sizeof(line), out)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strstr(line, "KES-L2-UP"))
			up = true;
		if (!strncmp(line, "KES-L2-JSON ", 12))
			snprintf(json, sizeof(json), "%s", line + 12);
		else if (strstr(line, "KES-L2-DONE")) {
			done = true;
			break;
		} else if (up) {
			ksft_print_msg("L2| %s\n", line);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/kvm/%d-*/exit_stats", pid);
	TEST_ASSERT(done, "the Linux guest did not get to KES-L2-DONE");
	TEST_ASSERT(!glob(pattern, 0, NULL, &gl) && gl.gl_pathc == 1,
		    "no single %s while the guest runs", pattern);
	stats_load(gl.gl_pathv[0], &host);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	set_param("exit_stats_cpuid", "system");
	ksft_print_msg("Linux guest up and read in %.1f s of L1 time; the host's file:\n",
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (r = 0; r < host.nrows; r++)
		if (host.rows[r].s.count)
			ksft_print_msg("host| %u %s %llu %llu\n", host.rows[r].reason, host.rows[r].name,
				       (unsigned long long)host.rows[r].s.count,
				       (unsigned long long)host.rows[r].s.cycles);
	ksft_print_msg("host| - TOTAL %llu %llu\n", (unsigned long long)host.total.count,
		       (unsigned long long)host.total.cycles);

	ksft_test_result(parse_json(json, &g) && !strcmp(g.isa, kes_isa_name(lab_isa())) &&
			 !strcmp(g.scope, "vm"),
			 "the guest tool found the host's statistics (isa %s, scope vm)\n",
			 kes_isa_name(lab_isa()));

	/* Exits after the tool began to read: the tolerance of every row. */
	after = host.total.count - g.start_count;
	ksft_print_msg("guest: %llu exits when it began to read, %llu when done; host: %llu\n",
		       g.start_count, g.count_total, (unsigned long long)host.total.count);
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
	kes_stats_free(&host);
	globfree(&gl);
	ksft_finished();
}
