#!/bin/sh
# Runs every fuzz target found in BINDIR (as fuzz/build.sh leaves them) for FUZZ_SECONDS
# (default 10) on a scratch copy of its seed corpus, so that runs never grow the repository.
# Prints "PASS: target (N execs, N cov)" or "FAIL: ..." per target and a closing
# "N passed, N failed"; exits non-zero when any target failed. Builds nothing.
#
#   fuzz/run_smoke.sh BINDIR        FUZZ_SECONDS, FUZZ_ARTIFACTS (where crash inputs are kept;
#                                   default BINDIR/artifacts)
set -u

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 BINDIR" >&2
    exit 2
fi
bindir=$(cd "$1" && pwd)
corpora=$(cd "$(dirname "$0")" && pwd)/corpus
seconds=${FUZZ_SECONDS:-10}
artifacts=${FUZZ_ARTIFACTS:-$bindir/artifacts}
work=$(mktemp -d "${TMPDIR:-/tmp}/sspigss-fuzz-smoke.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$artifacts"

passed=0
failed=0
skipped=0
probe=$(cd "$(dirname "$0")/.." && pwd)/tools/sspigss-spnego-probe

# mit_spnego_crash LOG: the run died inside MIT's libgssapi_krb5 (ASan's frame #0) on a krb5 that
# tools/sspigss-spnego-probe finds affected by MIT ticket 9183 (exit 1).
mit_spnego_crash() {
    grep -q '^ *#0 0x[0-9a-f]* .*libgssapi_krb5\.so' "$1" || return 1
    [ -x "$probe" ] || return 1
    "$probe" > /dev/null 2>&1
    [ $? -eq 1 ]
}
found=0
for bin in "$bindir"/fuzz_*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    found=$((found + 1))
    target=$(basename "$bin")
    corpus=$work/$target
    log=$work/$target.log
    mkdir -p "$corpus"
    if [ -d "$corpora/$target" ]; then
        cp "$corpora/$target"/* "$corpus"/ 2> /dev/null
    fi
    "$bin" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" "$corpus" > "$log" 2>&1
    status=$?
    # libFuzzer's last status line: "#N DONE cov: N ft: N corp: ..."
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(sed -n 's/^#[0-9]*.*[[:space:]]cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    if [ $status -eq 0 ] && [ -n "$execs" ]; then
        passed=$((passed + 1))
        echo "PASS: $target (${execs} execs, ${cov:-?} cov)"
    elif mit_spnego_crash "$log"; then
        # MIT krb5 1.21.3 (Debian 13) dereferences NULL inside its own SPNEGO code on some fuzzed
        # tokens (found by fuzz_gss_accept, seed 6, within 15 s): frame #0 is in libgssapi_krb5
        # and the library is one the probe finds broken. Said as a SKIP with the input kept,
        # never as a pass; on any other library the same crash is a failure.
        skipped=$((skipped + 1))
        crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
        echo "SKIP: $target: crash inside MIT krb5's own SPNEGO (libgssapi_krb5 frame #0) on a" \
            "krb5 with the mechListMIC bug (ticket 9183 range)${crash:+; input kept in $crash}"
        grep -E 'ERROR|#[0-3] 0x' "$log" | head -n 5 | sed 's/^/    /'
    else
        failed=$((failed + 1))
        crash=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | tail -n 1)
        echo "FAIL: $target (exit $status${crash:+, input kept in $crash})"
        grep -E 'ERROR|SUMMARY|invariant failed|#[0-9]+ 0x' "$log" | head -n 30 | sed 's/^/    /'
    fi
done

if [ $found -eq 0 ]; then
    echo "FAIL: no fuzz_* binaries in $bindir (run fuzz/build.sh first)"
    failed=1
fi
if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
