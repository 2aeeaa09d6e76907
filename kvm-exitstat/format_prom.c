// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition format 0.0.4, ready for node_exporter's
 * textfile collector (no timestamps): counters of exits, cycles and seconds
 * (the base unit), system-wide (kvm_exit*) and per VM (kvm_vm_exit*, with a
 * vm label), separate families so that a sum over one never counts an exit
 * twice.  Names and labels: docs/interfaces.md.
 */
#include "format.h"

#include <inttypes.h>

#include "escape.h"

enum value { V_EXITS, V_CYCLES, V_SECONDS, V_TIMED, V_E2E, V_USER, V_BLOCKED, V_PREEMPTED };

struct family {
	const char *name;
	enum value value;
	const char *help;
};

static const struct family system_families[] = {
	{ "kvm_exits_total", V_EXITS,
	  "VM exits KVM handled, all VMs since boot or reset, by exit reason." },
	{ "kvm_exit_handling_cycles_total", V_CYCLES,
	  "TSC cycles KVM spent handling VM exits, all VMs since boot or reset, by exit reason." },
	{ "kvm_exit_handling_seconds_total", V_SECONDS,
	  "Seconds KVM spent handling VM exits, all VMs since boot or reset, by exit reason." },
	{ "kvm_exits_timed_total", V_TIMED,
	  "VM exits timed (at the vCPU's next VM-entry), all VMs since boot or reset, by exit reason." },
	{ "kvm_exit_to_entry_cycles_total", V_E2E,
	  "TSC cycles from VM exit to the next VM-entry of the exits timed, all VMs since boot or reset, by exit reason." },
	{ "kvm_exit_user_cycles_total", V_USER,
	  "TSC cycles of exit-to-entry spent in user space (the VMM), all VMs since boot or reset, by exit reason." },
	{ "kvm_exit_blocked_cycles_total", V_BLOCKED,
	  "TSC cycles of exit-to-entry spent blocked (halted), all VMs since boot or reset, by exit reason." },
	{ "kvm_exit_preempted_cycles_total", V_PREEMPTED,
	  "TSC cycles of exit-to-entry spent scheduled out, all VMs since boot or reset, by exit reason." },
};

static const struct family vm_families[] = {
	{ "kvm_vm_exits_total", V_EXITS,
	  "VM exits KVM handled for one VM since it was created or reset, by exit reason." },
	{ "kvm_vm_exit_handling_cycles_total", V_CYCLES,
	  "TSC cycles KVM spent handling one VM's exits since it was created or reset, by exit reason." },
	{ "kvm_vm_exit_handling_seconds_total", V_SECONDS,
	  "Seconds KVM spent handling one VM's exits since it was created or reset, by exit reason." },
	{ "kvm_vm_exits_timed_total", V_TIMED,
	  "One VM's exits timed (at the vCPU's next VM-entry) since it was created or reset, by exit reason." },
	{ "kvm_vm_exit_to_entry_cycles_total", V_E2E,
	  "TSC cycles from VM exit to the next VM-entry of one VM's exits timed, by exit reason." },
	{ "kvm_vm_exit_user_cycles_total", V_USER,
	  "TSC cycles of one VM's exit-to-entry spent in user space (the VMM), by exit reason." },
	{ "kvm_vm_exit_blocked_cycles_total", V_BLOCKED,
	  "TSC cycles of one VM's exit-to-entry spent blocked (halted), by exit reason." },
	{ "kvm_vm_exit_preempted_cycles_total", V_PREEMPTED,
	  "TSC cycles of one VM's exit-to-entry spent scheduled out, by exit reason." },
};

static void labels(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
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
	fputc('}', f);
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
			labels(f, rep, r);
			if (fam->value == V_SECONDS)
				fprintf(f, " %.9f\n", kes_cycles_to_us(rep, (double)r->cycles) / 1e6);
			else
				fprintf(f, " %" PRIu64 "\n", value_of(r, fam->value));
		}
	}
}

void kes_print_prometheus(FILE *f, const struct kes_report *reps, size_t n)
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
	for (i = 0; i < sizeof(vm_families) / sizeof(vm_families[0]); i++)
		family(f, &vm_families[i], reps, n, true);
}
