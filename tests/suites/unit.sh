#!/usr/bin/env bash
# Suite "unit": the cmocka unit tests, under ASan and UBSan, as TAP.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

need_pkgs gcc libc6-dev make libcmocka-dev
"$TOP/lab/kernel-tree.sh" 2>/dev/null || die "cannot prepare the kernel source"
rm -f "$BUILD"/unit/*.tap	# a stale one must not pass for this run's
if ! out=$(make -s -C "$TOP/tests/unit" OUT="$BUILD/unit" all 2>&1); then
	tap 1 "unit: the unit tests build"
	printf '%s\n' "$out" | tail -25 | sed 's/^/# /'
	exit 0
fi
make -s -C "$TOP/tests/unit" OUT="$BUILD/unit" run
for t in "$BUILD"/unit/*.tap; do
	name=$(basename "$t" .tap)
	sed -n -e "s/^ok [0-9]* - /ok - unit\/$name: /p" \
	       -e "s/^not ok [0-9]* - /not ok - unit\/$name: /p" \
	       -e 's/^\(ERROR\|.*error:\)/# &/p' "$t"
	grep -q "^$name: exit 0$" "$t" || echo "not ok - unit/$name: $(tail -1 "$t")"
done

# The guest tool as built for guests, on this machine's real CPU: CPUID
# executed by the instruction and by the kernel's cpuid driver agree.
real=$BUILD/unit/real
if make -s -C "$TOP/kvm-exitstat-guest" OUT="$real" WERROR=1 >/dev/null 2>&1; then
	[ -e /dev/cpu/0/cpuid ] || modprobe cpuid 2>/dev/null
	if [ -r /dev/cpu/0/cpuid ]; then
		# Their standard output only, and each must succeed: two equal
		# error messages are no agreement.
		a=$("$real/kvm-exitstat-guest" --raw 0 --via instruction 2>/dev/null)
		ra=$?
		b=$("$real/kvm-exitstat-guest" --raw 0 --via device 2>/dev/null)
		rb=$?
		[ $ra -eq 0 ] && [ $rb -eq 0 ] && [ -n "$a" ] && [ "$a" = "$b" ]
		tap $? "unit: kvm-exitstat-guest --raw 0: the CPUID instruction and /dev/cpu/0/cpuid agree"
		printf '# %s (exit %d)\n# %s (exit %d)\n' "$a" $ra "$b" $rb
	else
		echo "ok - unit: kvm-exitstat-guest through /dev/cpu/0/cpuid # SKIP no cpuid device here"
	fi
else
	tap 1 "unit: kvm-exitstat-guest builds with WERROR=1"
fi

# The parser, fuzzed for a bounded time.
"$TOP/tests/fuzz/run.sh" 30

# The machine formats read by real parsers (Python's json with the JSON
# schema, csv, the Prometheus client's parser, promtool), on every fixture.
need_pkgs prometheus python3 python3-jsonschema python3-prometheus-client \
	prometheus-node-exporter curl man-db
/usr/bin/python3 "$TOP/tests/unit/formats_test.py" "$BUILD/unit/kvm-exitstat" \
	"$TOP/tests/unit/fixtures" "$TOP/docs/kvm-exitstat.schema.json" "$BUILD/unit/formats" ||
	echo "not ok - unit: tests/unit/formats_test.py ran to its end (exit $?; its error is in $BUILD/check/unit.stderr)"

# A fleet's export, served by node_exporter's textfile collector on loopback.
"$TOP/tests/unit/node_exporter.sh" "$BUILD/unit/kvm-exitstat" "$TOP/tests/unit/fixtures" \
	"$BUILD/unit/node_exporter"
# Its histograms in a real Prometheus server, and a PromQL quantile.
"$TOP/tests/unit/prometheus_query.sh" "$BUILD/unit/kvm-exitstat" "$TOP/tests/unit/fixtures" \
	"$BUILD/unit/prometheus"

# Installing like any Unix tool: the user's flags, PREFIX and DESTDIR, the man
# pages (rendered without a warning), clean.
inst=$BUILD/unit/install
rm -rf "$inst"
tap_run "unit: make -C kvm-exitstat with the user's CFLAGS, CPPFLAGS and LDFLAGS" -- \
	make -s -C "$TOP/kvm-exitstat" OUT="$inst/out" CFLAGS=-g CPPFLAGS=-DKES_TEST=1 LDFLAGS=-Wl,-O1
tap_run "unit: make install PREFIX=/usr DESTDIR=... installs both tools and their man pages" -- \
	bash -c "make -s -C '$TOP' install PREFIX=/usr DESTDIR='$inst/root' >/dev/null &&
		'$inst/root/usr/bin/kvm-exitstat' --help >/dev/null &&
		'$inst/root/usr/bin/kvm-exitstat-guest' --help >/dev/null &&
		test -f '$inst/root/usr/share/man/man8/kvm-exitstat.8' &&
		test -f '$inst/root/usr/share/man/man1/kvm-exitstat-guest.1'"
for page in kvm-exitstat/kvm-exitstat.8 kvm-exitstat-guest/kvm-exitstat-guest.1; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$TOP/$page" 2>&1 >/dev/null)
	[ -z "$warn" ]
	tap $? "unit: man -l $page renders without a warning"
	[ -z "$warn" ] || printf '%s\n' "$warn" | head -5 | sed 's/^/# /'
done
tap_run "unit: make -C kvm-exitstat clean removes the binary; top-level make clean cleans both tools" -- \
	bash -c "make -s -C '$TOP/kvm-exitstat' OUT='$inst/out' clean && ! test -e '$inst/out/kvm-exitstat' &&
		make -n -C '$TOP' clean > '$inst/clean.txt' && grep -qx 'rm -f ./kvm-exitstat' '$inst/clean.txt' &&
		grep -qx 'rm -f ./kvm-exitstat-guest' '$inst/clean.txt'"
make -s -C "$TOP" uninstall PREFIX=/usr DESTDIR="$inst/root" >/dev/null 2>&1
make -s -C "$TOP/kvm-exitstat" clean >/dev/null 2>&1
make -s -C "$TOP/kvm-exitstat-guest" clean >/dev/null 2>&1

# The Prometheus output of files recorded in the lab, as Prometheus reads it.
fake=$BUILD/unit/debugfs
rm -rf "$fake"
mkdir -p "$fake/kvm/4242-11"
cp "$TOP/tests/unit/fixtures/svm-system.txt" "$fake/kvm/exit_stats"
cp "$TOP/tests/unit/fixtures/svm-vm.txt" "$fake/kvm/4242-11/exit_stats"
for args in "" "--vm 4242-11"; do
	# The tool must succeed and say something: promtool accepts an empty input.
	"$BUILD/unit/kvm-exitstat" --debugfs "$fake" --prometheus $args > "$fake/out.prom" 2> "$fake/err"
	rc=$?
	out=$(promtool check metrics < "$fake/out.prom" 2>&1)
	[ $rc -eq 0 ] && [ -s "$fake/out.prom" ] && [ -z "$out" ]
	tap $? "unit: promtool check metrics accepts kvm-exitstat --prometheus $args"
	[ $rc -eq 0 ] || sed "s/^/# kvm-exitstat exit $rc: /" "$fake/err"
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
done

# The manifest (tests/manifest.sh) can fail: a TAP file of a made-up suite
# against a made-up manifest, whole, with a test gone, and with an extra one.
m=$(mktemp -d)
mkdir -p "$m/tests"
cp "$TOP/tests/manifest.sh" "$m/tests/"
printf 'fake a 2\nfake - 1\n' > "$m/tests/manifest.txt"
printf 'ok - fake/a: one\nok - fake/a: two\nok - fake: three\n' > "$m/whole.tap"
grep -v 'two' "$m/whole.tap" > "$m/vanished.tap"
{ cat "$m/whole.tap"; echo 'ok - fake/b: new'; } > "$m/extra.tap"
"$m/tests/manifest.sh" check fake "$m/whole.tap" | grep -q '^ok - fake/manifest:' &&
	"$m/tests/manifest.sh" check fake "$m/vanished.tap" | grep -q '^not ok - fake/manifest: it expects 2 results of a, it reported 1' &&
	"$m/tests/manifest.sh" check fake "$m/extra.tap" | grep -q '^not ok - fake/manifest: b reported 1 results, and the manifest does not know it'
tap $? "unit: the test manifest passes a whole suite and fails one with a test gone or unknown"
rm -rf "$m"
