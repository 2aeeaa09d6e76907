#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's report: from the serial logs of lab/l1/jobs/bench.sh
(BENCH_DIR/svm.log, vmx.log), the table of what one exit round trip costs
in each configuration, printed and written to BENCH_DIR/results.md with
the versions, the memory, the static count and the guest-query hammer; and
a bar chart of the overheads (overhead.png, overhead.svg).

    report.py BENCH_DIR

A benchmark, not a test: it prints figures and never fails on them.  It
fails only when a log is missing or holds no figures at all.
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from plot import gnuplot, q  # noqa: E402  (lab/plot.py)

# The rows, in the order of the table, and what each is.
ROWS = [
    ("debian", "Debian's own KVM modules, nothing enabled (the baseline)"),
    ("rebuilt", "Debian's KVM source built as ours are, without the change (the build's share)"),
    ("tp-ring", "kvm_exit + kvm_entry events into the ring buffer, no reader"),
    ("hist-trigger", "a hist trigger on kvm_exit keyed by the reason"),
    ("trace-cmd", "trace-cmd record -e kvm:kvm_exit -e kvm:kvm_entry"),
    ("perf-kvm-stat", "perf kvm stat record -a"),
    ("bpftrace", "bpftrace: a count and an exit-to-entry histogram per reason"),
    ("kvmexit", "bcc's kvmexit (bpfcc-tools)"),
    ("off", "ours, kvm.exit_stats=off"),
    ("counts", "ours, counts"),
    ("time", "ours, time (the default)"),
    ("hist", "ours, hist"),
    ("hist+leaves", "ours, hist, the CPUID leaves' system scope allowed"),
    ("course-atomic-counts", "the course's shared array, atomic increments: counts"),
    ("course-atomic-time", "the course's shared array, atomic increments: time"),
    ("course-plain-counts", "the course's shared array, plain increments: counts"),
    ("course-plain-time", "the course's shared array, plain increments: time"),
]
PEERS = {"tp-ring", "hist-trigger", "trace-cmd", "perf-kvm-stat", "bpftrace", "kvmexit"}
# Clock reads (RDTSC) and locked read-modify-writes per exit, by design
# (docs/design.md; the course variants: lab/bench/variants/).  The peers'
# are not counted: their hardware estimates leave them out.
RDTSC = {"off": 0, "counts": 0, "time": 2, "hist": 2, "hist+leaves": 2,
         "course-atomic-counts": 0, "course-atomic-time": 2,
         "course-plain-counts": 0, "course-plain-time": 2, "debian": 0, "rebuilt": 0}
LOCKED = {"course-atomic-counts": 1, "course-atomic-time": 2}
# What hardware would pay, assumed: a plain instruction of the path (loads,
# stores, adds on lines the exit has just touched) about 1 cycle; RDTSC 30
# cycles (25-40 on recent Intel and AMD cores: Agner Fog's instruction
# tables); a locked RMW 20 cycles uncontended, far more when the line
# bounces between CPUs; a CPUID exit round trip about 1,100 cycles
# (kvm-unit-tests' vmexit cpuid, KVM list 2024).
CYC_INSN, CYC_RDTSC, CYC_LOCKED, CYC_EXIT = 1, 30, 20, 1100
WORKS = {"cpuid": "CPUID (handled in KVM)", "io": "port I/O (to the VMM)",
         "hlt": "x2APIC self-IPI + HLT (VMX fastpath, two exits an iteration)"}
ISAS = {"svm": ("SVM, QEMU -icount shift=0 (1 ns = 1 instruction)", 1.0),
        "vmx": ("VMX, Bochs at 100 MIPS (1 ns = 0.1 instruction)", 0.1)}


def kv(line):
    return dict(re.findall(r"(\S+?)=(\S*)", line))


def parse(path, per_ns):
    """{row: {work: [instructions per round trip]}}, {row: ROW info},
    {row: PEER info}, SETUP info."""
    times, rows, peers, setup = {}, {}, {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("KES-BENCH "):
                d = kv(line)
                try:
                    v = float(d["ns"]) * per_ns
                except (KeyError, ValueError):
                    continue
                times.setdefault(d["row"], {}).setdefault(d["work"], []).append(v)
            elif line.startswith("KES-BENCH-ROW "):
                d = kv(line)
                rows[d["row"]] = d
            elif line.startswith("KES-BENCH-PEER "):
                d = kv(line)
                peers[d["row"]] = d
            elif line.startswith("KES-BENCH-SETUP "):
                setup = kv(line)
    return times, rows, peers, setup


def fmt(v, nd=1):
    return "-" if v is None else f"{v:,.{nd}f}"


def table(isa, times, rows, peers, work):
    """The markdown lines of one ISA's table for one workload."""
    base = statistics.median(times["debian"][work]) if work in times.get("debian", {}) else None
    over = {}
    for r, _ in ROWS:
        if work in times.get(r, {}) and base is not None:
            over[r] = statistics.median(times[r][work]) - base
    ours_c, ours_h = over.get("counts"), over.get("hist")
    out = [f"**{ISAS[isa][0]}: {WORKS[work]}**", "",
           "| configuration | median | min | max | overhead (instr) | % | RDTSC | hw cycles (est.) "
           "| % of a 1,100-cycle exit | x ours counts | x ours hist | bytes/exit | lost | exits/iteration |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r, what in ROWS:
        v = times.get(r, {}).get(work)
        p = peers.get(r, {})
        if not v:
            why = "did not run: " + ("see the log" if p.get("ran") == "no" else "not measured")
            out.append(f"| {r}: {what} | {why} |" + " |" * 13)
            continue
        med = statistics.median(v)
        o = over.get(r)
        pct = 100 * o / base if o is not None and base else None
        rd, lk = RDTSC.get(r), LOCKED.get(r, 0)
        hw = None
        if o is not None:
            plain = o - (rd or 0) - lk
            hw = plain * CYC_INSN + (rd or 0) * CYC_RDTSC + lk * CYC_LOCKED
        xc = o / ours_c if r in PEERS and o is not None and ours_c and ours_c > 0 else None
        xh = o / ours_h if r in PEERS and o is not None and ours_h and ours_h > 0 else None
        ex = rows.get(r, {})
        per = None
        if ex.get("exits") and ex.get("iterations") and int(ex["iterations"]):
            per = int(ex["exits"]) / int(ex["iterations"])
        bpe = None
        if r in PEERS and p.get("bytes") and ex.get("exits") and int(ex["exits"]):
            bpe = int(p["bytes"]) / int(ex["exits"])
        out.append("| " + " | ".join([
            f"{r}: {what}", fmt(med), fmt(min(v)), fmt(max(v)), fmt(o), fmt(pct, 2),
            "n/c" if rd is None else str(rd), fmt(hw, 0),
            fmt(100 * hw / CYC_EXIT if hw is not None else None, 2),
            fmt(xc), fmt(xh), fmt(bpe) if r in PEERS else "-",
            p.get("lost", "-") if r in PEERS else "-", fmt(per, 3)]) + " |")
    return out, over


def chart(out_dir, overs):
    """A bar chart of the CPUID round trip's overhead per configuration."""
    dat = os.path.join(out_dir, "overhead.dat")
    names = [r for r, _ in ROWS if r != "debian"]
    isas = [i for i in ("svm", "vmx") if i in overs]
    with open(dat, "w") as f:
        f.write("# configuration " + " ".join(isas) + "\n")
        for r in names:
            vals = [max(overs[i].get(r, 0) or 0, 0.5) if r in overs[i] else "NaN" for i in isas]
            f.write(f'"{r}" ' + " ".join(str(v) for v in vals) + "\n")
    plots = [f"'{dat}' using {k + 2}:xtic(1) title {q(ISAS[i][0])}" for k, i in enumerate(isas)]
    script = "\n".join([
        "set title " + q("What one CPUID exit round trip of a nested guest costs more than "
                         "with Debian's own KVM (instructions, log scale)"),
        "set style data histograms", "set style histogram clustered gap 1",
        "set style fill solid 0.85 noborder", "set logscale y", "set yrange [0.5:*]",
        "set ylabel 'instructions more per round trip'", "set xtics rotate by -35",
        "set grid ytics", "set key top right", "set bmargin 7",
        "plot " + ", ".join(plots)])
    return gnuplot(script, out_dir, "overhead", size="1200,600")


def read_kv(path):
    d = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    d[k] = v
    return d


def main():
    out_dir = sys.argv[1]
    md = ["# make bench: what an exit costs, against Debian's KVM and the tracing peers", ""]
    overs = {}
    found = False
    for isa in ("svm", "vmx"):
        path = os.path.join(out_dir, f"{isa}.log")
        if not os.path.exists(path):
            continue
        times, rows, peers, setup = parse(path, ISAS[isa][1])
        if "debian" not in times:
            sys.exit(f"bench report: {path} has no figures of the baseline (Debian's modules)")
        found = True
        md += [f"## {ISAS[isa][0]}", "",
               f"Median, min and max of {setup.get('rounds', '?')} rounds of "
               f"{setup.get('n', '?')} iterations, in emulated instructions per round trip; "
               f"L1: Debian's kernel {setup.get('kernel', '?')}.", ""]
        for work in setup.get("works", "cpuid").split(","):
            lines, over = table(isa, times, rows, peers, work)
            md += lines + [""]
            if over.get("rebuilt") is not None:
                ours = ", ".join(f"{r} {fmt(over[r] - over['rebuilt'])}"
                                 for r in ("off", "counts", "time", "hist") if r in over)
                md += [f"Against `rebuilt` (Debian's source built as ours are, without the "
                       f"change; {fmt(over['rebuilt'])} from Debian's own): {ours}.", ""]
            if work == "cpuid":
                overs[isa] = over
        for r in sorted(peers):
            if peers[r].get("ran") == "no":
                md.append(f"- {r} did not run; its output is in {path} (KES-BENCH-PEER-OUT).")
        md.append("")
    if not found:
        sys.exit(f"bench report: no svm.log or vmx.log in {out_dir}")
    md += ["## What hardware would pay", "",
           f"Under emulation an RDTSC is one instruction. The estimates assume {CYC_INSN} cycle per "
           f"plain instruction of the path, {CYC_RDTSC} cycles per RDTSC (25-40 on recent cores, "
           f"Agner Fog's instruction tables), {CYC_LOCKED} per uncontended locked "
           "read-modify-write (far more when the line bounces between CPUs, as the course's shared "
           f"array does on a host with many vCPUs), and a CPUID exit round trip of about {CYC_EXIT:,} "
           "cycles (kvm-unit-tests' vmexit cpuid, reported on the KVM list in 2024). The peers' "
           "clock reads are not counted (n/c): their estimates are lower bounds.", ""]
    mem = read_kv(os.path.join(out_dir, "memory.txt"))
    if mem:
        md += ["## Memory", "",
               f"- per vCPU: {int(mem['vcpu']):,} bytes in every tier (struct kvm_vcpu_exit_stats), "
               f"{int(mem['hist']):,} more in the tier hist (struct kvm_vcpu_exit_hist);",
               f"- per VM: {int(mem['vm']):,} bytes (struct kvm_exit_stats_vm);",
               f"- system-wide: {int(mem['sum']):,} bytes for the departed VMs' totals, and "
               f"{int(mem['cpu']):,} per host CPU while the leaves' system scope is allowed; "
               f"a read of a file allocates {int(mem['sum']):,} bytes for the time of the read.", ""]
    static = os.path.join(out_dir, "static.txt")
    if os.path.exists(static) and os.path.getsize(static):
        md += ["## The exit path, counted in the disassembly", "", "```"]
        md += open(static).read().rstrip("\n").split("\n") + ["```", ""]
    ham = os.path.join(out_dir, "hammer.log")
    if os.path.exists(ham):
        md += hammer(ham)
    ver = os.path.join(out_dir, "versions.txt")
    if os.path.exists(ver):
        md += ["## Versions", "", "```"] + open(ver).read().rstrip("\n").split("\n") + ["```", ""]
    made = chart(out_dir, overs) if overs else []
    md += [f"Chart: {', '.join(os.path.basename(m) for m in made)}.", ""]
    text = "\n".join(md)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(text)
    print(text)


def hammer(path):
    """The guest-query hammer's lines (lab/l1/jobs/bench-hammer.sh)."""
    vals = {}
    dump = plain = None
    with open(path, errors="replace") as f:
        for line in f:
            if not line.startswith("KES-BENCH "):
                continue
            d = kv(line)
            if "mode" in d and "vm_lives_per_s" in d:
                vals.setdefault(d["mode"], []).append(
                    (float(d["vm_lives_per_s"]), float(d.get("hammer_queries_per_s", 0))))
            if "dump_cpuid_tsc" in d:
                dump, plain = d["dump_cpuid_tsc"], d.get("plain_cpuid_tsc")
    out = ["## A guest hammering the CPUID leaves", "",
           "VM lives (create, one vCPU, destroy) per second on one CPU while a guest on the other "
           "queries (median of 3 rounds of 4 s, wall clock; QEMU runs both L1 CPUs on one host "
           "thread, so any busy vCPU halves the rate):", "",
           "| beside it | VM lives/s | queries/s |", "| --- | ---: | ---: |"]
    what = {"none": "no hammer", "cpuid": "plain CPUID (leaf 0)",
            "totals": "the system-wide totals leaf"}
    for m in ("none", "cpuid", "totals"):
        if m in vals:
            out.append(f"| {what[m]} | {statistics.median(v[0] for v in vals[m]):,.1f} | "
                       f"{statistics.median(v[1] for v in vals[m]):,.0f} |")
    if dump:
        out += ["", f"A guest's dump request: {dump} L1 TSC cycles, a plain CPUID {plain}: the dump "
                "is printed by a worker, not in the vCPU's path."]
    return out + [""]


if __name__ == "__main__":
    main()
