# SPDX-License-Identifier: GPL-2.0
"""Plots by gnuplot, in PNG and SVG, for make demo (lab/demo/report.py) and
make bench (lab/bench/report.py)."""
import os
import subprocess


def q(text):
    """@text as a gnuplot string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def gnuplot(script, out_dir, name, size="1100,560"):
    """Runs @script for PNG and SVG: out_dir/name.png and .svg."""
    made = []
    for term, ext in (("pngcairo size %s font 'DejaVu Sans,10'" % size, "png"),
                      ("svg size %s dynamic font 'DejaVu Sans,10'" % size, "svg")):
        path = os.path.join(out_dir, f"{name}.{ext}")
        full = (f"set terminal {term}\nset termoption noenhanced\nset output '{path}'\n"
                f"{script}\nunset output\n")
        subprocess.run(["gnuplot"], input=full, text=True, check=True)
        made.append(path)
    return made
