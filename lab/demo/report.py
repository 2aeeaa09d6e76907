#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make demo's analysis: from the recordings of guest boots (vm-boot, in
build/demo/runs/ISA/CONFIG-N/), the report (report.md, report.html), the
plots (gnuplot: PNG and SVG), the figures in machine form (results.json) and
a short summary for the terminal (summary.txt).

    report.py DEMO_DIR

Only Python's standard library; the plots by gnuplot.
"""
import csv
import glob
import json
import math
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from plot import gnuplot, q  # noqa: E402  (lab/plot.py)

PHASES = ["firmware", "kernel", "userspace", "shutdown"]
MARKS = ["start", "mark-kernel", "mark-userspace", "mark-shutdown", "mark-end"]
CONFIG_TEXT = {
    "console": "nested paging on, the guest's console on (the default)",
    "quiet": "nested paging on, the guest's console quiet",
    "npt-off": "nested paging off (shadow paging), console on",
}
TOP = 5


class Stats:
    """One exit_stats file (docs/interfaces.md, "Text format")."""

    def __init__(self, path):
        self.rows = {}          # reason -> [name, count, cycles]
        self.split = {}         # reason -> (timed, e2e, user, blocked, preempted)
        self.isa = None
        self.tsc_khz = 0
        self.total = 0
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("# isa="):
                    for kv in line[2:].split():
                        k, v = kv.split("=")
                        if k == "isa":
                            self.isa = v
                        elif k == "tsc_khz":
                            self.tsc_khz = int(v)
                    continue
                if not line or line.startswith("#"):
                    continue
                f_ = line.split()
                if f_[0] == "-":
                    self.total = int(f_[2])
                    continue
                self.rows[int(f_[0])] = [f_[1], int(f_[2]), int(f_[3])]
                if len(f_) == 12:
                    self.split[int(f_[0])] = tuple(int(x) for x in (f_[6], f_[7], f_[9],
                                                                     f_[10], f_[11]))

    def minus(self, before):
        """{reason: (name, count, cycles)} of what happened since @before."""
        d = {}
        for r, (name, count, cycles) in self.rows.items():
            b = before.rows.get(r, [name, 0, 0])
            if count - b[1]:
                d[r] = (name, count - b[1], cycles - b[2])
        return d


PCTS = [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999)]
HIST_BUCKETS = 32


def read_hist(path):
    """An exit_stats_hist file (docs/interfaces.md, "Histogram format"):
    {reason: (name, {"e2e": [32 buckets], "kvm": [32 buckets]})}; "other" left out."""
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            f_ = line.split()
            if f_[0] != "-":
                out.setdefault(int(f_[0]), (f_[1], {}))[1][f_[2]] = [int(x) for x in f_[3:]]
    return out


def quantile(buckets, q):
    """The upper bound in cycles of the log2 bucket that the q-quantile falls in
    (the exit of rank ceil(q * n)); None for the last, open bucket."""
    n = sum(buckets)
    rank = max(1, math.ceil(q * n - 1e-9))
    seen = 0
    for i, b in enumerate(buckets[:-1]):
        seen += b
        if seen >= rank:
            return 2 ** i
    return None


def total(delta):
    return sum(c for _, c, _ in delta.values())


def cycles_of(delta):
    return sum(c for _, _, c in delta.values())


class Run:
    """One recorded boot."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.config, self.repeat = self.name.rsplit("-", 1)
        self.marks = {}
        with open(os.path.join(path, "marks")) as f:
            for line in f:
                k, t = line.split()
                self.marks[k] = float(t)
        self.files = {m: Stats(os.path.join(path, m)) for m in MARKS + ["end"]}
        self.isa = self.files["start"].isa
        self.tsc_khz = self.files["start"].tsc_khz
        self.boot = self.files["mark-end"].minus(self.files["start"])
        self.phase = {}
        for i, p in enumerate(PHASES):
            self.phase[p] = self.files[MARKS[i + 1]].minus(self.files[MARKS[i]])
        self.t0 = self.marks["firmware"]
        self.seconds = self.marks["end"] - self.t0
        self.intervals = self.read_timeline()
        self.console = self.read_console()
        self.guest, self.vm = self.read_guest()
        self.hist_intervals = self.read_hist_timeline()

    def read_timeline(self):
        """[(start_s, length_s, {reason: count}, {reason: name})] since t0."""
        per = {}
        with open(os.path.join(self.path, "timeline.csv"), newline="") as f:
            for row in csv.DictReader(f):
                if row["row"] != "reason" or not row["interval_s"]:
                    continue
                key = (float(row["timestamp"]), float(row["interval_s"]))
                per.setdefault(key, {})[int(row["reason"])] = (row["name"], int(row["count"]))
        out = []
        for (t, dt), d in sorted(per.items()):
            out.append((t - dt - self.t0, dt, {r: c for r, (_, c) in d.items()},
                        {r: n for r, (n, _) in d.items()}))
        return out

    def read_hist_timeline(self):
        """The system-wide histograms (every reason) sampled during the boot
        (vm-boot's hist-timeline): [(start_s, end_s, {"e2e": [32], "kvm": [32]})],
        the exits timed in each interval, times since t0; [] if none."""
        p = os.path.join(self.path, "hist-timeline")
        samples = []
        if os.path.exists(p):
            with open(p) as f:
                for line in f:
                    f_ = line.split()
                    if len(f_) != 2 + HIST_BUCKETS:
                        continue
                    t = float(f_[0]) - self.t0
                    if not samples or samples[-1][0] != t:
                        samples.append((t, {}))
                    samples[-1][1][f_[1]] = [int(x) for x in f_[2:]]
        out = []
        for (t0, a), (t1, b) in zip(samples, samples[1:]):
            if set(a) == set(b) == {"e2e", "kvm"}:
                out.append((t0, t1, {k: [y - x for x, y in zip(a[k], b[k])] for k in a}))
        return out

    def hist_of_phase(self, phase):
        """The exits timed in @phase, as histograms: the intervals whose middle
        falls in it."""
        lo = self.marks[phase] - self.t0
        nxt = PHASES.index(phase) + 1
        hi = self.marks[PHASES[nxt] if nxt < len(PHASES) else "end"] - self.t0
        h = {"e2e": [0] * HIST_BUCKETS, "kvm": [0] * HIST_BUCKETS}
        for t0, t1, d in self.hist_intervals:
            if lo <= (t0 + t1) / 2 < hi or (phase == PHASES[-1] and (t0 + t1) / 2 >= hi):
                for k in h:
                    h[k] = [x + y for x, y in zip(h[k], d[k])]
        return h

    def read_console(self):
        lines = []
        p = os.path.join(self.path, "console")
        if os.path.exists(p):
            with open(p, errors="replace") as f:
                for line in f:
                    t, _, text = line.rstrip("\n").partition(" ")
                    try:
                        lines.append((float(t) - self.t0, text))
                    except ValueError:
                        pass
        return lines

    def read_guest(self):
        g, v = None, None
        p = os.path.join(self.path, "guest.json")
        if os.path.exists(p):
            with open(p) as f:
                try:
                    g = json.load(f)
                except ValueError:
                    g = None
        p = os.path.join(self.path, "vm")
        if os.path.exists(p):
            v = Stats(p)
        p = os.path.join(self.path, "vm-hist")
        self.vm_hist = read_hist(p) if os.path.exists(p) else None
        return g, v

    def timeline_sums(self):
        s = {}
        for _, _, d, _ in self.intervals:
            for r, c in d.items():
                s[r] = s.get(r, 0) + c
        return s

    def console_bytes(self, t_from, t_to):
        return sum(len(text) + 1 for t, text in self.console if t_from <= t < t_to)


def hang_states(demo):
    """What QEMU's monitor showed of a hung L1 (lab/qmp-dump.py's *.hang files)."""
    states = []
    for path in sorted(glob.glob(os.path.join(demo, "*.hang"))):
        with open(path, errors="replace") as f:
            text = f.read()
        rip = re.search(r"RFL=([0-9a-f]+) .* HLT=(\d)", text)
        irr = re.search(r"^IRR\s+(.*)$", text, re.M)
        isr = re.search(r"^ISR\s+(.*)$", text, re.M)
        if not (rip and irr and isr):
            continue
        halted, if_on = rip.group(2) == "1", bool(int(rip.group(1), 16) & 0x200)
        waiting, serving = irr.group(1).strip(), isr.group(1).strip().replace("(none)", "")
        states.append((halted and if_on and waiting and not serving,
                       f"{'halted' if halted else 'running'}, interrupts "
                       f"{'on' if if_on else 'off'}, in its local APIC vector(s) "
                       f"{waiting or 'none'} waiting (IRR), {serving or 'none'} in service"))
    if not states:
        return ""
    return ("; QEMU's monitor showed L1's CPU " + "; and ".join(t for _, t in states) +
            (": an interrupt L1 was ready to take and QEMU never delivered"
             if all(lost for lost, _ in states) else ""))


def fmt_count(x):
    """A mean count: whole numbers as such, below 10 with one decimal."""
    return f"{x:,.0f}" if x >= 10 or x == int(x) else f"{x:.1f}"


def times(n, what):
    """"Once, WHAT", "Twice, WHAT", "N times, WHAT"."""
    return {1: "Once, ", 2: "Twice, "}.get(n, f"{n} times, ") + what


def us(cycles, tsc_khz):
    return cycles / tsc_khz * 1000 if tsc_khz else float("nan")


def spread(values):
    """mean, min, max, standard deviation (0 for one value)."""
    m = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return m, min(values), max(values), sd


def fmt_spread(values, digits=0):
    m, lo, hi, sd = spread(values)
    if len(values) == 1:
        return f"{m:,.{digits}f}"
    return f"{m:,.{digits}f} ({lo:,.{digits}f}-{hi:,.{digits}f}, sd {sd:,.{digits}f})"


def load(demo):
    runs = {}
    root = os.path.join(demo, "runs")
    for isa in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        for name in sorted(os.listdir(os.path.join(root, isa))):
            p = os.path.join(root, isa, name)
            if os.path.exists(os.path.join(p, "marks")):
                runs.setdefault(isa, []).append(Run(p))
    return runs


def by_config(runs):
    out = {}
    for r in runs:
        out.setdefault(r.config, []).append(r)
    return out


def reason_table(runs):
    """Mean per reason over @runs: {reason: (name, count, cycles)}."""
    agg = {}
    for r in runs:
        for reason, (name, c, cy) in r.boot.items():
            a = agg.setdefault(reason, [name, 0, 0])
            a[1] += c
            a[2] += cy
    n = len(runs)
    return {k: (v[0], v[1] / n, v[2] / n) for k, v in agg.items()}


# What drives each kind of exit in a Linux boot (SVM and VMX names).
DRIVERS = {
    ("io", "IO_INSTRUCTION"): "port I/O, mostly the serial console (the 8250 UART is emulated: "
                              "every character costs a few exits) and device probing (PCI "
                              "configuration, PIT, RTC)",
    ("npf", "EPT_VIOLATION", "EPT_MISCONFIG"): "nested page faults: the guest touching memory for "
                                               "the first time (KVM maps it on demand) and MMIO",
    ("cpuid", "CPUID"): "CPUID: feature detection by the firmware and the kernel, and in user space "
                        "the guest tool's own queries",
    ("interrupt", "EXTERNAL_INTERRUPT"): "the host's interrupts (its timer, IPIs) arriving while "
                                         "the guest runs",
    ("msr", "MSR_READ", "MSR_WRITE"): "model-specific registers: timers (TSC deadline), the APIC, "
                                      "feature MSRs",
    ("vintr", "INTERRUPT_WINDOW"): "KVM waiting for the guest to accept an interrupt",
    ("hlt", "HLT"): "the guest idling",
    ("pf_excp", "EXCEPTION_NMI"): "guest page faults that KVM must see (shadow paging)",
}


def driver(name):
    for names, text in DRIVERS.items():
        if name in names:
            return text
    return None


def label(isa, reason, name):
    return f"{reason:#x} {name}" if isa == "svm" else f"{reason} {name}"


# ---- plots ----------------------------------------------------------------

def plot_timeline(run, out_dir, name, title):
    top = sorted(run.boot, key=lambda r: -run.boot[r][1])[:TOP]
    names = [label(run.isa, r, run.boot[r][0]) for r in top] + ["other"]
    dat = os.path.join(out_dir, f"{name}.dat")
    with open(dat, "w") as f:
        f.write("# start length " + " ".join(f'"{n}"' for n in names) + "\n")
        for start, dt, d, _ in run.intervals:
            cols = [d.get(r, 0) for r in top]
            cols.append(sum(d.values()) - sum(cols))
            cum = [sum(cols[i:]) for i in range(len(cols))]   # stacked, largest first
            f.write(f"{start:.3f} {dt:.3f} " + " ".join(str(c) for c in cum) + "\n")
    arrows = phase_arrows(run)
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
    plots = []
    for i, n in enumerate(names):
        plots.append(f"'{dat}' using ($1+$2/2):{i + 3}:2 with boxes fs solid 0.85 noborder "
                     f"lc rgb '{colors[i % len(colors)]}' title {q(n)}")
    script = "\n".join([
        f"set title {q(title)}",
        "set xlabel 'seconds since the VM was started (phases marked)'",
        "set ylabel 'exits per interval (100 ms)'",
        "set key outside right top",
        "set yrange [0:*]",
        "set xrange [0:*]",
        "set grid ytics",
    ] + arrows + ["plot " + ", \\\n  ".join(plots)])
    return gnuplot(script, out_dir, name)


def phase_arrows(run):
    """gnuplot lines marking the phases of @run's boot."""
    arrows = ["set label 'firmware' at 0, graph 0.97 left offset 0.3,0 font ',9'"]
    for i, p in enumerate(PHASES[1:] + ["end"]):
        t = run.marks[p] - run.t0
        arrows.append(f"set arrow from {t:.3f}, graph 0 to {t:.3f}, graph 1 nohead dt 2 lc rgb '#444444'")
        arrows.append(f"set label '{p}' at {t:.3f}, graph {0.92 - 0.05 * i:.2f} left offset 0.3,0 font ',9'")
    return arrows


def plot_heatmap(run, kind, out_dir, name, title):
    """Exits per sampling interval (x) and log2 bucket of their time (y), the
    colour the count (log10): where in the boot the guest waited long."""
    dat = os.path.join(out_dir, f"{name}.dat")
    with open(dat, "w") as f:
        f.write("# x_mid half_width bucket count\n")
        for t0, t1, d in run.hist_intervals:
            for b, n in enumerate(d[kind]):
                if n > 0:
                    f.write(f"{(t0 + t1) / 2:.3f} {(t1 - t0) / 2:.3f} {b} {n}\n")
    # A time T us falls in bucket floor(log2(T cycles)) + 1, drawn from y - 0.5.
    tics = []
    for label_, t_us in (("1 us", 1), ("10 us", 10), ("100 us", 100), ("1 ms", 1e3),
                         ("10 ms", 1e4), ("100 ms", 1e5)):
        cyc = t_us * run.tsc_khz / 1000
        tics.append(f'"{label_}" {math.log2(cyc) + 0.5:.3f}')
    script = "\n".join([
        f"set title {q(title)}",
        "set xlabel 'seconds since the VM was started (phases marked)'",
        f"set ylabel {q('time of the exit (' + ('exit-to-entry' if kind == 'e2e' else 'in KVM') + '), log2 buckets')}",
        "set ytics (" + ", ".join(tics) + ")",
        f"set yrange [{8 - 0.5}:{HIST_BUCKETS - 0.5}]",
        "set xrange [0:*]",
        "set grid ytics",
        "set palette defined (0 '#fff5eb', 1 '#fdae6b', 2 '#e6550d', 3 '#7f2704', 4 '#000000')",
        "set cblabel 'exits in the interval (log10)'",
        "set cbrange [0:*]",
    ] + phase_arrows(run) + [
        f"plot '{dat}' using 1:3:2:(0.5):(log10($4)) with boxxyerror fs solid 1.0 noborder "
        "lc palette notitle"])
    return gnuplot(script, out_dir, name)


def plot_reasons(isa, table, tsc_khz, out_dir, name, title):
    top = sorted(table, key=lambda r: -table[r][1])[:12]
    dat = os.path.join(out_dir, f"{name}.dat")
    with open(dat, "w") as f:
        for i, r in enumerate(top):
            n, c, cy = table[r]
            f.write(f'{i} "{label(isa, r, n)}" {c:.1f} {us(cy, tsc_khz) / 1000:.3f}\n')
    script = f"""set multiplot layout 1,2 title {q(title)}
set style fill solid 0.85 noborder
set boxwidth 0.7
set xtics rotate by -40 font ',9' nomirror
set grid ytics
set logscale y
set ylabel 'exits (log scale)'
set title 'exits by reason'
plot '{dat}' using 1:3:xtic(2) with boxes lc rgb '#1f77b4' notitle
unset logscale y
set ylabel 'handling time, ms'
set title 'time KVM spent handling them'
set yrange [0:*]
plot '{dat}' using 1:4:xtic(2) with boxes lc rgb '#d62728' notitle
unset multiplot"""
    return gnuplot(script, out_dir, name, size="1200,560")


def plot_compare(isa, tables, out_dir, name, title):
    """Grouped bars: the top reasons of each configuration, side by side."""
    keys = list(tables)
    top = []
    for k in keys:
        for r in sorted(tables[k], key=lambda r: -tables[k][r][1])[:7]:
            if r not in top:
                top.append(r)
    dat = os.path.join(out_dir, f"{name}.dat")
    with open(dat, "w") as f:
        for i, r in enumerate(top):
            nm = next(tables[k][r][0] for k in keys if r in tables[k])
            f.write(f'{i} "{label(isa, r, nm)}" ' +
                    " ".join(f"{tables[k].get(r, ('', 0, 0))[1]:.1f}" for k in keys) + "\n")
        f.write(f'{len(top)} "TOTAL" ' +
                " ".join(f"{sum(v[1] for v in tables[k].values()):.1f}" for k in keys) + "\n")
    w = 0.8 / len(keys)
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c"]
    plots = [f"'{dat}' using ($1{(i - (len(keys) - 1) / 2) * w:+.3f}):($%d > 0 ? $%d : 1/0)%s "
             f"with boxes lc rgb '{colors[i]}' title {q(k)}" % (i + 3, i + 3, ":xtic(2)" if not i else "")
             for i, k in enumerate(keys)]
    script = "\n".join([
        f"set title {q(title)}",
        "set style fill solid 0.85 noborder",
        f"set boxwidth {w:.3f}",
        "set logscale y",
        "set ylabel 'exits per boot (mean, log scale)'",
        "set xtics rotate by -40 font ',9' nomirror",
        "set grid ytics",
        "set key outside top center horizontal",
        "plot " + ", \\\n  ".join(plots)])
    return gnuplot(script, out_dir, name)


# ---- the report -------------------------------------------------------------

def spikes(run, n=3):
    """The @n intervals with most exits: (start, exits, dominant, phase, console)."""
    out = []
    for start, dt, d, names in sorted(run.intervals, key=lambda iv: -sum(iv[2].values()))[:n]:
        dom = max(d, key=d.get)
        phase = "after the end"
        for i, p in enumerate(PHASES):
            lo = run.marks[p] - run.t0
            hi = run.marks[PHASES[i + 1] if i + 1 < len(PHASES) else "end"] - run.t0
            if lo <= start + dt / 2 < hi:
                phase = p
        said = [text for t, text in run.console if start <= t < start + dt and text.strip()]
        out.append((start, dt, sum(d.values()), label(run.isa, dom, names[dom]),
                    d[dom] / sum(d.values()), phase, said[:2]))
    return out


def rate_profile(run):
    """Per phase: median and peak exits per interval."""
    prof = {}
    for i, p in enumerate(PHASES):
        lo = run.marks[p] - run.t0
        hi = run.marks[PHASES[i + 1] if i + 1 < len(PHASES) else "end"] - run.t0
        vals = [sum(d.values()) for s, dt, d, _ in run.intervals if lo <= s + dt / 2 < hi]
        prof[p] = (statistics.median(vals) if vals else 0, max(vals) if vals else 0, len(vals))
    return prof


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True)
        return out.stdout.splitlines()[0]
    except (OSError, IndexError):
        return "QEMU (version unknown)"


def bochs_version():
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "bochs"], capture_output=True,
                         text=True)
    return f"Bochs {out.stdout} (Debian)" if out.returncode == 0 and out.stdout else "Bochs"


# The same kind of exit on both ISAs: (what, SVM reason names, VMX reason names).
# Names are the shared table's (reasons/exit_stats_reasons.h).
KINDS = [
    ("port I/O", ["io"], ["IO_INSTRUCTION"]),
    ("guest memory mapped on demand, MMIO", ["npf"], ["EPT_VIOLATION", "EPT_MISCONFIG"]),
    ("the host's interrupts", ["interrupt"], ["EXTERNAL_INTERRUPT"]),
    ("the guest's timer expiring (VMX preemption timer)", [], ["PREEMPTION_TIMER"]),
    ("model-specific registers", ["msr"], ["MSR_READ", "MSR_WRITE"]),
    ("CPUID", ["cpuid"], ["CPUID"]),
    ("waiting to inject an interrupt", ["vintr"], ["INTERRUPT_WINDOW"]),
    ("control registers", ["read_cr0", "read_cr3", "read_cr4", "write_cr0", "write_cr3",
                           "write_cr4", "write_cr8", "cr0_sel_write"], ["CR_ACCESS"]),
    ("HLT", ["hlt"], ["HLT"]),
]


def kind_counts(table, names):
    """{name: mean count} of the reasons in @names that occurred."""
    by_name = {v[0]: v[1] for v in table.values()}
    return {n: by_name[n] for n in names if by_name.get(n)}


def pages(runs):
    """Mean of KVM's pages_4k, pages_2m of the VM over @runs (None if unrecorded)."""
    out = {}
    for k in ("pages_4k", "pages_2m"):
        vals = []
        for r in runs:
            p = os.path.join(r.path, k)
            if os.path.exists(p):
                with open(p) as f:
                    vals.append(int(f.read().split()[0]))
        out[k] = statistics.mean(vals) if vals else None
    return out


def vmx_section(w, vmx, svm_main, plots, out_dir):
    vt, st = reason_table(vmx), reason_table(svm_main)
    t_vmx = statistics.mean(r.seconds for r in vmx)
    t_svm = statistics.mean(r.seconds for r in svm_main)
    tot_vmx = statistics.mean(total(r.boot) for r in vmx)
    w("## The same boot on Intel VMX (Bochs)\n")
    w(f"{len(vmx)} boot(s) of the same guest, console on, under Bochs's emulation of Intel "
      f"VMX (Haswell model, EPT on): {fmt_spread([total(r.boot) for r in vmx])} exits in "
      f"{fmt_spread([r.seconds for r in vmx], 1)} s of L1 time; phases " +
      ", ".join(f"{p} {fmt_spread([total(r.phase[p]) for r in vmx])}" for p in PHASES) +
      f". On SVM the same boot took {statistics.mean(total(r.boot) for r in svm_main):,.0f} "
      f"exits in {t_svm:.1f} s. The two ISAs name their exits differently; side by side, by "
      "what causes them:\n")
    w("| What | AMD SVM (QEMU) | Intel VMX (Bochs) |")
    w("| --- | --- | --- |")
    seen_svm, seen_vmx = set(), set()

    def cell(counts):
        return ", ".join(f"{n} {c:,.0f}" for n, c in counts.items()) or "-"
    for what, sn, vn in KINDS:
        sc, vc = kind_counts(st, sn), kind_counts(vt, vn)
        seen_svm.update(sn)
        seen_vmx.update(vn)
        if sc or vc:
            w(f"| {what} | {cell(sc)} | {cell(vc)} |")
    rest_s = sum(v[1] for v in st.values() if v[0] not in seen_svm)
    rest_v = sum(v[1] for v in vt.values() if v[0] not in seen_vmx)
    w(f"| everything else | {rest_s:,.0f} | {rest_v:,.0f} |\n")

    io_s = sum(kind_counts(st, ["io"]).values())
    io_v = sum(kind_counts(vt, ["IO_INSTRUCTION"]).values())
    npf_s = sum(kind_counts(st, ["npf"]).values())
    npf_v = sum(kind_counts(vt, ["EPT_VIOLATION", "EPT_MISCONFIG"]).values())
    timed = ["EXTERNAL_INTERRUPT", "PREEMPTION_TIMER", "MSR_WRITE"]
    timed_v = sum(kind_counts(vt, timed).values())
    timed_s = sum(kind_counts(st, ["interrupt", "msr"]).values())
    cpuid_s = sum(kind_counts(st, ["cpuid"]).values())
    cpuid_v = sum(kind_counts(vt, ["CPUID"]).values())
    notes = [f"**The guest's console costs the same.** Port I/O, almost all of it the "
             f"console, is {io_v:,.0f} exits on VMX and {io_s:,.0f} on SVM. CPUID "
             f"({cpuid_v:,.0f} against {cpuid_s:,.0f}) and the control registers differ "
             "more: the guest sees another CPU (QEMU's -cpu host passes on L1's model: a "
             "Haswell under Bochs, QEMU's qemu64 with SVM on the other side) and probes it "
             "differently, and VMX exits only on the control-register bits KVM owns, where "
             "SVM intercepts a register's reads and writes as such."]
    pg_s, pg_v = pages(svm_main), pages(vmx)
    if pg_s["pages_4k"] is not None and pg_v["pages_4k"] is not None:
        notes.append(
            f"**Memory: {npf_v:,.0f} EPT exits against {npf_s:,.0f} nested page faults.** "
            "KVM maps the guest's memory when the guest first touches it, and maps as large "
            "a page as it can. KVM's own counters of the VM (pages_4k and pages_2m, read "
            f"while the guest's init ran) show {pg_s['pages_4k']:,.0f} 4K and "
            f"{pg_s['pages_2m']:,.0f} 2M mappings on SVM, {pg_v['pages_4k']:,.0f} 4K and "
            f"{pg_v['pages_2m']:,.0f} 2M on VMX"
            + (": under Bochs KVM maps 4K at a time, so each 4K page the guest touches is an "
               "exit of its own, where on SVM one fault maps 2 MB. That is a property of the "
               "emulated CPU's EPT (the large pages KVM may use), not of VMX; on hardware "
               "with 2M EPT pages KVM maps large pages on Intel too."
               if pg_v["pages_2m"] == 0 and pg_s["pages_2m"] > 0 else "."))
    notes.append(
        f"**Time brings exits.** The boot ran {t_vmx:.1f} s of L1 time on VMX against "
        f"{t_svm:.1f} s on SVM (Bochs emulates more slowly, and the guest's clock runs with "
        "L1's). The exits that come with time rather than with the guest's work grow with "
        f"it: on VMX the host's interrupts, the guest's timer (the preemption timer, by "
        f"which KVM runs the guest's TSC-deadline timer) and the MSR writes that arm it "
        f"add up to {timed_v:,.0f}, {timed_v / t_vmx:,.0f} per second; on SVM, where KVM "
        f"runs the guest's timer on a host hrtimer that comes back as an interrupt exit, "
        f"interrupts and MSR accesses are {timed_s:,.0f}, {timed_s / t_svm:,.0f} per second.")
    for n in notes:
        w(n + "\n")
    w(f"So a VMX boot of this guest takes {tot_vmx:,.0f} exits here; with 2M EPT pages "
      "and a boot as fast as SVM's it would be close to SVM's count.\n"
      if pg_v.get("pages_2m") == 0 and pg_s.get("pages_2m") else "")
    plots["vmx_timeline"] = plot_timeline(vmx[0], out_dir, "timeline-vmx",
                                          f"Exits per 100 ms during one boot on VMX ({vmx[0].name})")
    w("![one boot on VMX](timeline-vmx.png)\n")



def write_report(demo, runs, meta):
    out_dir = demo
    plots = {}
    results = {"isas": {}}
    md = []
    w = md.append
    svm = runs.get("svm", [])
    cfg = by_config(svm)
    main = cfg.get("console") or next(iter(cfg.values()))
    tsc = main[0].tsc_khz
    isa = main[0].isa

    w("# A real VM boot, measured and explained\n")
    w("What `make demo` measured: a Linux guest (L2) booted by QEMU with KVM, "
      "from its firmware to its power-off, every VM exit counted and timed by "
      "the kernel change, sampled every 100 ms, the boot split into phases. "
      f"{len(svm)} boots on AMD SVM"
      + (f" and {len(runs['vmx'])} on Intel VMX" if runs.get("vmx") else "") + ".\n")
    w("**These are emulated machines, not hardware** (see *What carries over*). "
      "Host (L1): " + meta.get("l1", "Debian's 6.12 kernel with the change's KVM modules")
      + "; guest (L2): " + meta.get("l2", "Debian's cloud kernel") + "; " + qemu_version()
      + " (the emulator of L1 and the VMM in L1)"
      + (f"; {bochs_version()} (the emulator of L1 on VMX)" if runs.get("vmx") else "") + ".\n")

    # Totals and phases.
    w("## How many exits does a full boot take?\n")
    w("| Configuration | Boots | Exits per boot | Seconds (L1 time) | " +
      " | ".join(PHASES) + " |")
    w("| --- | --- | --- | --- | " + " | ".join("---" for _ in PHASES) + " |")
    for c, rs in cfg.items():
        w(f"| {CONFIG_TEXT.get(c, c)} | {len(rs)} | {fmt_spread([total(r.boot) for r in rs])} | "
          f"{fmt_spread([r.seconds for r in rs], 1)} | " +
          " | ".join(fmt_spread([total(r.phase[p]) for r in rs]) for p in PHASES) + " |")
    w("")
    w("Mean (min-max, standard deviation) over the boots of each configuration. "
      "Phases: **firmware** from the start of QEMU until SeaBIOS hands over to the "
      "kernel loader (its \"Booting from ROM\"), **kernel** from there (loading the "
      "kernel, decompressing it, booting it) until the guest's init says it began, "
      "**userspace** the init's work (loading the cpuid module, reading the statistics "
      "with kvm-exitstat-guest), **shutdown** from the init's last word until QEMU "
      "has ended. At each boundary vm-boot copied the system-wide file the moment it "
      "saw the marker (SeaBIOS's debug port or the guest's console), so the phases add "
      "up to the boot exactly.\n")

    # Reasons.
    tab = reason_table(main)
    order = sorted(tab, key=lambda r: -tab[r][1])
    tot_c = sum(v[1] for v in tab.values())
    tot_cy = sum(v[2] for v in tab.values())
    w("## Which exits are the most and the least frequent?\n")
    w(f"In the default configuration ({CONFIG_TEXT['console']}), mean of {len(main)} boots:\n")
    w("| Reason | Exits | Share of exits | Share of handling time | Avg cycles | Avg us |")
    w("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in order:
        n, c, cy = tab[r]
        w(f"| {label(isa, r, n)} | {fmt_count(c)} | {100 * c / tot_c:.2f}% | {100 * cy / tot_cy:.2f}% | "
          f"{cy / c:,.0f} | {us(cy / c, tsc):.1f} |")
    w("")
    most = order[:3]
    least = order[-3:]
    w("Most frequent: " + ", ".join(f"{label(isa, r, tab[r][0])} ({fmt_count(tab[r][1])})" for r in most)
      + ". Least frequent (of those that occurred at all): "
      + ", ".join(f"{label(isa, r, tab[r][0])} ({fmt_count(tab[r][1])})" for r in least) + ".\n")
    plots["reasons"] = plot_reasons(isa, tab, tsc, out_dir, "reasons",
                                    "A boot's exits by reason (AMD SVM, mean of the boots)")
    w("![exits and handling time by reason](reasons.png)\n")

    # Distributions: the VM's histograms of one boot.
    h_run = next((r for r in main if r.vm_hist and r.vm), None)
    if h_run:
        w("## How long does each exit keep the guest waiting?\n")
        w(f"One boot ({h_run.name}), the VM's own histograms (`kvm.exit_stats=hist`: a "
          "log2 histogram per reason of **exit-to-entry**, what the guest waited, and of "
          "the time **in KVM**), read when the guest's init reported. A percentile is "
          "shown as the upper bound of the bucket it falls in (a histogram tells no "
          "more), in microseconds; **VMM** is the share of the reason's exit-to-entry "
          "spent in user space (QEMU), **blocked** the share spent halted.\n")
        w("| Reason | Exits timed | E2E p50 | p90 | p99 | p99.9 | In KVM p50 | p99 | VMM | blocked |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in sorted(h_run.vm_hist, key=lambda r: -sum(h_run.vm_hist[r][1]["e2e"])):
            name, h = h_run.vm_hist[r]
            e2e, kvm = h["e2e"], h["kvm"]

            def cell(b, q):
                hi = quantile(b, q)
                return "inf" if hi is None else f"{us(hi, tsc):.2f}"
            timed, e2e_tot, user, blocked, _ = h_run.vm.split.get(r, (0, 0, 0, 0, 0))
            share = (lambda x: f"{100 * x / e2e_tot:.0f}%" if e2e_tot else "-")
            w(f"| {label(isa, r, name)} | {sum(e2e):,} | " +
              " | ".join(cell(e2e, q) for _, q in PCTS) + " | " +
              f"{cell(kvm, 0.5)} | {cell(kvm, 0.99)} | {share(user)} | {share(blocked)} |")
        w("")
        io = next((r for r in h_run.vm_hist if h_run.vm_hist[r][0] in ("io", "IO_INSTRUCTION")), None)
        if io is not None and io in h_run.vm.split and h_run.vm.split[io][1]:
            timed, e2e_tot, user, _, _ = h_run.vm.split[io]
            w(f"What the guest waited on the VMM: its port I/O exits (mostly the console) "
              f"kept it {us(e2e_tot / max(timed, 1), tsc):.1f} us each on average from exit "
              f"to entry, {100 * user / e2e_tot:.0f}% of it in QEMU (user space) and the rest "
              "in KVM; the long tail of exit-to-entry (p99 against p50) is QEMU's, as the "
              "in-KVM percentiles show.\n")

    # Latency over the boot: the heatmap, and the percentiles per phase.
    hm_run = next((r for r in main if r.hist_intervals), None)
    if hm_run:
        plots["heatmap"] = plot_heatmap(hm_run, "e2e", out_dir, "heatmap",
                                        f"Exit-to-entry of every exit during one boot ({hm_run.name})")
        dts = [t1 - t0 for t0, t1, _ in hm_run.hist_intervals]
        w("## When in the boot did the guest wait long?\n")
        w(f"One boot ({hm_run.name}): vm-boot read the system-wide histograms every "
          f"{statistics.median(dts):.1f} s (L1 time), so each column of the heatmap is one "
          "such interval, each row a log2 bucket of **exit-to-entry** (every reason), and "
          "the colour how many exits of that time the interval had (log scale); white: "
          "none.\n")
        w("![exit-to-entry over the boot](heatmap.png)\n")
        long_us = 100
        first_long = next(i for i in range(HIST_BUCKETS)
                          if 2 ** max(i - 1, 0) >= long_us * tsc / 1000)
        w("Per phase (an interval counts in the phase its middle falls in), percentiles as "
          "bucket upper bounds in microseconds:\n")
        w(f"| Phase | Exits timed | E2E p50 | p99 | p99.9 | In KVM p99 | {long_us} us or more |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for p in PHASES:
            h = hm_run.hist_of_phase(p)
            n = sum(h["e2e"])
            if not n:
                w(f"| {p} | 0 | - | - | - | - | - |")
                continue

            def cell(b, q_):
                hi = quantile(b, q_)
                return "inf" if hi is None else f"{us(hi, tsc):.2f}"
            slow = sum(h["e2e"][first_long:])
            w(f"| {p} | {n:,} | {cell(h['e2e'], 0.5)} | {cell(h['e2e'], 0.99)} | "
              f"{cell(h['e2e'], 0.999)} | {cell(h['kvm'], 0.99)} | {slow:,} ({100 * slow / n:.2f}%) |")
        w("")

    # Rate over time.
    r0 = main[0]
    plots["timeline"] = plot_timeline(r0, out_dir, "timeline",
                                      f"Exits per 100 ms during one boot ({r0.name}), by reason")
    w("## Does the number of exits grow at a steady rate?\n")
    prof = rate_profile(r0)
    w("No: it comes in bursts that follow what the guest does. One boot "
      f"({r0.name}), exits per 100 ms interval:\n")
    w("| Phase | Intervals | Median | Peak |")
    w("| --- | ---: | ---: | ---: |")
    for p in PHASES:
        m, pk, n = prof[p]
        w(f"| {p} | {n} | {m:,.0f} | {pk:,.0f} |")
    w("")
    w("What drives each phase (its most frequent reasons):\n")
    explained = set()
    for p in PHASES:
        ph = r0.phase[p]
        tot_p = total(ph)
        top_p = sorted(ph, key=lambda r: -ph[r][1])[:2]
        if not tot_p:
            continue
        parts = []
        for r in top_p:
            why = driver(ph[r][0]) if r not in explained else None
            explained.add(r)
            parts.append(f"{label(isa, r, ph[r][0])} {100 * ph[r][1] / tot_p:.0f}%"
                         + (f" ({why})" if why else ""))
        w(f"- **{p}** ({tot_p:,} exits): " + "; ".join(parts))
    w("")
    w("The largest spikes, and what the guest printed in that interval:\n")
    for start, dt, n, dom, share, phase, said in spikes(r0):
        text = "; ".join(f"`{s[:70]}`" for s in said) if said else "(nothing printed)"
        w(f"- at {start:.1f} s ({phase}): {n:,} exits in {dt * 1000:.0f} ms, "
          f"{100 * share:.0f}% {dom}: {text}")
    w("")
    w("So the rate is not steady: it follows the guest. The console and device probing "
      "come in bursts of port I/O, memory first touched comes as nested page faults, "
      "CPU feature detection as CPUID, and between them the guest computes without "
      "exits (the valleys of the plot).\n")
    w("![exits per 100 ms over one boot](timeline.png)\n")

    # npt on/off, console on/quiet.
    tables = {c: reason_table(rs) for c, rs in cfg.items()}
    if "npt-off" in cfg and "console" in cfg:
        on, off = tables["console"], tables["npt-off"]
        w("## Nested paging on versus off\n")
        t_on = sum(v[1] for v in on.values())
        t_off = sum(v[1] for v in off.values())
        w(f"With nested paging (NPT) the guest's page tables are its own business; "
          f"without it KVM keeps shadow page tables and must see the guest's page "
          f"faults and CR3 writes. A boot took {t_on:,.0f} exits with NPT and "
          f"{t_off:,.0f} without ({t_off / t_on:.1f} times as many), "
          f"{statistics.mean(r.seconds for r in cfg['console']):.1f} s against "
          f"{statistics.mean(r.seconds for r in cfg['npt-off']):.1f} s.\n")
        w("| Reason | NPT on | NPT off |")
        w("| --- | ---: | ---: |")
        keys = sorted(set(on) | set(off), key=lambda r: -max(on.get(r, ("", 0))[1], off.get(r, ("", 0))[1]))
        for r in keys[:10]:
            n = (on.get(r) or off.get(r))[0]
            w(f"| {label(isa, r, n)} | {fmt_count(on.get(r, (n, 0, 0))[1])} | {fmt_count(off.get(r, (n, 0, 0))[1])} |")
        w("")
        plots["npt"] = plot_compare(isa, {"NPT on": on, "NPT off": off}, out_dir, "npt",
                                    "Exits per boot by reason: nested paging on and off")
        w("![npt on versus off](npt.png)\n")
    if "quiet" in cfg and "console" in cfg:
        on, q = tables["console"], tables["quiet"]
        io = next((r for r in on if on[r][0] in ("io", "IO_INSTRUCTION")), None)
        t_on = sum(v[1] for v in on.values())
        t_q = sum(v[1] for v in q.values())
        bytes_on = statistics.mean(r.console_bytes(0, r.seconds) for r in cfg["console"])
        bytes_q = statistics.mean(r.console_bytes(0, r.seconds) for r in cfg["quiet"])
        w("## The guest's console on versus quiet\n")
        w(f"A boot took {t_on:,.0f} exits with the console on and {t_q:,.0f} with `quiet`: "
          f"{t_on - t_q:,.0f} fewer. ")
        if io is not None and bytes_on > bytes_q:
            d_io = on[io][1] - q.get(io, ("", 0))[1]
            w(f"Port I/O exits dropped by {d_io:,.0f} while the console printed "
              f"{bytes_on - bytes_q:,.0f} fewer bytes: {d_io / (bytes_on - bytes_q):.1f} "
              "port I/O exits per byte (the 8250 UART is emulated: the kernel polls its "
              "line status register and writes the transmit register, each an exit, for "
              "every character).\n")
        else:
            w("\n")
        plots["console"] = plot_compare(isa, {"console on": on, "quiet": q}, out_dir, "console",
                                        "Exits per boot by reason: the guest's console on and quiet")
        w("![console on versus quiet](console.png)\n")

    # The guest's own view.
    g_run = next((r for r in main if r.guest and r.vm), None)
    if g_run:
        w("## The guest's own view, through the CPUID leaves\n")
        w(f"The guest's init ran kvm-exitstat-guest, which read its own VM's statistics "
          f"(the host allowed the guest's kernel to, scope vm) through "
          f"{'the cpuid driver (/dev/cpu/0/cpuid)' if g_run.guest.get('via') == 'device' else 'the CPUID instruction'}; "
          f"vm-boot read the VM's file on the host right after ({g_run.name}). The guest "
          "read while the boot went on, so the host's later numbers are a little higher:\n")
        w("| Reason | Guest (CPUID) | Host file, right after |")
        w("| --- | ---: | ---: |")
        for row in sorted(g_run.guest.get("reasons", []), key=lambda x: -x.get("count", 0))[:12]:
            hv = g_run.vm.rows.get(row["reason"], ["", 0, 0])[1]
            w(f"| {label(isa, row['reason'], row['name'])} | {row['count']:,} | {hv:,} |")
        gt = g_run.guest.get("total", {}).get("count", 0)
        w(f"| TOTAL | {gt:,} | {g_run.vm.total:,} |\n")

    # The course's figures.
    w("## The course write-ups' figures, reconciled\n")
    t_main = statistics.mean(total(r.boot) for r in main)
    parts = [f"The write-ups put a VM boot at 22 exits, at about 50,000, and at 2.5 to 3 "
             f"million. Measured here, a boot of a small Linux guest takes {t_main:,.0f} "
             f"exits with its console on"]
    if "quiet" in cfg:
        parts.append(f", {statistics.mean(total(r.boot) for r in cfg['quiet']):,.0f} quiet")
    if "npt-off" in cfg:
        parts.append(f", {statistics.mean(total(r.boot) for r in cfg['npt-off']):,.0f} "
                     "without nested paging")
    parts.append(". ")
    rare = [label(isa, r, tab[r][0]) for r in order if 10 <= tab[r][1] <= 40]
    parts.append(
        "**About 50,000** is what a full boot of a small Linux guest with hardware-assisted "
        "paging costs: the same order as the totals above (the exact number moves with the "
        "guest's kernel, its console and its devices; one write-up probably booted a "
        "distribution kernel with its console on). **22** is not a boot: it is the size of a "
        "single, rare exit reason in a boot (here "
        + (", ".join(rare[:3]) if rare else "the rarest reasons")
        + (" land" if len(rare[:3]) > 1 else " lands")
        + " in the tens), or of a guest that did almost nothing: most likely that "
        "write-up read one reason's count from the CPUID leaf (which counts one reason per "
        "query) or counted exits of a tiny test program, not a boot. **2.5 to 3 million** "
        "needs something that multiplies exits: shadow paging (EPT/NPT off, which the "
        "course compared) multiplies page-fault and CR exits")
    if "npt-off" in cfg:
        ratio = (statistics.mean(total(r.boot) for r in cfg["npt-off"]) / t_main)
        parts.append(f", but for this small guest only by {ratio:.1f}, not by 40")
    parts.append(
        ". Millions come from counting much longer than a boot (every second an idle guest "
        "still takes timer and interrupt exits, and a guest doing I/O takes thousands), from "
        "a desktop distribution with many devices, services and a graphical console, or "
        "from summing several boots. Each write-up looked at one dmesg dump; the numbers "
        "differ by what was counted (one reason or all; a boot or an uptime; EPT on or off; "
        "which guest), not by how KVM counts.\n")
    w("".join(parts))

    # Honesty.
    w("## What carries over to hardware, and what does not\n")
    w("The machines are emulated: L1 runs under QEMU's software emulation of AMD SVM "
      "(TCG), or under Bochs for Intel VMX, and the guest (L2) is a nested guest of "
      "L1's KVM. **The counts per reason should carry over**: they are shaped by what "
      "KVM intercepts (the same KVM code) and what the guest does (the same Debian "
      "kernel), with differences where the emulated CPU differs from a real one (no "
      "next-RIP save on QEMU's SVM, so no SVM fastpath; Bochs's Haswell model has no "
      "posted interrupts), and the interrupt exits depend on the host's timer. **The "
      "cycles do not carry over**: an emulated exit costs tens of microseconds, a real "
      "one about a microsecond; read the cycle columns as relative weights at most.\n")
    stalls, hangs = [], 0
    for isa_ in runs:
        log = os.path.join(demo, f"{isa_}.log")
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                for line in f:
                    if line.startswith("KES-RETRY: demo:"):
                        stalls.append(line.split("stalled:", 1)[-1].strip())
                    elif line.startswith("KES-RETRY:"):
                        hangs += 1
    if stalls or hangs:
        what = []
        if stalls:
            what.append(f"{times(len(stalls), 'a guest boot')} stalled and was booted again "
                        f"({'; '.join(sorted(set(stalls)))})")
        if hangs:
            what.append(f"{times(hangs, 'the emulated host (L1)')} hung and was booted again "
                        "for the boots not yet recorded" + hang_states(demo))
        w("**Retries.** " + "; ".join(what) + ". The recordings above are of the boots "
          "that completed. The emulator is not perfect: QEMU 7.2 was seen delivering an "
          "interrupt it had injected into a guest a second time, with the guest's interrupts "
          "off, and L1 under QEMU hangs now and then (docs/lab.md, Traps found).\n")
    else:
        w("No retries: every boot was recorded at its first try.\n")
    w("Settings: L1 " + meta.get("l1_cmd", "") + "; L2: `qemu-system-x86_64 -enable-kvm "
      "-cpu host -m 256M -smp 1 -nodefaults -bios bios-256k.bin (SeaBIOS) -kernel "
      "vmlinuz -initrd ...`, console on ttyS0; statistics sampled with `kvm-exitstat -i "
      "0.1 --csv`.\n")

    # VMX.
    vmx = runs.get("vmx", [])
    if vmx:
        vmx_section(w, vmx, main, plots, out_dir)
    elif meta.get("vmx_note"):
        w("## Intel VMX\n")
        w(meta["vmx_note"] + "\n")

    w("## Files\n")
    w("The recordings are in `runs/ISA/CONFIG-N/` (the system-wide file at each phase "
      "boundary, the timeline, the guest's console with arrival times, the guest tool's "
      "JSON, the VM's file); the plots as PNG and SVG beside this report; all figures "
      "in `results.json`.\n")

    for isa_, rs in runs.items():
        results["isas"][isa_] = [{
            "run": r.name, "config": r.config, "seconds": r.seconds,
            "boot": {str(k): {"name": v[0], "count": v[1], "cycles": v[2]} for k, v in r.boot.items()},
            "boot_total": total(r.boot),
            "phases": {p: total(r.phase[p]) for p in PHASES},
            "phase_reasons": {p: {str(k): v[1] for k, v in r.phase[p].items()} for p in PHASES},
            "timeline_sums": {str(k): v for k, v in r.timeline_sums().items()},
            "intervals": len(r.intervals),
            "percentiles": {str(k): {kind: {p: quantile(b, q) for p, q in PCTS}
                                     for kind, b in h.items()}
                            for k, (_, h) in (r.vm_hist or {}).items()},
            "heatmap": {"intervals": len(r.hist_intervals),
                        "exits_timed": sum(sum(d["e2e"]) for _, _, d in r.hist_intervals),
                        "phases": {p: {kind: {n: quantile(b, q) for n, q in PCTS}
                                       for kind, b in r.hist_of_phase(p).items()}
                                   for p in PHASES} if r.hist_intervals else {}},
        } for r in rs]
    results["plots"] = plots
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    return results, cfg, tab, order


def summary(cfg, tab, order, isa, runs):
    s = []
    for c, rs in cfg.items():
        s.append(f"  {CONFIG_TEXT.get(c, c)}: {fmt_spread([total(r.boot) for r in rs])} exits per boot "
                 f"({len(rs)} boots)")
    main = cfg.get("console") or next(iter(cfg.values()))
    s.append("  phases (default): " + ", ".join(
        f"{p} {statistics.mean(total(r.phase[p]) for r in main):,.0f}" for p in PHASES))
    s.append("  most frequent: " + ", ".join(f"{label(isa, r, tab[r][0])} {fmt_count(tab[r][1])}" for r in order[:4]))
    s.append("  least frequent: " + ", ".join(f"{label(isa, r, tab[r][0])} {fmt_count(tab[r][1])}" for r in order[-3:]))
    if runs.get("vmx"):
        s.append(f"  Intel VMX (Bochs): {fmt_spread([total(r.boot) for r in runs['vmx']])} exits per boot")
    return "\n".join(s)


def main():
    demo = sys.argv[1]
    meta = {}
    mp = os.path.join(demo, "meta.json")
    if os.path.exists(mp):
        with open(mp) as f:
            meta = json.load(f)
    runs = load(demo)
    if not runs.get("svm"):
        sys.exit("report.py: no recorded boots under %s/runs/svm" % demo)
    results, cfg, tab, order = write_report(demo, runs, meta)
    text = summary(cfg, tab, order, runs["svm"][0].isa, runs)
    with open(os.path.join(demo, "summary.txt"), "w") as f:
        f.write(text + "\n")
    try:
        import markdown
        with open(os.path.join(demo, "report.md")) as f:
            body = markdown.markdown(f.read(), extensions=["tables"])
        with open(os.path.join(demo, "report.html"), "w") as f:
            f.write("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>A real VM boot, "
                    "measured</title><style>body{font-family:sans-serif;max-width:60em;margin:auto}"
                    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
                    "img{max-width:100%}</style></head><body>\n" + body + "\n</body></html>\n")
    except ImportError:
        pass
    print(text)


if __name__ == "__main__":
    main()
