#!/bin/sh
#
# run.sh: run every libFuzzer target for a bounded number of inputs,
# as TAP: one test a target, "not ok" on a crash, a sanitizer report,
# a broken invariant or a leak, with the report and the input that
# caused it (hex) in the log.
#
# Each target starts from its seed corpus tests/fuzz/corpus/NAME/,
# copied first so that what the run finds never lands in the tree.
# Run by make check in a tree configured with --enable-fuzz (./check
# does it in build-asan/), with OMS_FUZZ_TARGETS naming the targets
# (the FUZZ_TARGETS list of Makefile.am).
#
#	OMS_FUZZ_RUNS=N     inputs a target (default 200000; fuzz_conf,
#	                    20 times slower an input, runs a tenth)
#	OMS_FUZZ_MAX_TIME=S and at most S seconds a target (default 30)
#
# Long runs are by hand: see tests/fuzz/README.

: "${OMS_SRCDIR:?OMS_SRCDIR must name the source tree}"
: "${OMS_BUILDDIR:?OMS_BUILDDIR must name the build tree}"
: "${OMS_FUZZ_TARGETS:?OMS_FUZZ_TARGETS must list the fuzz targets}"

runs=${OMS_FUZZ_RUNS:-200000}
maxtime=${OMS_FUZZ_MAX_TIME:-30}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/oms-fuzz.XXXXXX") || {
	echo "Bail out! cannot make a temporary directory"
	exit 1
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The fuzzer's own report goes to its log, not to the folder ./check
# collects other processes' reports in.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

n=0
failed=0
set -- $OMS_FUZZ_TARGETS
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	name=${t##*/}
	bin=$OMS_BUILDDIR/$t
	seeds=$OMS_SRCDIR/tests/fuzz/corpus/$name
	work=$tmp/$name
	mkdir -p "$work/corpus" "$work/crash"
	if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
		echo "not ok $n - $name: built and has a seed corpus ($bin, $seeds)"
		failed=$((failed + 1))
		continue
	fi
	cp "$seeds"/* "$work/corpus/"
	r=$runs
	[ "$name" = fuzz_conf ] && r=$((runs / 10))
	"$bin" -runs="$r" -max_total_time="$maxtime" -print_final_stats=1 \
	    -artifact_prefix="$work/crash/" "$work/corpus" \
	    >"$work/log" 2>&1
	status=$?
	stats=$(sed -n 's/^#\([0-9]*\).*DONE.*exec\/s: \([0-9]*\).*/\1 inputs, \2 exec\/s/p' "$work/log" | tail -n 1)
	if [ "$status" -eq 0 ] && [ -z "$(ls "$work/crash")" ]; then
		echo "ok $n - $name: ${stats:-no stats} without a crash"
		continue
	fi
	failed=$((failed + 1))
	echo "not ok $n - $name crashed (exit $status)"
	grep -v '^#[0-9]' "$work/log" | tail -n 80 | sed 's/^/# /'
	for f in "$work/crash"/*; do
		[ -f "$f" ] || continue
		echo "# input ${f##*/} ($(wc -c <"$f") bytes; add it to tests/fuzz/corpus/$name/ once fixed):"
		od -An -c "$f" | head -n 20 | sed 's/^/# /'
	done
done
exit 0
