#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
kvm-exitstat's machine formats read by real parsers: JSON by Python's json
and checked against docs/kvm-exitstat.schema.json (jsonschema), CSV by
Python's csv, Prometheus by the Prometheus client library's parser and by
promtool; their numbers against the exit_stats files, read here by a parser
of our own, independent of lib/statsfile.c.  On every recorded fixture, on
names that try to break each format, and on two VMs at once.  Prints TAP.

Usage: formats_test.py KVM-EXITSTAT FIXTURES SCHEMA WORKDIR
"""
import csv
import io
import json
import os
import re
import subprocess
import sys

import jsonschema
from prometheus_client.parser import text_string_to_metric_families

TOOL, FIXTURES, SCHEMA, WORK = sys.argv[1:5]
os.makedirs(WORK, exist_ok=True)
FIXTURE_NAMES = ["svm-system.txt", "svm-vm.txt", "vmx-system.txt", "vmx-vm.txt",
                 "svm-vm-a.txt", "svm-vm-b.txt", "svm-system-2vms.txt", "svm-system-split.txt"]
CSV_COLUMNS = ("timestamp,interval_s,scope,vm,vcpu,guest,file,before_file,isa,tsc_khz,row,reason,"
               "name,count,count_pct,count_per_s,cycles,time_pct,avg_cycles,min_cycles,"
               "max_cycles,time_s,avg_us,min_us,max_us,timed,e2e_cycles,avg_e2e_cycles,"
               "max_e2e_cycles,user_cycles,blocked_cycles,preempted_cycles,avg_e2e_us,since_reset").split(",")
with open(SCHEMA) as f:
    schema = json.load(f)
VALIDATOR = jsonschema.Draft7Validator(schema)
VMS_VALIDATOR = jsonschema.Draft7Validator(dict(schema["definitions"]["vms"],
                                                 definitions=schema["definitions"]))


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


def test(desc, fn, *args):
    try:
        fn(*args)
        print("ok - unit/formats: " + desc)
    except Failed as e:
        print("not ok - unit/formats: " + desc)
        for line in str(e).splitlines():
            print("# " + line)
    except Exception as e:  # a crash of the test is a failure too
        print("not ok - unit/formats: " + desc)
        print("# %s: %s" % (type(e).__name__, e))


def read_stats(path):
    """The exit_stats text format, as docs/interfaces.md defines it."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    check(lines[-1] == "", "%s: no newline at the end" % path)
    head = dict(kv.split("=") for kv in lines[0][2:].split(" "))
    st = {"isa": head["isa"], "tsc_khz": int(head["tsc_khz"]), "rows": {},
          "unlisted": (0, 0)}
    for line in lines[1:-1]:
        if line.startswith("# unlisted"):
            kv = dict(x.split("=") for x in line.split(": ")[1].split(" "))
            st["unlisted"] = (int(kv["count"]), int(kv["cycles"]))
        elif line.startswith("#"):
            continue
        else:
            f = line.split(" ")
            vals = tuple(int(x) for x in f[2:])
            if f[0] == "-":
                st["total"] = vals
            else:
                st["rows"][int(f[0])] = (f[1],) + vals
    return st


def run(*args, stdin=None):
    p = subprocess.run([TOOL] + list(args), capture_output=True, stdin=stdin)
    check(p.returncode == 0, "kvm-exitstat %s: exit %d: %s" %
          (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout.decode("utf-8")   # a UnicodeDecodeError fails the test


def json_lines(text):
    objs = [json.loads(line) for line in text.splitlines()]
    for o in objs:
        errors = sorted(VALIDATOR.iter_errors(o), key=str)
        check(not errors, "not the schema: %s" % "; ".join(e.message for e in errors[:3]))
    return objs


def same_as_file(rows, total, st, what):
    """Rows (dicts of the JSON/CSV fields, numbers as int or None) against the file."""
    count = cycles = 0
    seen = set()
    for r in rows:
        if r["row"] == "reason":
            name, c, y, mn, mx = st["rows"][int(r["reason"])][:5]
            split = st["rows"][int(r["reason"])][5:]
            # with the time split: timed, exit-to-entry and its parts; else timed = count
            want = (split[0], split[1], split[3], split[4], split[5]) if split else (c, None, None, None, None)
            got = (r["timed"], r["e2e_cycles"], r["user_cycles"], r["blocked_cycles"],
                   r["preempted_cycles"])
            check(got == want, "%s: %s timed, e2e, user, blocked, preempted %s, the file %s" %
                  (what, name, got, want))
            check(r["name"] == name, "%s: reason %s is named %s, the file says %s" %
                  (what, r["reason"], r["name"], name))
            check((r["count"], r["cycles"]) == (c, y), "%s: %s %s %s, the file %s %s" %
                  (what, name, r["count"], r["cycles"], c, y))
            check(c == 0 or (r["min_cycles"], r["max_cycles"]) == (mn, mx),
                  "%s: %s min/max %s %s, the file %s %s" %
                  (what, name, r["min_cycles"], r["max_cycles"], mn, mx))
            seen.add(int(r["reason"]))
        else:
            check(r["row"] == "unlisted", "%s: a row %s" % (what, r["row"]))
            check((r["count"], r["cycles"]) == st["unlisted"], "%s: unlisted %s %s" %
                  (what, r["count"], r["cycles"]))
        count += r["count"]
        cycles += r["cycles"]
    check(seen == set(st["rows"]), "%s: %d reasons, the file has %d" %
          (what, len(seen), len(st["rows"])))
    check((count, cycles) == st["total"][:2] == (total["count"], total["cycles"]),
          "%s: the rows add up to %d %d; TOTAL %s %s; the file %s" %
          (what, count, cycles, total["count"], total["cycles"], st["total"]))


def csv_rows(text):
    reader = csv.reader(io.StringIO(text, newline=""))
    table = list(reader)
    check(table[0] == CSV_COLUMNS, "the CSV header is %s" % table[0])
    out = []
    for line in table[1:]:
        check(len(line) == len(CSV_COLUMNS), "a CSV line of %d fields: %s" % (len(line), line))
        d = dict(zip(CSV_COLUMNS, line))
        for k in ("reason", "count", "cycles", "min_cycles", "max_cycles", "tsc_khz", "timed",
                  "e2e_cycles", "max_e2e_cycles", "user_cycles", "blocked_cycles",
                  "preempted_cycles"):
            d[k] = int(d[k]) if d[k] != "" else None
        out.append(d)
    return out


def prom_samples(text):
    """{(name, frozenset(labels)): value}, by the Prometheus client's parser."""
    samples = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            key = (s.name, frozenset(s.labels.items()))
            check(key not in samples, "the series %s twice" % (key,))
            samples[key] = s.value
    return samples


def promtool(text, what):
    p = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
    out = (p.stdout + p.stderr).decode(errors="replace").strip()
    check(p.returncode == 0 and not out, "promtool on %s: %s" % (what, out))


def fixture_path(name):
    path = os.path.join(FIXTURES, name)
    check(os.path.exists(path), "the fixture %s is missing: record it in the lab "
          "(lab/record-fixtures.sh) into tests/unit/fixtures" % name)
    return path


def fixture_formats(name):
    path = fixture_path(name)
    st = read_stats(path)
    objs = json_lines(run("-f", path, "--json", "-a"))
    check(len(objs) == 1 and objs[0]["event"] == "report", "one report")
    check(objs[0]["isa"] == st["isa"] and objs[0]["tsc_khz"] == st["tsc_khz"], "isa, tsc_khz")
    same_as_file(objs[0]["reasons"], objs[0]["total"], st, name + " JSON")
    rows = csv_rows(run("-f", path, "--csv", "-a"))
    same_as_file([r for r in rows if r["row"] != "total"],
                 [r for r in rows if r["row"] == "total"][0], st, name + " CSV")
    # the same fields, row by row, in JSON and CSV
    for j, c in zip(objs[0]["reasons"] + [objs[0]["total"]], rows):
        for k in ("row", "name", "count", "cycles", "min_cycles", "max_cycles"):
            check(j[k] == c[k], "%s: JSON %s=%r, CSV %r" % (name, k, j[k], c[k]))
    text = run("-f", path, "--prometheus")
    promtool(text, name)
    s = prom_samples(text)
    exits = {k: v for k, v in s.items() if k[0] == "kvm_exits_total"}
    check(sum(exits.values()) == st["total"][0], "%s: kvm_exits_total adds up to %s, TOTAL %s" %
          (name, sum(exits.values()), st["total"][0]))
    cycles = sum(v for k, v in s.items() if k[0] == "kvm_exit_handling_cycles_total")
    check(cycles == st["total"][1], "%s: the cycles add up to %s, TOTAL %s" %
          (name, cycles, st["total"][1]))
    for reason, (rname, c, y, mn, mx, *_split) in st["rows"].items():
        key = ("kvm_exits_total", frozenset({"isa": st["isa"], "reason": str(reason),
                                             "name": rname}.items()))
        # a reason that never happened has no series: a fleet's export stays small
        check(s.get(key) == (c or None), "%s: %s is %s, the file %s" % (name, key, s.get(key), c))
        if st["tsc_khz"] and c:
            key = ("kvm_exit_handling_seconds_total", key[1])
            check(abs(s[key] - y / (st["tsc_khz"] * 1000.0)) < 1e-9,
                  "%s: %s seconds %s" % (name, rname, s[key]))
    # the table names reasons as the manual numbers them
    table = run("-f", path)
    for reason, (rname, c, *_rest) in st["rows"].items():
        if c:
            num = ("0x%03x" % reason) if st["isa"] == "svm" else str(reason)
            check("\n%10s  %-25s %12d " % (num, rname, c) in table,
                  "%s: no table line for %s %s" % (name, num, rname))


def make_tree(root, vms, system):
    """A debugfs and procfs: VMs {id: (fixture, comm bytes, cmdline bytes)}."""
    os.makedirs(os.path.join(root, "debug/kvm"), exist_ok=True)
    with open(system) as f, open(os.path.join(root, "debug/kvm/exit_stats"), "w") as o:
        o.write(f.read())
    for vm, (fixture, comm, cmdline) in vms.items():
        d = os.path.join(root, "debug/kvm", vm)
        os.makedirs(d, exist_ok=True)
        with open(fixture) as f, open(os.path.join(d, "exit_stats"), "w") as o:
            o.write(f.read())
        p = os.path.join(root, "proc", vm.split("-")[0])
        os.makedirs(p, exist_ok=True)
        with open(os.path.join(p, "comm"), "wb") as o:
            o.write(comm)
        with open(os.path.join(p, "cmdline"), "wb") as o:
            o.write(cmdline)
    return ["--debugfs", os.path.join(root, "debug"), "--proc", os.path.join(root, "proc")]


EVIL = 'ev"il\\,x\n'


def evil_names():
    """Names that try to break every format: quotes, backslashes, commas, newlines, bad UTF-8.
    A reason's name is its table's (the parser refuses any other), so the evil ones are the
    process's and the guest's."""
    d = os.path.join(WORK, "evil")
    with open(fixture_path("svm-vm.txt")) as f:
        text = f.read()
    evil_reason = os.path.join(WORK, "evil-reason.txt")
    with open(evil_reason, "w") as o:
        o.write(text.replace("114 cpuid ", '114 ev"il\\,x '))
    p = subprocess.run([TOOL, "-f", evil_reason, "--json"], capture_output=True)
    check(p.returncode == 1 and p.stdout == b"" and
          b'reason 114 is cpuid in the svm table, not "ev"il\\,x"' in p.stderr,
          "a reason named other than its table names it: exit %d: %s" %
          (p.returncode, p.stderr.decode(errors="replace")))
    stats = os.path.join(WORK, "evil.txt")
    with open(stats, "w") as o:
        o.write(text)
    guest_raw = b'we"b\\1,,x\ny\xff'   # ",," is a comma in QEMU's option syntax
    guest = 'we"b\\1,x\ny\ufffd'
    comm_raw = b'evil"vm,\\x\n'
    args = make_tree(d, {"4242-11": (stats, comm_raw, b"qemu\0-name\0guest=" + guest_raw + b"\0")},
                     stats)
    # --list-vms, JSON and CSV
    vms = json.loads(run(*args, "--list-vms", "--json"))
    errors = list(VMS_VALIDATOR.iter_errors(vms))
    check(not errors, "--list-vms --json: not the schema: %s" % errors[:1])
    check(vms[0]["comm"] == 'evil"vm,\\x' and vms[0]["guest"] == guest,
          "--list-vms --json: comm %r guest %r" % (vms[0]["comm"], vms[0]["guest"]))
    rows = list(csv.DictReader(io.StringIO(run(*args, "--list-vms", "--csv"), newline="")))
    check(len(rows) == 1 and rows[0]["comm"] == 'evil"vm,\\x' and rows[0]["guest"] == guest and
          rows[0]["exits"] == "15899", "--list-vms --csv: %s" % rows)
    # reports
    for vm_args in ([], ["--vm", "4242-11"]):
        o = json_lines(run(*args, *vm_args, "--json"))[0]
        names = [r["name"] for r in o["reasons"]]
        check("cpuid" in names, "JSON names %s" % names)
        check(o["guest"] == (guest if vm_args else None), "JSON guest %r" % o["guest"])
        rows = csv_rows(run(*args, *vm_args, "--csv"))
        check("cpuid" in [r["name"] for r in rows], "CSV names")
        check(all(r["guest"] == (guest if vm_args else "") for r in rows), "CSV guest")
    text = run(*args, "--prometheus")
    promtool(text, "the evil names")
    s = prom_samples(text)
    key = ("kvm_vm_exits_total", frozenset({"vm": "4242-11", "guest": guest, "isa": "svm",
                                            "reason": "114", "name": "cpuid"}.items()))
    check(s.get(key) == 10000, "Prometheus: %s" % [k for k in s if k[0] == "kvm_vm_exits_total"][:2])
    j = json_lines(run("-f", stats, "--json"))[0]
    check(j["file"] == stats, "JSON file")


def two_vms():
    """Two VMs at once: each VM's file is its own, and the system's rows are their sum."""
    a, b, system = (fixture_path(n) for n in ("svm-vm-a.txt", "svm-vm-b.txt",
                                               "svm-system-2vms.txt"))
    sa, sb, ss = read_stats(a), read_stats(b), read_stats(system)
    for reason, row in ss["rows"].items():
        ra, rb = sa["rows"][reason], sb["rows"][reason]
        check(row[1:3] == (ra[1] + rb[1], ra[2] + rb[2]),
              "the recorded files: %s in the system's file is not A's plus B's" % row[0])
        counted = [r for r in (ra, rb) if r[1]]
        if counted:
            check(row[3] == min(r[3] for r in counted) and row[4] == max(r[4] for r in counted),
                  "the recorded files: %s's min/max are not A's and B's" % row[0])
    args = make_tree(os.path.join(WORK, "two"), {
        "100-12": (a, b"qemu-system-x86\n", b"qemu\0-name\0guest=vm-a\0"),
        "200-12": (b, b"qemu-system-x86\n", b"qemu\0-name\0vm-b,process=b\0")}, system)
    text = run(*args, "--prometheus")
    promtool(text, "two VMs")
    s = prom_samples(text)
    for reason, (rname, c, *_r) in ss["rows"].items():
        labels = {"isa": "svm", "reason": str(reason), "name": rname}
        per_vm = sum(v for k, v in s.items() if k[0] == "kvm_vm_exits_total" and
                     {x for x in k[1] if x[0] != "vm" and x[0] != "guest"} == set(labels.items()))
        check(per_vm == s.get(("kvm_exits_total", frozenset(labels.items())), 0) == c,
              "%s: the VMs' series add up to %s, the system's is %s" % (rname, per_vm, c))
    for vm, fx, guest in (("100-12", sa, "vm-a"), ("200-12", sb, "vm-b")):
        for sel in (["--vm", vm], ["-g", guest]):
            o = json_lines(run(*args, *sel, "--json", "-a"))[0]
            check(o["vm"] == vm and o["guest"] == guest and o["scope"] == "vm", "the VM %s" % sel)
            same_as_file(o["reasons"], o["total"], fx, "VM %s" % vm)
    # the difference of two files: B's exits from A's file to the system's
    o = json_lines(run("-f", a, "-f", system, "--json"))[0]
    check(o["before_file"] == a and o["file"] == system and o["total"]["count"] ==
          ss["total"][0] - sa["total"][0], "-f A -f SYSTEM: %s" % o["total"])


def interval_stream():
    args = make_tree(os.path.join(WORK, "iv"), {}, fixture_path("vmx-system.txt"))
    objs = json_lines(run(*args, "-i", "0.1", "-n", "2", "--json"))
    check(len(objs) == 2 and all(o["interval_s"] > 0 for o in objs), "two intervals")
    rows = csv_rows(run(*args, "-i", "0.1", "-n", "2", "--csv", "-a"))
    check(all(r["min_cycles"] is None and r["count_per_s"] != "" for r in rows),
          "interval CSV: min/max unknown (empty), rates known")


def read_hist(path):
    """The exit_stats_hist text format: {(reason or '-', kind): [32 buckets]}."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = dict(kv.split("=") for kv in lines[0][2:].split(" "))
    check(head["buckets"] == "32", "%s: buckets=%s" % (path, head["buckets"]))
    hist = {}
    for line in lines[1:-1]:
        if not line.startswith("#"):
            f = line.split(" ")
            hist[(f[0] if f[0] == "-" else int(f[0]), f[2])] = [int(x) for x in f[3:]]
    return head, hist


def prometheus_histograms(stats_name, hist_name):
    """
    A recorded pair of the system-wide files: kvm-exitstat --prometheus
    exports each reason's two histograms as Prometheus histograms (promtool,
    the client's parser), cumulative, le in seconds of 2^i TSC cycles, their
    counts its exits timed, their sums its totals.
    """
    st = read_stats(fixture_path(stats_name))
    head, hist = read_hist(fixture_path(hist_name))
    hz = st["tsc_khz"] * 1000
    d = os.path.join(WORK, "prom-" + hist_name, "kvm")
    os.makedirs(d, exist_ok=True)
    for src, dst in ((stats_name, "exit_stats"), (hist_name, "exit_stats_hist")):
        with open(fixture_path(src)) as f, open(os.path.join(d, dst), "w") as g:
            g.write(f.read())
    text = run("--debugfs", os.path.dirname(d), "--prometheus", "--all-series")
    promtool(text, hist_name)
    s = prom_samples(text)
    check(any(k[0] == "kvm_exit_to_entry_seconds_count" for k in s),
          "%s: no histograms exported" % hist_name)
    for reason, (rname, c, y, mn, mx, timed, e2e, *_rest) in st["rows"].items():
        if not timed:
            continue
        check((reason, "e2e") in hist, "%s: %s has exits timed and no histogram" %
              (hist_name, rname))
        for fam, kind, total in (("kvm_exit_to_entry_seconds", "e2e", e2e),
                                 ("kvm_exit_in_kvm_seconds", "kvm", y)):
            lab = {"isa": st["isa"], "reason": str(reason), "name": rname}
            b = hist[(reason, kind)]
            check(sum(b) == timed, "%s: %s %s buckets add up to %d, timed %d" %
                  (hist_name, rname, kind, sum(b), timed))
            cum = 0
            for i in range(32):
                cum += b[i]
                le = "+Inf" if i == 31 else None
                key = None
                for k in s:
                    if k[0] == fam + "_bucket" and dict(k[1]).get("reason") == str(reason):
                        kl = dict(k[1])
                        if (le and kl["le"] == le) or (not le and kl["le"] != "+Inf" and
                                                       abs(float(kl["le"]) * hz - 2 ** i) < 2 ** i * 1e-6):
                            key = k
                check(key is not None and s[key] == cum, "%s: %s %s bucket le=2^%d: %s, expected %d" %
                      (hist_name, rname, kind, i, key and s[key], cum))
            cnt = s[(fam + "_count", frozenset(lab.items()))]
            sm = s[(fam + "_sum", frozenset(lab.items()))]
            check(cnt == timed, "%s: %s _count %s, timed %d" % (fam, rname, cnt, timed))
            check(abs(sm - total / hz) <= 1e-6 * max(1, total / hz),
                  "%s: %s _sum %s, the file's %s s" % (fam, rname, sm, total / hz))


def man_text(page):
    """The man page as man renders it, in one line per paragraph or form."""
    env = dict(os.environ, MANWIDTH="250", LC_ALL="C.UTF-8")
    p = subprocess.run(["man", "--no-hyphenation", "--no-justification", "-l", page],
                       capture_output=True, env=env)
    check(p.returncode == 0, "man -l %s: %s" % (page, p.stderr.decode()))
    text = re.sub(".\b", "", p.stdout.decode())
    return text.replace("\u2212", "-").replace("\u2010", "-")


def man_page_matches_the_tool():
    page = os.path.join(os.path.dirname(SCHEMA), "..", "kvm-exitstat", "kvm-exitstat.8")
    text = man_text(page)
    synopsis = text.split("\nSYNOPSIS\n")[1].split("\nDESCRIPTION\n")[0]
    helptext = run("--help")
    # the forms of --help's usage are the SYNOPSIS's
    usage = re.sub(r"\n {20}", " ", helptext.split("\n\n")[0].replace("usage: ", "       "))
    forms = [" ".join(l.split()) for l in usage.splitlines() if l.startswith("       ")]
    man_forms = [" ".join(l.split()) for l in synopsis.splitlines() if "kvm-exitstat" in l]
    check(forms == man_forms, "--help's forms:\n%s\nthe man page's:\n%s" %
          ("\n".join(forms), "\n".join(man_forms)))
    # every option (but --help) is in the SYNOPSIS
    for line in helptext.splitlines():
        names = re.findall(r"(?:^  |, |^      )(--?[a-z][-a-z]*)", line)
        if names and "--help" not in names:
            check(any(re.search(r"(^|[\s\[|])" + re.escape(n) + r"\b", synopsis) for n in names),
                  "%s is not in the SYNOPSIS" % names)
    # each refusal is refused (exit 2), and the man page says it
    refusals = " ".join(text.split("Options that do not go together are refused")[1]
                        .split("\nOUTPUT\n")[0].split())
    for args, says in (
            (["--csv", "--json"], "two output formats"),
            (["--json", "-w"], "two output formats (-w is one)"),
            (["-p", "1", "--vm", "1-2"], "two ways of naming a VM"),
            (["--reset", "--dump"], "two of --list-vms, --reset, --dump and --guest-access"),
            (["--list-vms", "-i", "1"], "--list-vms with -i, -a, --prometheus or a VM"),
            (["--dump", "-a"], "any of these four with an option its form above does not show"),
            (["--reset", "-p", "1"], "--reset with a VM"),
            (["--guest-access", "vm"], "--guest-access without a VM"),
            (["--vcpu"], "--vcpu without a VM, or with -i, --prometheus or -f"),
            (["--vcpu", "-p", "1", "-i", "1"], "--vcpu without a VM, or with -i, --prometheus or -f"),
            (["-f", "a", "--debugfs", "x"], "-f with an option its forms do not show (WHERE, a VM, -i)"),
            (["-f", "a", "-f", "b", "-f", "c"], "three times"),
            (["-f", "-", "-f", "-"], "-f - twice"),
            (["-f", "a", "-f", "b", "--prometheus"], "two -f with --prometheus"),
            (["--prometheus", "-a"], "--prometheus with -a, -s, -r or -z"),
            (["--prometheus", "-s", "time"], "--prometheus with -a, -s, -r or -z"),
            (["-o", "x"], "-o or --all-series without --prometheus"),
            (["-f", "a", "-o", "x"], "-o or --all-series without --prometheus"),
            (["--hist", "-i", "1"], "--hist with an option its forms do not show (-i, -a, -s, an output format, -r or -z)"),
            (["--hist", "--csv"], "--hist with an option its forms do not show (-i, -a, -s, an output format, -r or -z)"),
            (["--hist", "-f", "a", "-f", "b"], "or with two -f"),
            (["--prometheus", "-r", "io"], "--prometheus with -a, -s, -r or -z"),
            (["--all-series"], "-o or --all-series without --prometheus"),
            (["--hist", "-z"], "an output format, -r or -z"),
            (["-n", "2"], "-n without -i")):
        p = subprocess.run([TOOL] + args, capture_output=True)
        check(p.returncode == 2, "kvm-exitstat %s: exit %d" % (" ".join(args), p.returncode))
        check(says in refusals, "the man page does not say \"%s\" (kvm-exitstat %s)" %
              (says, " ".join(args)))


for name in FIXTURE_NAMES:
    test("%s: JSON (schema), CSV and Prometheus (promtool) read back the file's numbers; "
         "the rows add up to TOTAL" % name, fixture_formats, name)
for stats_name, hist_name in (("svm-system-2vms.txt", "svm-system-2vms-hist.txt"),
                              ("vmx-system.txt", "vmx-system-hist.txt")):
    test("%s: --prometheus exports its histograms as Prometheus histograms (promtool), "
         "buckets, counts and sums as the files have them" % hist_name,
         prometheus_histograms, stats_name, hist_name)
test("names with quotes, backslashes, commas, newlines and bad UTF-8 (process, guest) "
     "leave JSON, CSV and Prometheus valid and read back; a reason's is its table's", evil_names)
test("two concurrent VMs: the system's series are the sum of the VMs'; -g/--vm pick each",
     two_vms)
test("interval mode: a JSON Lines stream of the schema; CSV with empty min/max", interval_stream)
test("man kvm-exitstat: its SYNOPSIS is --help's usage with every option; it lists every "
     "refused combination", man_page_matches_the_tool)
