#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a hung L1 is: asks a running QEMU, through its QMP socket, for each
CPU's registers and local APIC, and names the kernel function of each RIP
from a System.map if one is given.  run_job (lab/lib.sh) calls it when an
L1 under QEMU has been silent too long, before it stops QEMU.

It ends with a "KNOWN-FAULT:" line if the state is the signature of a known
emulator fault, the only kind of hang the lab boots again (lab/lib.sh,
with_retry): QEMU 7.2 not waking a halted CPU that has a deliverable
interrupt (docs/lab.md, "Traps found"): a CPU halted (HLT=1) with
interrupts on (IF set in RFLAGS, no interrupt shadow), an interrupt
requested in its local APIC's IRR above its processor priority, and none in
service.

    qmp-dump.py SOCKET [SYSTEM_MAP]
"""
import bisect
import json
import re
import socket
import sys


def hmp(f, sock, command):
    sock.sendall(json.dumps({"execute": "human-monitor-command",
                             "arguments": {"command-line": command}}).encode() + b"\n")
    while True:
        reply = json.loads(f.readline())
        if "return" in reply or "error" in reply:
            return reply.get("return", "error: %s" % reply.get("error"))


def symbols(path):
    addrs, names = [], []
    with open(path) as f:
        for line in f:
            a, t, name = line.split()[:3]
            if t.lower() in "tw":
                addrs.append(int(a, 16))
                names.append(name)
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]


def main():
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(10)
    sock.connect(sys.argv[1])
    f = sock.makefile()
    f.readline()                        # the greeting
    sock.sendall(b'{"execute": "qmp_capabilities"}\n')
    f.readline()
    syms = symbols(sys.argv[2]) if len(sys.argv) > 2 else None
    if syms and not syms[0]:
        print("no symbols in %s (Debian's is a stub: the real one is in the kernel's -dbg "
              "package)" % sys.argv[2])
        syms = None
    cpus = hmp(f, sock, "info cpus")
    print(cpus.rstrip())
    faults = []
    for m in re.finditer(r"CPU #(\d+)", cpus):
        hmp(f, sock, "cpu %s" % m.group(1))
        regs = hmp(f, sock, "info registers")
        print("CPU %s:" % m.group(1))
        print(regs.rstrip())
        rip = re.search(r"RIP=([0-9a-f]+)", regs)
        if syms and rip:
            a = int(rip.group(1), 16)
            i = bisect.bisect_right(syms[0], a) - 1
            if i >= 0 and a - syms[0][i] < 0x100000:
                print("RIP is %s+%#x" % (syms[1][i], a - syms[0][i]))
            else:
                print("RIP is outside the kernel's image (a module, or user space)")
        lapic = hmp(f, sock, "info lapic")
        print(lapic.rstrip())
        fault = not_woken(m.group(1), regs, lapic)
        if fault:
            faults.append(fault)
    for fault in faults:
        print("KNOWN-FAULT: " + fault)


def not_woken(cpu, regs, lapic):
    """The signature of QEMU 7.2's halted CPU that is never woken, or None."""
    rfl = re.search(r"RFL=([0-9a-f]+)", regs)
    irr = re.search(r"^IRR\s+(.*)$", lapic, re.M)
    isr = re.search(r"^ISR\s+(.*)$", lapic, re.M)
    ppr = re.search(r"PPR 0x([0-9a-f]+)", lapic)
    if not (rfl and irr and isr and ppr) or "HLT=1" not in regs or "II=0" not in regs:
        return None
    if not int(rfl.group(1), 16) & 0x200 or "(none)" not in isr.group(1):
        return None
    pending = [int(v) for v in re.findall(r"\d+", irr.group(1))]
    above = [v for v in pending if v >> 4 > int(ppr.group(1), 16) >> 4]
    if not above:
        return None
    return ("qemu-halted-cpu-not-woken: CPU %s halted with interrupts on and vector %d "
            "requested, none in service, PPR 0x%s: QEMU 7.2 did not wake it"
            % (cpu, above[0], ppr.group(1)))


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError) as e:
        sys.exit("qmp-dump: cannot ask QEMU at %s: %s" % (sys.argv[1], e))
