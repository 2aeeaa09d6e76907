// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition format 0.0.4, ready for node_exporter's
 * textfile collector (no timestamps): counters of exits, cycles and seconds
 * (the base unit), system-wide (kvm_exit*) and per VM (kvm_vm_exit*, with a
 * vm label), separate families so that a sum over one never counts an exit
 * twice.  A fleet scrapes thousands of hosts: by default a VM exports its
 * exits and exit-to-entry only, with an info series naming it, and the
 * histograms are of exit-to-entry only (--all-series: everything).  Names
 * and labels: docs/interfaces.md.
 */
#include "format.h"

#include <inttypes.h>
#include <string.h>

#include "escape.h"

enum value { V_EXITS, V_CYCLES, V_SECONDS, V_TIMED, V_E2E, V_USER, V_BLOCKED, V_PREEMPTED };

struct family {
	const char *name;
	enum value value;
	const char *help;
	bool fleet;		/* in the default export (per VM: without --all-series) */
};

static const struct family system_families[] = {
	{ "kvm_exits_total", V_EXITS,
	  "VM exits KVM handled, all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exit_handling_cycles_total", V_CYCLES,
	  "TSC cycles KVM spent handling VM exits, all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exit_handling_seconds_total", V_SECONDS,
	  "Seconds KVM spent handling VM exits, all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exits_timed_total", V_TIMED,
	  "VM exits timed (at the vCPU's next VM-entry), all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exit_to_entry_cycles_total", V_E2E,
	  "TSC cycles from VM exit to the next VM-entry of the exits timed, all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exit_user_cycles_total", V_USER,
	  "TSC cycles of exit-to-entry spent in user space (the VMM), all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exit_blocked_cycles_total", V_BLOCKED,
	  "TSC cycles of exit-to-entry spent blocked (halted), all VMs since boot or reset, by exit reason.", true },
	{ "kvm_exit_preempted_cycles_total", V_PREEMPTED,
	  "TSC cycles of exit-to-entry spent scheduled out, all VMs since boot or reset, by exit reason.", true },
};

static const struct family vm_families[] = {
	{ "kvm_vm_exits_total", V_EXITS,
	  "VM exits KVM handled for one VM since it was created or reset, by exit reason.", true },
	{ "kvm_vm_exit_handling_cycles_total", V_CYCLES,
	  "TSC cycles KVM spent handling one VM's exits since it was created or reset, by exit reason.", false },
	{ "kvm_vm_exit_handling_seconds_total", V_SECONDS,
	  "Seconds KVM spent handling one VM's exits since it was created or reset, by exit reason.", false },
	{ "kvm_vm_exits_timed_total", V_TIMED,
	  "One VM's exits timed (at the vCPU's next VM-entry) since it was created or reset, by exit reason.", false },
	{ "kvm_vm_exit_to_entry_cycles_total", V_E2E,
	  "TSC cycles from VM exit to the next VM-entry of one VM's exits timed, by exit reason.",
	  true },
	{ "kvm_vm_exit_user_cycles_total", V_USER,
	  "TSC cycles of one VM's exit-to-entry spent in user space (the VMM), by exit reason.", false },
	{ "kvm_vm_exit_blocked_cycles_total", V_BLOCKED,
	  "TSC cycles of one VM's exit-to-entry spent blocked (halted), by exit reason.", false },
	{ "kvm_vm_exit_preempted_cycles_total", V_PREEMPTED,
	  "TSC cycles of one VM's exit-to-entry spent scheduled out, by exit reason.", false },
};

/* A series' labels, closed with @end (NULL: left open, for one more label). */
static void labels(FILE *f, const struct kes_report *rep, const struct kes_report_row *r,
		   const char *end)
{
	fputc('{', f);
	if (rep->who.vm) {
		fputs("vm=", f);
		kes_fput_escaped(f, rep->who.vm, KES_ESC_PROM_LABEL);
		/* always: a family's series have one set of labels ("" is none) */
		fputs(",guest=", f);
		kes_fput_escaped(f, rep->who.guest ? rep->who.guest : "", KES_ESC_PROM_LABEL);
		fputc(',', f);
	}
	fprintf(f, "isa=\"%s\",", kes_isa_name(rep->isa));
	if (r->kind == KES_ROW_REASON)
		fprintf(f, "reason=\"%" PRIu32 "\",name=", r->reason);
	else
		fputs("reason=\"unlisted\",name=", f);
	kes_fput_escaped(f, r->name, KES_ESC_PROM_LABEL);
	if (end)
		fputs(end, f);
}

static bool has_value(const struct kes_report *rep, enum value v)
{
	if (v == V_SECONDS)
		return kes_times_known(rep);
	return v < V_E2E || rep->split;
}

static uint64_t value_of(const struct kes_report_row *r, enum value v)
{
	switch (v) {
	case V_EXITS:
		return r->count;
	case V_TIMED:
		return r->timed;
	case V_E2E:
		return r->e2e;
	case V_USER:
		return r->user;
	case V_BLOCKED:
		return r->blocked;
	case V_PREEMPTED:
		return r->preempted;
	default:
		return r->cycles;
	}
}

static void family(FILE *f, const struct family *fam, const struct kes_report *reps, size_t n,
		   bool vms)
{
	bool any = false;
	size_t i, j;

	for (i = 0; i < n; i++)
		any |= !reps[i].who.vm == !vms && reps[i].n && has_value(&reps[i], fam->value);
	if (!any)
		return;
	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", fam->name, fam->help, fam->name);
	for (i = 0; i < n; i++) {
		const struct kes_report *rep = &reps[i];

		if (!rep->who.vm != !vms || !has_value(rep, fam->value))
			continue;
		for (j = 0; j < rep->n; j++) {
			const struct kes_report_row *r = &rep->rows[j];

			fputs(fam->name, f);
			labels(f, rep, r, "}");
			if (fam->value == V_SECONDS)
				fprintf(f, " %.9f\n", kes_cycles_to_us(rep, (double)r->cycles) / 1e6);
			else
				fprintf(f, " %" PRIu64 "\n", value_of(r, fam->value));
		}
	}
}

/* The report's row of @reason, or NULL. */
static const struct kes_report_row *row_of(const struct kes_report *rep, uint32_t reason)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (rep->rows[i].kind == KES_ROW_REASON && rep->rows[i].reason == reason)
			return &rep->rows[i];
	return NULL;
}

/*
 * The system-wide histograms as Prometheus histograms, in seconds: buckets
 * le = 2^i TSC cycles (KVM's LOG_HIST bucket i holds the times below that),
 * i = 0..30, and +Inf; _sum from the statistics' totals of the same exits.
 * A reason whose histograms do not hold exactly its exits timed (they began
 * after its first exits: the tier was switched on later) is left out, as its
 * _sum would not match; so is "other".
 */
static void histograms(FILE *f, const struct kes_report *rep, bool all_series)
{
	static const struct { const char *name, *help; int kind; bool fleet; } fams[] = {
		{ "kvm_exit_to_entry_seconds", "Exit-to-entry time of VM exits (from the VM exit to the vCPU's next VM-entry), all VMs, by exit reason.", KES_HIST_E2E, true },
		{ "kvm_exit_in_kvm_seconds", "Time in KVM of VM exits (exit-to-entry but user space, blocked and preempted), all VMs, by exit reason.", KES_HIST_KVM, false },
	};
	const struct kes_hists *h = rep->hist;
	double hz = rep->tsc_khz * 1000.0;
	size_t i, k;
	int b;

	if (!h || !rep->tsc_khz || !h->nrows)
		return;
	for (k = 0; k < sizeof(fams) / sizeof(fams[0]); k++) {
		if (!fams[k].fleet && !all_series)
			continue;
		fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", fams[k].name, fams[k].help,
			fams[k].name);
		for (i = 0; i < h->nrows; i++) {
			const struct kes_hist_row *hr = &h->rows[i];
			const struct kes_report_row *r = hr->other ? NULL : row_of(rep, hr->reason);
			const uint64_t *bk = hr->b[fams[k].kind];
			uint64_t cum = 0, sum;

			if (!r || r->timed != kes_hist_sum(bk))
				continue;
			sum = fams[k].kind == KES_HIST_E2E ? r->e2e : r->cycles;
			for (b = 0; b < KES_HIST_BUCKETS; b++) {
				cum += bk[b];
				fprintf(f, "%s_bucket", fams[k].name);
				labels(f, rep, r, NULL);
				if (b == KES_HIST_BUCKETS - 1)
					fputs(",le=\"+Inf\"}", f);
				else
					fprintf(f, ",le=\"%.9g\"}", (double)(1ULL << b) / hz);
				fprintf(f, " %" PRIu64 "\n", cum);
			}
			fprintf(f, "%s_sum", fams[k].name);
			labels(f, rep, r, "}");
			fprintf(f, " %.9f\n%s_count", sum / hz, fams[k].name);
			labels(f, rep, r, "}");
			fprintf(f, " %" PRIu64 "\n", cum);
		}
	}
}

/* Each VM's name and process: kvm_vm_info, 1 per VM, for joins on the vm label. */
static void vm_info(FILE *f, const struct kes_report *reps, size_t n)
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *id = reps[i].who.vm;

		if (!id)
			continue;
		if (!any)
			fputs("# HELP kvm_vm_info A VM: its debugfs folder (vm), the guest's name "
			      "(guest, empty if the VMM names none) and the VMM's process (pid).\n"
			      "# TYPE kvm_vm_info gauge\n", f);
		any = true;
		fputs("kvm_vm_info{vm=", f);
		kes_fput_escaped(f, id, KES_ESC_PROM_LABEL);
		fputs(",guest=", f);
		kes_fput_escaped(f, reps[i].who.guest ? reps[i].who.guest : "", KES_ESC_PROM_LABEL);
		fprintf(f, ",pid=\"%.*s\"} 1\n", (int)strcspn(id, "-"), id);
	}
}

void kes_print_prometheus(FILE *f, const struct kes_report *reps, size_t n, bool all_series)
{
	size_t i;

	if (n) {
		fputs("# HELP kvm_exit_stats_tsc_hertz The host's TSC frequency, which the cycles "
		      "count (0: unknown).\n# TYPE kvm_exit_stats_tsc_hertz gauge\n", f);
		fprintf(f, "kvm_exit_stats_tsc_hertz{isa=\"%s\"} %" PRIu64 "\n",
			kes_isa_name(reps[0].isa), reps[0].tsc_khz * 1000);
		if (!kes_times_known(&reps[0]))
			fputs("# the kernel reports tsc_khz=0: no seconds, only cycles\n", f);
	}
	for (i = 0; i < sizeof(system_families) / sizeof(system_families[0]); i++)
		family(f, &system_families[i], reps, n, false);
	vm_info(f, reps, n);
	for (i = 0; i < sizeof(vm_families) / sizeof(vm_families[0]); i++)
		if (vm_families[i].fleet || all_series)
			family(f, &vm_families[i], reps, n, true);
	for (i = 0; i < n; i++)
		if (!reps[i].who.vm)
			histograms(f, &reps[i], all_series);
}
