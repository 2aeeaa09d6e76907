#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks make demo's results against independent readings of the same
recordings, and prints TAP lines ("ok - demo: ...").

    demo_check.py DEMO_DIR KVM_EXITSTAT

- the timeline's intervals (read here with Python's csv module) add up, per
  reason, to the difference of the system-wide file before and after the
  boot as kvm-exitstat computes it (-f start -f end), and both equal the
  report's figures (results.json);
- the phases add up to the boot, and each phase equals kvm-exitstat's
  difference of the files at its two boundaries;
- the report states each configuration's exits per boot (mean, min-max);
- every plot exists, as a PNG (file(1) says so) and an SVG (file(1) says so
  and Python's XML parser reads it), and the report shows it;
- report.html renders report.md: Python's HTML parser reads it, with as many
  tables and images as the Markdown has;
- the percentiles of the VM's histograms in results.json (computed by the
  report in Python) are kvm-exitstat --hist's (in C) of the same file;
- the heatmap's exits (the system-wide histograms sampled during the boot)
  add up to the exits timed between the boot's first and last files, as
  the statistics files (not the histograms) count them.
"""
import csv
import html.parser
import json
import os
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

PHASES = ["firmware", "kernel", "userspace", "shutdown"]
MARKS = ["start", "mark-kernel", "mark-userspace", "mark-shutdown", "mark-end"]


def tap(ok, what, why=""):
    print(("ok" if ok else "not ok") + " - demo: " + what)
    if not ok and why:
        for line in str(why).splitlines()[:15]:
            print("# " + line)
    return ok


def tool_diff(tool, before, after):
    """{reason: count} of after - before, by kvm-exitstat -f before -f after --csv."""
    out = subprocess.run([tool, "-a", "-f", before, "-f", after, "--csv"], capture_output=True,
                         text=True)
    if out.returncode:
        raise RuntimeError(f"{tool} -f {before} -f {after}: {out.stderr.strip()}")
    d = {}
    for row in csv.DictReader(out.stdout.splitlines()):
        if row["row"] == "reason" and int(row["count"]):
            d[int(row["reason"])] = int(row["count"])
    return d


def timeline_sums(path):
    s = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["row"] == "reason" and row["interval_s"]:
                s[int(row["reason"])] = s.get(int(row["reason"]), 0) + int(row["count"])
    return s


def main():
    demo, tool = sys.argv[1], sys.argv[2]
    results = json.load(open(os.path.join(demo, "results.json")))
    report = open(os.path.join(demo, "report.md")).read()
    totals = {}
    for isa, runs in results["isas"].items():
        for r in runs:
            d = os.path.join(demo, "runs", isa, r["run"])
            what = f"{isa} {r['run']}"
            file_diff = tool_diff(tool, os.path.join(d, "start"), os.path.join(d, "end"))
            tl = timeline_sums(os.path.join(d, "timeline.csv"))
            rep = {int(k): v["count"] for k, v in r["boot"].items()}
            diff = {k: (file_diff.get(k, 0), tl.get(k, 0), rep.get(k, 0))
                    for k in set(file_diff) | set(tl) | set(rep)
                    if len({file_diff.get(k, 0), tl.get(k, 0), rep.get(k, 0)}) > 1}
            tap(not diff and sum(file_diff.values()) > 1000,
                f"{what}: {sum(file_diff.values())} exits; per reason, the timeline's intervals "
                "= the file's difference (kvm-exitstat -f) = the report",
                "\n".join(f"reason {k}: file {v[0]}, timeline {v[1]}, report {v[2]}"
                          for k, v in sorted(diff.items())))
            phases = [r["phases"][p] for p in PHASES]
            tool_phases = [sum(tool_diff(tool, os.path.join(d, MARKS[i]),
                                         os.path.join(d, MARKS[i + 1])).values())
                           for i in range(len(PHASES))]
            tap(sum(phases) == r["boot_total"] == sum(file_diff.values()) and
                phases == tool_phases and all(p > 0 for p in phases[:3]),
                f"{what}: the phases {phases} add up to the boot's {r['boot_total']}, each as "
                "kvm-exitstat reads its boundaries",
                f"kvm-exitstat: {tool_phases}")
            totals.setdefault((isa, r["config"]), []).append(sum(file_diff.values()))
            check_percentiles(tool, d, what, r, report)
            check_heatmap(d, what, r)
    # The report states each configuration's exits per boot: their mean, and
    # for several boots the smallest and the largest, from the files.
    for (isa, config), t in sorted(totals.items()):
        want = f"{statistics.mean(t):,.0f}" + (f" ({min(t):,}-{max(t):,}" if len(t) > 1 else "")
        tap(want in report, f"{isa} {config}: the report states the exits per boot of "
            f"its {len(t)} boot(s), {want}{')' if len(t) > 1 else ''}")
    for name, files in results["plots"].items():
        for path in files:
            kind = subprocess.run(["file", "-b", path], capture_output=True, text=True).stdout
            ok = os.path.getsize(path) > 1000
            if path.endswith(".png"):
                ok &= kind.startswith("PNG image data")
            else:
                ok &= "SVG" in kind
                try:
                    ok &= ET.parse(path).getroot().tag.endswith("svg")
                except ET.ParseError as e:
                    ok, kind = False, str(e)
            tap(ok, f"plot {name}: {os.path.basename(path)} is a valid "
                f"{'PNG' if path.endswith('.png') else 'SVG'}", kind)
        png = [os.path.basename(p) for p in files if p.endswith(".png")]
        tap(all(f"]({p})" in report for p in png), f"plot {name}: the report shows {png}")
    check_html(demo, report)


def timed_total(path):
    """The exits timed of every reason in an exit_stats file (column 7)."""
    n = 0
    with open(path) as f:
        for line in f:
            f_ = line.split()
            if f_ and not f_[0].startswith("#") and f_[0] != "-" and len(f_) >= 7:
                n += int(f_[6])
    return n


def check_heatmap(d, what, r):
    """The heatmap's intervals hold every exit timed during the boot: the
    samples are taken right after the first file and after QEMU ended."""
    want = timed_total(os.path.join(d, "end")) - timed_total(os.path.join(d, "start"))
    got = r.get("heatmap", {}).get("exits_timed")
    tap(got == want and r["heatmap"]["intervals"] > 5,
        f"{what}: the heatmap's {r.get('heatmap', {}).get('intervals')} intervals hold the "
        f"boot's {want} exits timed, as the statistics files count them",
        f"the heatmap has {got}")


def check_percentiles(tool, d, what, r, report):
    """The report's percentiles of the VM's histograms (computed in Python)
    are kvm-exitstat --hist's of the same file (in C), bucket bound for
    bucket bound, and the report's table shows the p50 of the most frequent
    reason."""
    path = os.path.join(d, "vm-hist")
    if not os.path.exists(path):
        tap(False, f"{what}: vm-boot kept the VM's histograms (vm-hist; kvm.exit_stats=hist)")
        return
    out = subprocess.run([tool, "--hist", "-f", path], capture_output=True, text=True)
    lines = out.stdout.splitlines()
    tsc_khz = float(lines[0].split("TSC ")[1].split(" MHz")[0]) * 1000 if lines else 0
    want = {}
    for line in lines[2:]:
        f = line.split()
        if f[0] != "-":
            want[int(f[0], 0)] = f[3:11]
    got, bad = {}, []
    for k, kinds in r["percentiles"].items():
        cells = []
        for kind in ("e2e", "kvm"):
            for p in ("p50", "p90", "p99", "p99.9"):
                hi = kinds[kind][p]
                cells.append("inf" if hi is None else f"{hi * 1000 / tsc_khz:.2f}")
        got[int(k)] = cells
    for k in set(want) | set(got):
        if want.get(k) != got.get(k):
            bad.append(f"reason {k}: kvm-exitstat {want.get(k)}, the report {got.get(k)}")
    shown = [k for k, c in got.items() if f" | {c[0]} | {c[1]} | {c[2]} | {c[3]} | " in report]
    tap(out.returncode == 0 and not bad and len(got) >= 3 and len(shown) == len(got),
        f"{what}: the report's percentiles of {len(got)} reasons (exit-to-entry and in KVM, "
        "p50 to p99.9) are kvm-exitstat --hist's of the VM's histograms, and its table shows them",
        out.stderr + "\n".join(bad) + f"\nin the report's table: {sorted(shown)} of {sorted(got)}")


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.count = {}

    def handle_starttag(self, tag, attrs):
        self.count[tag] = self.count.get(tag, 0) + 1


def check_html(demo, report):
    """report.html has the Markdown's tables and images, as HTML."""
    path = os.path.join(demo, "report.html")
    if not tap(os.path.exists(path), "report.html exists (python3-markdown renders report.md)"):
        return
    tags = Tags()
    with open(path) as f:
        tags.feed(f.read())
    lines = report.splitlines()
    want_tables = sum(1 for i, l in enumerate(lines) if l.startswith("|")
                      and (i == 0 or not lines[i - 1].startswith("|")))
    want_images = report.count("![")
    got = (tags.count.get("table", 0), tags.count.get("img", 0))
    tap(got == (want_tables, want_images) and want_tables > 0,
        f"report.html has the report's {want_tables} tables and {want_images} images",
        f"report.html: {got[0]} tables, {got[1]} images")


if __name__ == "__main__":
    main()
