#!/bin/sh
# Sanitizer builds of the tree, each in its own build directory, as CI runs them:
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer (no recovery) over every suite whose
#         processes are all our own (foreign programs such as httpd, python or curl cannot load
#         an ASan-built module, so the end-to-end scripts stay in the plain run);
#   tsan: ThreadSanitizer over tests/gss/test_concurrency and tests/shim/test_sspi_concurrency.
# Usage: tests/memory/sanitize.sh [BUILD_ROOT]   (default: ./build-sanitize)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
root=${1:-$top/build-sanitize}
passed=0
failed=0

report() {
    if [ "$1" -eq 0 ]; then
        passed=$((passed + 1))
        printf 'PASS: %s\n' "$2"
    else
        failed=$((failed + 1))
        printf 'FAIL: %s\n' "$2"
    fi
}

# The tree is usually configured in place, which rules out VPATH builds from it: the sanitizer
# builds work from a pristine copy of the sources, the distribution files when the tree is
# configured (no git needed: a release tarball works too), else a git checkout's tracked files.
src="$root/src"
copy_sources() {
    rm -rf "$src" && mkdir -p "$root" || return 1
    if [ -f "$top/Makefile" ]; then
        (cd "$top" && make distdir distdir="$src" > "$root/distdir.log" 2>&1)
    elif git -C "$top" rev-parse --git-dir > /dev/null 2>&1; then
        mkdir -p "$src" && (cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$src")
    else
        echo "sanitize: $top is neither configured nor a git checkout: run ./configure first"
        return 1
    fi
}
copy_sources && (cd "$src" && ./bootstrap > bootstrap.log 2>&1) || {
    echo "FAIL: copy and bootstrap the sources into $src"
    echo "sanitizers: 0 passed, 1 failed"
    exit 1
}

configure_in() {
    mkdir -p "$root/$1" && cd "$root/$1" &&
        "$src/configure" -q CFLAGS="-g -O1 -fno-omit-frame-pointer $2" LDFLAGS="$2" \
            > configure.log 2>&1
}

asan_tests="tests/unit/mech/test_ntlm_reader tests/unit/mech/test_ntlm_buf \
tests/unit/mech/test_ntlm_message tests/unit/mech/test_ntlm_av tests/unit/mech/test_ntlm_unicode \
tests/unit/mech/test_ntlm_config_values tests/unit/mech/test_ntlm_winbind_none \
tests/unit/mech/test_ntlm_crypto tests/unit/mech/test_ntlm_auth \
tests/unit/mech/test_ntlm_sign tests/unit/mech/test_ntlm_userdb tests/unit/mech/test_ntlm_config \
tests/unit/mech/test_ntlm_syslog tests/unit/mech/test_ntlm_env tests/unit/mech/test_ntlm_keyring \
tests/unit/gss/test_ntlm_accept tests/unit/gss/test_ntlm_init tests/unit/gss/test_ntlm_context \
tests/unit/gss/test_ntlm_creds tests/unit/gss/test_ntlm_names tests/unit/gss/test_ntlm_protect \
tests/unit/gss/test_ntlm_serialize tests/unit/gss/test_ntlm_mech tests/unit/gss/test_ntlm_exports \
tests/gss/test_gss_mech tests/gss/test_gss_export tests/gss/interop_gssntlmssp.sh \
tests/unit/shim/test_sspi_handles tests/unit/shim/test_sspi_translate \
tests/unit/shim/test_sspi_buffers tests/unit/shim/test_sspi_header tests/unit/shim/test_sspi_pac \
tests/unit/shim/test_sspi_strings tests/unit/shim/test_sspi_lasterror \
tests/unit/shim/test_sspi_auth_identity tests/unit/shim/test_sspi_credentials \
tests/unit/shim/test_sspi_attributes tests/unit/shim/test_sspi_message tests/unit/shim/test_sspi_sid \
tests/unit/shim/test_sspi_packages tests/unit/shim/test_sspi_table tests/unit/shim/test_sspi_objects \
tests/unit/shim/test_sspi_token tests/unit/shim/test_sspi_export \
tests/shim/test_sspi_loop \
tests/shim/test_sspi_fidelity tests/shim/test_sspi_secext tests/shim/test_sspi_identity \
tests/shim/test_sspi_context tests/shim/sspi_over_gssntlmssp.sh tests/shim/sspi_kerberos.sh \
tests/gss/test_concurrency tests/shim/test_sspi_concurrency"

if configure_in asan "-fsanitize=address,undefined -fno-sanitize-recover=undefined" &&
    make -j2 > make.log 2>&1; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
        LSAN_OPTIONS="suppressions=$src/tests/memory/lsan.supp:print_suppressions=0" \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        make -j2 check TESTS="$asan_tests" > check.log 2>&1
    status=$?
    [ $status -eq 0 ] || cat test-suite.log
    report $status "ASan+UBSan: $(sed -n 's/^# PASS: *//p' test-suite.log) suites"
else
    report 1 "ASan+UBSan build (see $root/asan/make.log)"
fi

tsan_tests="tests/gss/test_concurrency tests/shim/test_sspi_concurrency"
if configure_in tsan "-fsanitize=thread" &&
    make -j2 mech/sspigss_ntlm.la sspi_shim/libsspi.la > make.log 2>&1 &&
    make -j2 $tsan_tests > make-test.log 2>&1; then
    for t in $tsan_tests; do
        log="$(basename "$t").log"
        SSPIGSS_MODULE="$root/tsan/mech/.libs/sspigss_ntlm.so" \
            TSAN_OPTIONS="halt_on_error=1:suppressions=$src/tests/memory/tsan.supp" \
            ./"$t" > "$log" 2>&1
        status=$?
        [ $status -eq 0 ] || cat "$log"
        report $status "ThreadSanitizer: $t"
    done
else
    report 1 "ThreadSanitizer build (see $root/tsan/make*.log)"
fi

echo "sanitizers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
