#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's static count: the instructions of the exit path, read from
the disassembly of the built modules (objdump -dl: each instruction with the
source line it was compiled from), per ISA and tier, beside what make bench
measures.

    static.py KVM_DIR           (the built tree: kvm.ko, kvm-amd.ko, kvm-intel.ko
                                 with their debugging information)

An instruction belongs to the change when its source line is in one of the
change's inline headers (exit_stats.h, exit_stats_path.h, exit_stats_abi.h);
its tier is the inline function that line is in.  The static count is an
upper bound of what one exit executes: it holds both sides of every branch
(a reason without a slot, an exit that cannot be timed, a histogram's first
use); the static keys' own jumps (5-byte NOPs, in jump_label.h) are not in
it.
"""
import collections
import os
import re
import subprocess
import sys

HEADERS = ("exit_stats.h", "exit_stats_path.h", "exit_stats_abi.h")
TIERS = {
    "counts": {"kvm_exit_stats_vmx", "kvm_exit_stats_svm", "kvm_exit_stats_vmx_slot",
               "kvm_exit_stats_svm_slot", "kvm_exit_stats_begin", "kvm_exit_stats_path_count",
               "kvm_exit_stats_path_stat"},
    "time": {"kvm_exit_stats_path_start", "kvm_exit_stats_entry", "kvm_exit_stats_path_entry",
             "kvm_exit_stat_time", "kvm_exit_stats_parts_sum", "kvm_exit_stats_exit_tsc"},
    "hist": {"kvm_exit_stats_hist_add", "kvm_exit_stats_hist_bucket"},
    "leaves": {"kvm_exit_stats_cpu_slot"},
}
# The vendor's exit and entry: where the hooks are inlined (the rest, such
# as KVM_RUN's leave and back, or the CPUID leaves, is off the exit path).
PATH_FUNCS = {"svm": ("kvm-amd.ko", {"svm_vcpu_run", "svm_vcpu_enter_exit", "svm_handle_exit",
                                     "svm_exit_handlers_fastpath"}),
              "vmx": ("kvm-intel.ko", {"vmx_vcpu_run", "vmx_vcpu_enter_exit", "__vmx_handle_exit",
                                       "vmx_handle_exit", "vmx_exit_handlers_fastpath"})}
ENTRY = ("kvm.ko", {"vcpu_enter_guest", "vcpu_run", "kvm_arch_vcpu_ioctl_run"})


def header_functions(src_dir):
    """{(header, line): (function, source text)} for the change's headers."""
    where = {}
    for root, _, files in os.walk(src_dir):
        for name in files:
            if name not in HEADERS:
                continue
            func = None
            with open(os.path.join(root, name)) as f:
                lines = f.read().split("\n")
            for i, text in enumerate(lines, 1):
                m = re.match(r"^(?:static|[a-z_]+\s.*?)\s\**(\w+)\(", text)
                if m and not text.endswith(";"):
                    func = m.group(1)
                if func:
                    where[(name, i)] = (func, text)
                if text == "}":
                    func = None
    return where


def tier_of(func, text):
    if "this_cpu" in text or "cpu_slot" in text:
        return "leaves"
    for tier, funcs in TIERS.items():
        if func in funcs:
            return tier
    return "off-path"


def count(ko, funcs, where):
    """{tier: [instructions, rdtsc]} of the change's code in @funcs of @ko."""
    dis = subprocess.run(["objdump", "-dl", "--inlines", "--no-show-raw-insn", ko],
                         capture_output=True, text=True, check=True).stdout
    tiers = collections.defaultdict(lambda: [0, 0])
    sym, chain, after_insn = None, [], False
    for line in dis.split("\n"):
        m = re.match(r"^[0-9a-f]+ <([^>]+)>:$", line)
        if m:
            sym, chain = m.group(1).split(".")[0], []
            continue
        if re.match(r"^[\w.]+\(\):$", line):
            chain, after_insn = [], False
            continue
        m = re.match(r"^(?:inlined by )?(/\S+):(\d+)", line)
        if m:
            if after_insn:
                chain, after_insn = [], False
            chain.append((os.path.basename(m.group(1)), int(m.group(2))))
            continue
        if not re.match(r"^\s+[0-9a-f]+:\t", line):
            continue
        after_insn = True
        if sym not in funcs:
            continue
        # The innermost frame in the change's headers says the tier.
        ours = [where[f] for f in chain if f in where]
        if not ours:
            continue
        func, text = ours[0]
        t = tiers[tier_of(func, text)]
        t[0] += 1
        t[1] += "\trdtsc" in line
    return tiers


def main():
    kdir = sys.argv[1]
    where = header_functions(kdir)
    entry = count(os.path.join(kdir, ENTRY[0]), ENTRY[1], where)
    print("Instructions (and RDTSC) of the change in the exit path, from objdump -dl of the")
    print("modules built for Debian's kernel; both sides of every branch, so an upper bound:")
    print(f"{'':6} {'counts':>14} {'+ time':>14} {'+ hist':>14} {'+ leaves':>14}")
    for isa, (ko, funcs) in PATH_FUNCS.items():
        exit_ = count(os.path.join(kdir, ko), funcs, where)
        cells = []
        for tier in ("counts", "time", "hist", "leaves"):
            n = exit_[tier][0] + entry[tier][0]
            r = exit_[tier][1] + entry[tier][1]
            cells.append(f"{n} ({r} RDTSC)")
        print(f"{isa:6} " + " ".join(f"{c:>14}" for c in cells))
    print("(counts: at the VM-exit; time: the start and, at the next VM-entry in")
    print(f"{ENTRY[0]}, the timing; hist: the histograms; leaves: the per-CPU counts.)")


if __name__ == "__main__":
    main()
