// SPDX-License-Identifier: GPL-2.0
/*
 * The exit statistics in KVM's binary statistics: read and compared with
 * the text files.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "kvm_util.h"
#include "lab_test.h"
#include "stats_fd.h"

static const struct {
	const char *name;
	uint32_t flags;
} fields[BIN_FIELDS] = {
	[BIN_REASON]	  = { "exit_stats_reason", KVM_STATS_TYPE_INSTANT },
	[BIN_COUNT]	  = { "exit_stats_count", KVM_STATS_TYPE_LINEAR_HIST },
	[BIN_TIMED]	  = { "exit_stats_timed", KVM_STATS_TYPE_CUMULATIVE },
	[BIN_CYCLES]	  = { "exit_stats_cycles_total", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_CYCLES },
	[BIN_CYCLES_MAX]  = { "exit_stats_cycles_max", KVM_STATS_TYPE_PEAK | KVM_STATS_UNIT_CYCLES },
	[BIN_E2E]	  = { "exit_stats_e2e_total", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_CYCLES },
	[BIN_E2E_MAX]	  = { "exit_stats_e2e_max", KVM_STATS_TYPE_PEAK | KVM_STATS_UNIT_CYCLES },
	[BIN_USER]	  = { "exit_stats_user_total", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_CYCLES },
	[BIN_BLOCKED]	  = { "exit_stats_blocked_total", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_CYCLES },
	[BIN_PREEMPTED]	  = { "exit_stats_preempted_total", KVM_STATS_TYPE_CUMULATIVE | KVM_STATS_UNIT_CYCLES },
	[BIN_E2E_HIST]	  = { "exit_stats_e2e_hist", KVM_STATS_TYPE_LOG_HIST | KVM_STATS_UNIT_CYCLES },
	[BIN_CYCLES_HIST] = { "exit_stats_cycles_hist", KVM_STATS_TYPE_LOG_HIST | KVM_STATS_UNIT_CYCLES },
};

const char *bin_field_name(enum bin_field f)
{
	return fields[f].name;
}

uint32_t bin_field_flags(enum bin_field f)
{
	return fields[f].flags;
}

bool bin_stats_read(int fd, struct bin_stats *b)
{
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs;
	bool seen[BIN_FIELDS] = { false }, ok = true;
	uint32_t i;
	int f;

	memset(b, 0, sizeof(*b));
	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	for (i = 0; i < header.num_desc; i++) {
		struct kvm_stats_desc *d = get_stats_descriptor(descs, i, &header);
		uint32_t want_size;

		if (!strcmp(d->name, "exits"))
			read_stat_data(fd, &header, d, &b->exits, 1);
		for (f = 0; f < BIN_FIELDS && strcmp(d->name, fields[f].name); f++)
			;
		if (f == BIN_FIELDS)
			continue;
		if (f == BIN_REASON)
			b->n = d->size;
		want_size = f < BIN_PER_REASON ? b->n : BIN_HIST_BUCKETS;
		ok &= check(!seen[f], "%s: described twice", d->name);
		ok &= check(d->flags == (fields[f].flags | KVM_STATS_BASE_POW10) && !d->exponent,
			    "%s: flags %#x exponent %d, expected %#x and 0", d->name, d->flags,
			    d->exponent, fields[f].flags);
		ok &= check(d->bucket_size == (f == BIN_COUNT),
			    "%s: bucket size %u, expected %u", d->name, d->bucket_size, f == BIN_COUNT);
		ok &= check(d->size == want_size && want_size <= BIN_MAX_ENTRIES,
			    "%s: %u entries, expected %u (exit_stats_reason first)", d->name,
			    d->size, want_size);
		if (d->size == want_size && want_size <= BIN_MAX_ENTRIES)
			read_stat_data(fd, &header, d, b->v[f], d->size);
		seen[f] = true;
	}
	for (f = 0; f < BIN_FIELDS; f++)
		ok &= check(seen[f], "the stats file has no \"%s\"", fields[f].name);
	free(descs);
	return ok;
}

int bin_stats_index(const struct bin_stats *b, uint64_t reason)
{
	uint32_t i;

	for (i = 0; i < b->n; i++)
		if (b->v[BIN_REASON][i] == reason)
			return i;
	return -1;
}

/* One reason's fields against a row of the file. */
static bool check_entry(const struct bin_stats *b, int i, const struct kes_stat *s,
			const char *what, const char *name)
{
	const struct {
		enum bin_field f;
		uint64_t want;
	} v[] = {
		{ BIN_COUNT, s->count }, { BIN_TIMED, s->timed }, { BIN_CYCLES, s->cycles },
		{ BIN_CYCLES_MAX, s->max }, { BIN_E2E, s->e2e }, { BIN_E2E_MAX, s->e2e_max },
		{ BIN_USER, s->user }, { BIN_BLOCKED, s->blocked }, { BIN_PREEMPTED, s->preempted },
	};
	bool ok = true;
	size_t k;

	for (k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		ok &= check_u64(b->v[v[k].f][i], v[k].want, "%s: %s: %s", what, name,
				fields[v[k].f].name);
	return ok;
}

bool bin_stats_check_file(const struct bin_stats *b, const struct kes_stats *st,
			  const char *what)
{
	struct kes_stat other = st->unlisted;
	int other_i = bin_stats_index(b, BIN_OTHER);
	uint64_t count = 0, matched = 0;
	bool ok = check(other_i == (int)b->n - 1, "%s: the last entry is not \"other\"", what);
	size_t r;
	uint32_t i;

	other.e2e = other.cycles + other.user + other.blocked + other.preempted;
	for (r = 0; r < st->nrows; r++) {
		const struct kes_row *row = &st->rows[r];
		int i = bin_stats_index(b, row->reason);

		if (i < 0 || i == other_i) {
			/* A reason without a slot: in "other". */
			other.count += row->s.count;
			other.timed += row->s.timed;
			other.cycles += row->s.cycles;
			other.e2e += row->s.e2e;
			other.user += row->s.user;
			other.blocked += row->s.blocked;
			other.preempted += row->s.preempted;
			other.max = row->s.max > other.max ? row->s.max : other.max;
			other.e2e_max = row->s.e2e_max > other.e2e_max ? row->s.e2e_max : other.e2e_max;
			continue;
		}
		ok &= check_entry(b, i, &row->s, what, row->name);
		matched += row->s.count;
	}
	if (other_i >= 0) {
		/* The file gives no maximum of the unlisted ones: the entry's bounds them. */
		if (other.max < b->v[BIN_CYCLES_MAX][other_i] && st->unlisted.count)
			other.max = b->v[BIN_CYCLES_MAX][other_i];
		if (other.e2e_max < b->v[BIN_E2E_MAX][other_i] && st->unlisted.count)
			other.e2e_max = b->v[BIN_E2E_MAX][other_i];
		ok &= check_entry(b, other_i, &other, what, "other");
	}
	for (i = 0; i < b->n; i++)
		count += b->v[BIN_COUNT][i];
	ok &= check_u64(count, st->total.count, "%s: exit_stats_count, all entries, against TOTAL",
			what);
	ok &= check_u64(matched + other.count, st->total.count,
			"%s: the file's rows, against its TOTAL", what);
	return ok;
}
