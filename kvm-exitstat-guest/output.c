// SPDX-License-Identifier: GPL-2.0
/* What kvm-exitstat-guest prints (output.h). */
#include "output.h"

#include <inttypes.h>
#include <stdio.h>

#include "escape.h"

const char *kes_guest_reason_name(enum kes_isa isa, uint32_t nr)
{
	const char *name = kes_reason_name(isa, nr);

	return name ? name : "UNKNOWN";
}

void kes_guest_reason_str(enum kes_isa isa, uint32_t nr, char *buf, size_t n)
{
	if (isa == KES_ISA_SVM)
		snprintf(buf, n, "0x%03" PRIx32, nr);
	else
		snprintf(buf, n, "%" PRIu32, nr);
}

/*
 * Every exit takes at least one TSC cycle: fewer than 2^32 cycles are fewer
 * than 2^32 exits, so then a 32-bit count has not wrapped.
 */
bool kes_guest_avg(char layout, uint64_t count, uint64_t cycles, uint64_t *avg)
{
	if (layout && (cycles > UINT32_MAX || (!count && cycles)))
		return false;
	*avg = count ? cycles / count : 0;
	return true;
}

/* An average in the table's AVG column: "n/a" if not known. */
static void put_avg(char layout, uint64_t count, uint64_t cycles, bool *unknown)
{
	uint64_t avg;

	if (kes_guest_avg(layout, count, cycles, &avg)) {
		printf(" %10" PRIu64 "\n", avg);
	} else {
		printf(" %10s\n", "n/a");
		*unknown = true;
	}
}

static const char *scope_name(enum kes_scope s)
{
	return s == KES_SCOPE_VM ? "vm" : s == KES_SCOPE_SYSTEM ? "system" : "off";
}

static const char *via_name(enum kes_via via)
{
	return via == KES_VIA_DEVICE ? "device" : "instruction";
}

void kes_print_guest_table(const struct kes_view *v)
{
	const struct kes_host *h = v->host;
	bool cycles_known = v->layout != 'a', not_enabled = false, unreadable = false;
	bool avg_unknown = false;
	char reason[16];
	size_t i;

	if (h->found)
		printf("# host: isa=%s layout=%c scope=%s user=%s abi=%u%s\n", kes_isa_name(v->isa),
		       h->layout, scope_name(h->scope), h->user ? "yes" : "no", h->abi,
		       v->layout ? " (read with its layout's leaves)" : "");
	else
		printf("# host without a signature leaf, read with layout %c's leaves; isa %s\n",
		       v->layout, kes_isa_name(v->isa));
	if (v->via == KES_VIA_DEVICE) {
		fputs("# via ", stdout);
		kes_fput_escaped(stdout, v->device, KES_ESC_TEXT);
		fputs(" (the kernel's cpuid driver)\n", stdout);
	} else {
		printf("# via the CPUID instruction\n");
	}
	printf("%10s  %-25s %14s %18s %10s\n", "REASON", "NAME", "COUNT", "CYCLES", "AVG");
	for (i = 0; i < v->n; i++) {
		const struct kes_reading *r = &v->rd[i];
		const char *name = kes_guest_reason_name(v->isa, r->reason);

		kes_guest_reason_str(v->isa, r->reason, reason, sizeof(reason));
		if (r->state == KES_NOT_ENABLED) {
			not_enabled = true;
			printf("%10s  %-25s %14s %18s %10s\n", reason, name, "-", "-", "-");
		} else if (r->state == KES_UNREADABLE) {
			unreadable = true;
			printf("%10s  %-25s %14s %18s %10s\n", reason, name, "?", "?", "?");
		} else if (!cycles_known) {
			printf("%10s  %-25s %14" PRIu64 " %18s %10s\n", reason, name, r->count, "n/a",
			       "n/a");
		} else {
			printf("%10s  %-25s %14" PRIu64 " %18" PRIu64, reason, name, r->count,
			       r->cycles);
			put_avg(v->layout, r->count, r->cycles, &avg_unknown);
		}
	}
	printf("%10s  %-25s %14" PRIu64 " %18" PRIu64, "", "TOTAL", v->count, v->cycles);
	put_avg(v->layout, v->count, v->cycles, &avg_unknown);
	if (not_enabled)
		printf("# -: KVM does not enable this exit on the host\n");
	if (v->unreadable)
		printf("# %s%zu reason%s at or above 0x80000000 cannot be read through the device "
		       "(its offsets are signed)\n", unreadable ? "?: " : "", v->unreadable,
		       v->unreadable == 1 ? "" : "s");
	if (!cycles_known)
		printf("# n/a: layout a has no leaf for the cycles of one reason\n");
	if (avg_unknown)
		printf("# AVG n/a: a layout's counts are 32 bits; the average is shown only when\n"
		       "# fewer than 2^32 cycles prove that the count has not wrapped around\n");
	printf("# each CPUID this tool executes is an exit too, counted before the next read\n");
}

void kes_print_guest_json(const struct kes_view *v)
{
	const struct kes_host *h = v->host;
	uint64_t avg;
	size_t i;

	printf("{\"isa\":\"%s\",", kes_isa_name(v->isa));
	if (h->found)
		printf("\"layout\":\"%c\",\"scope\":\"%s\",\"user\":%s,\"abi\":%u,", h->layout,
		       scope_name(h->scope), h->user ? "true" : "false", h->abi);
	printf("\"via\":\"%s\",\"device\":", via_name(v->via));
	if (v->via == KES_VIA_DEVICE)
		kes_fput_escaped(stdout, v->device, KES_ESC_JSON);
	else
		printf("null");
	printf(",\"read_with_layout\":");
	if (v->layout)
		printf("\"%c\"", v->layout);
	else
		printf("null");
	printf(",\"reasons\":[");
	for (i = 0; i < v->n; i++) {
		const struct kes_reading *r = &v->rd[i];

		printf("%s{\"reason\":%" PRIu32 ",\"name\":", i ? "," : "", r->reason);
		kes_fput_escaped(stdout, kes_guest_reason_name(v->isa, r->reason), KES_ESC_JSON);
		if (r->state == KES_UNREADABLE) {
			printf(",\"enabled\":null,\"count\":null,\"cycles\":null,\"avg_cycles\":null}");
			continue;
		}
		printf(",\"enabled\":%s,\"count\":%" PRIu64,
		       r->state == KES_NOT_ENABLED ? "false" : "true", r->count);
		if (v->layout == 'a')
			printf(",\"cycles\":null,\"avg_cycles\":null");
		else if (kes_guest_avg(v->layout, r->count, r->cycles, &avg))
			printf(",\"cycles\":%" PRIu64 ",\"avg_cycles\":%" PRIu64, r->cycles, avg);
		else
			printf(",\"cycles\":%" PRIu64 ",\"avg_cycles\":null", r->cycles);
		printf("}");
	}
	printf("],\"unreadable\":%zu,\"total_at_start\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64 "}",
	       v->unreadable, v->start_count, v->start_cycles);
	printf(",\"total\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64 "}}\n", v->count, v->cycles);
}
