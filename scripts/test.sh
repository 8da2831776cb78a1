#!/bin/bash
# The whole test suite from a fresh clone: installs what is missing, bootstraps, builds, runs
# make check, make distcheck, a short smoke run of every fuzz target and the sanitizer builds,
# and ends with one "total: N passed, N failed, N skipped" line. .ci/run calls this on the machine
# and, through scripts/trixie-chroot.sh, on Debian 13.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test

status=0
# Warnings in our own code are errors here (configure --enable-werror), not in users' builds.
./bootstrap && ./configure --enable-werror && make -j2 && make -j2 check || status=$?

if [ -f test-suite.log ]; then
    pass=$(sed -n 's/^# PASS: *//p' test-suite.log)
    fail=$(sed -n 's/^# FAIL: *//p' test-suite.log)
    error=$(sed -n 's/^# ERROR: *//p' test-suite.log)
    skip=$(sed -n 's/^# SKIP: *//p' test-suite.log)
    cat test-suite.log
    echo "check: ${pass:-0} passed, $(( ${fail:-0} + ${error:-0} )) failed, ${skip:-0} skipped"
fi

# The release tarball: builds, passes its tests, installs and uninstalls cleanly.
dpass=0
dfail=1
# The domain (Samba AD DC) tests ran in make check above; once is enough.
if [ -f Makefile ] && SSPIGSS_SKIP_DC_TESTS="the domain tests ran in make check" \
    make -j2 distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror > distcheck.log 2>&1; then
    echo "PASS: make distcheck"
    dpass=1
    dfail=0
else
    tail -n 60 distcheck.log 2> /dev/null || true
    # The failing tests' own logs (distcheck leaves its build tree when it fails): their FAIL:
    # lines name the failing case, and .ci/run's summary repeats them.
    for log in sspigss-*/_build/sub/test-suite.log; do
        if [ -f "$log" ]; then head -n 400 "$log"; fi
    done
    echo "FAIL: make distcheck"
    [ $status -ne 0 ] || status=1
fi

# A short run of every fuzz target (make fuzz-smoke; FUZZ_SECONDS per target, default 10).
fuzz_status=0
if [ -f Makefile ]; then
    make fuzz-smoke > fuzz-smoke.log 2>&1 || fuzz_status=$?
    cat fuzz-smoke.log
fi
[ $status -ne 0 ] || status=$fuzz_status
fpass=$(sed -n 's/^\([0-9]*\) passed, [0-9]* failed\(, [0-9]* skipped\)*$/\1/p' fuzz-smoke.log \
    2>/dev/null | tail -n 1)
ffail=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed\(, [0-9]* skipped\)*$/\1/p' fuzz-smoke.log \
    2>/dev/null | tail -n 1)
fskip=$(sed -n 's/^[0-9]* passed, [0-9]* failed, \([0-9]*\) skipped$/\1/p' fuzz-smoke.log \
    2>/dev/null | tail -n 1)

# The same code under AddressSanitizer+UBSan and ThreadSanitizer (tests/memory/sanitize.sh).
san_status=0
tests/memory/sanitize.sh "$PWD/build-sanitize" | tee sanitize.log || san_status=$?
[ $status -ne 0 ] || status=$san_status
san_pass=$(sed -n 's/^sanitizers: \([0-9]*\) passed.*/\1/p' sanitize.log)
san_fail=$(sed -n 's/^sanitizers: [0-9]* passed, \([0-9]*\) failed.*/\1/p' sanitize.log)
echo "total: $(( ${pass:-0} + dpass + ${fpass:-0} + ${san_pass:-0} )) passed," \
    "$(( ${fail:-0} + ${error:-0} + dfail + ${ffail:-1} + ${san_fail:-1} )) failed," \
    "$(( ${skip:-0} + ${fskip:-0} )) skipped"
exit $status
