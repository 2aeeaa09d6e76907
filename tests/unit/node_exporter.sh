#!/usr/bin/env bash
# kvm-exitstat --prometheus for a fleet, proved with the real thing:
# Debian's prometheus-node-exporter serves the textfile (system-wide and
# every VM's series) on a free loopback port, curl scrapes it once,
# promtool checks the scrape, and the scraped kvm_* series must equal the
# file's (both read by the Prometheus client library's parser).  Prints TAP.
#   tests/unit/node_exporter.sh KVM-EXITSTAT FIXTURES WORKDIR
set -uo pipefail
tool=$1 fixtures=$2 work=$3
desc="unit/node_exporter: the textfile collector serves kvm-exitstat --prometheus -o (system and 2 VMs); the scrape passes promtool and equals the file"

rm -rf "$work"
mkdir -p "$work/debug/kvm/100-12" "$work/debug/kvm/200-12" "$work/proc/100" "$work/textfile"
cp "$fixtures/svm-system-2vms.txt" "$work/debug/kvm/exit_stats" &&
cp "$fixtures/svm-vm-a.txt" "$work/debug/kvm/100-12/exit_stats" &&
cp "$fixtures/svm-vm-b.txt" "$work/debug/kvm/200-12/exit_stats" || {
	echo "not ok - $desc"; echo "# a fixture is missing (svm-system-2vms.txt, svm-vm-a.txt, svm-vm-b.txt)"; exit 0; }
printf 'qemu\0-name\0guest=web"1\0' > "$work/proc/100/cmdline"
if ! out=$("$tool" --debugfs "$work/debug" --proc "$work/proc" --prometheus \
		-o "$work/textfile/kvm.prom" 2>&1); then
	echo "not ok - $desc"; printf '# %s\n' "$out"; exit 0
fi

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$work/textfile" \
	> "$work/node_exporter.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
for _ in $(seq 100); do
	curl -sf "http://127.0.0.1:$port/metrics" -o "$work/scrape.txt" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done

/usr/bin/python3 - "$work/textfile/kvm.prom" "$work/scrape.txt" > "$work/compare.log" 2>&1 <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families

def series(path, only_kvm):
    out = {}
    for fam in text_string_to_metric_families(open(path).read()):
        for s in fam.samples:
            if not only_kvm or s.name.startswith("kvm_"):
                out[(s.name, frozenset(s.labels.items()))] = s.value
    return out

written, scraped = series(sys.argv[1], False), series(sys.argv[2], True)
errors = series(sys.argv[2], False).get(("node_textfile_scrape_error", frozenset()))
vm_series = sum(1 for k in written if k[0].startswith("kvm_vm_"))
ok = written == scraped and errors == 0 and vm_series > 0
print("%d series written (%d of VMs), %d scraped, node_textfile_scrape_error %s" %
      (len(written), vm_series, len(scraped), errors))
for k in sorted(set(written) ^ set(scraped), key=str)[:5]:
    print("only in one: %s" % (k,))
sys.exit(0 if ok else 1)
PY
status=$?
lint=$(promtool check metrics < "$work/scrape.txt" 2>&1)
[ -s "$work/scrape.txt" ] && [ $status -eq 0 ] && [ -z "$lint" ]
tap_status=$?
if [ $tap_status -eq 0 ]; then echo "ok - $desc"; else echo "not ok - $desc"; fi
sed 's/^/# /' "$work/compare.log"
[ -z "$lint" ] || printf '%s\n' "$lint" | sed 's/^/# promtool: /'
[ $tap_status -eq 0 ] || tail -5 "$work/node_exporter.log" | sed 's/^/# node_exporter: /'
exit 0
