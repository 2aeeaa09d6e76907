#!/usr/bin/env bash
# The histograms of kvm-exitstat --prometheus in a real Prometheus server:
# Debian's prometheus-node-exporter serves the textfile of a lab recording
# (the system-wide statistics and histograms of one moment), Debian's
# prometheus scrapes it, and the PromQL query
#   histogram_quantile(0.99, kvm_exit_to_entry_seconds_bucket{reason="R"})
# answers, for each reason R with exits timed, a value inside the bucket
# that kvm-exitstat --hist gives as that reason's p99 (Prometheus
# interpolates inside the bucket; the tool shows its upper bound).  Prints TAP.
#   tests/unit/prometheus_query.sh KVM-EXITSTAT FIXTURES WORKDIR
set -uo pipefail
tool=$1 fixtures=$2 work=$3
desc="unit/prometheus: Prometheus scrapes the histograms through node_exporter; histogram_quantile(0.99) of each reason lies in the bucket of kvm-exitstat --hist's p99"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
fail() {
	echo "not ok - $desc"
	printf '# %s\n' "$@"
	exit 0
}
free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

rm -rf "$work"
mkdir -p "$work/debug/kvm" "$work/textfile" "$work/data"
cp "$fixtures/svm-system-2vms.txt" "$work/debug/kvm/exit_stats" &&
	cp "$fixtures/svm-system-2vms-hist.txt" "$work/debug/kvm/exit_stats_hist" ||
	fail "a fixture is missing (svm-system-2vms.txt, svm-system-2vms-hist.txt)"
out=$("$tool" --debugfs "$work/debug" --prometheus -o "$work/textfile/kvm.prom" 2>&1) || fail "$out"
p99=$("$tool" --hist -f "$work/debug/kvm/exit_stats_hist" 2>&1) || fail "$p99"

ne=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$ne" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$work/textfile" \
	> "$work/node_exporter.log" 2>&1 &
pids+=($!)
cat > "$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: kvm
    static_configs:
      - targets: ["127.0.0.1:$ne"]
YML
pr=$(free_port)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
	--web.listen-address="127.0.0.1:$pr" > "$work/prometheus.log" 2>&1 &
pids+=($!)

# reason name p99-upper-bound-us, from the tool's table (its 6th column)
/usr/bin/python3 - "$pr" "$p99" > "$work/compare.log" 2>&1 <<'PY'
import json, sys, time, urllib.parse, urllib.request

port, table = sys.argv[1], sys.argv[2]
rows = []
for line in table.splitlines():
    f = line.split()
    if line.startswith("#") or f[0] in ("REASON", "-"):
        continue
    rows.append((int(f[0], 16), f[1], float(f[5]) / 1e6))   # SVM reasons in hex; E2E_P99, s

def query(q):
    url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(q))
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)["data"]["result"]

deadline, ok = time.time() + 60, True
while True:
    try:
        if query('count(kvm_exit_to_entry_seconds_bucket)'):
            break
    except Exception:
        pass
    if time.time() > deadline:
        print("Prometheus had scraped no histogram after 60 s")
        sys.exit(1)
    time.sleep(0.5)
for reason, name, hi in rows:
    res = query('histogram_quantile(0.99, kvm_exit_to_entry_seconds_bucket{reason="%d"})' % reason)
    v = float(res[0]["value"][1]) if res else float("nan")
    inside = hi / 2 * (1 - 1e-3) <= v <= hi * (1 + 1e-3)   # the tool rounds to 0.01 us
    ok &= inside
    print("%s: PromQL p99 %.9f s, kvm-exitstat's p99 bucket [%.9f, %.9f] s%s" %
          (name, v, hi / 2, hi, "" if inside else "  <- outside"))
sys.exit(0 if ok and rows else 1)
PY
status=$?
if [ $status -eq 0 ]; then echo "ok - $desc"; else echo "not ok - $desc"; fi
sed 's/^/# /' "$work/compare.log"
[ $status -eq 0 ] || tail -5 "$work/prometheus.log" | sed 's/^/# prometheus: /'
exit 0
