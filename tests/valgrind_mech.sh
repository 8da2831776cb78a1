#!/bin/sh
# valgrind memcheck over the mechglue suite (full handshakes, SPNEGO, messages, export,
# malformed tokens): no definite or indirect leak and no invalid access may remain.
. "${SSPIGSS_SRCDIR:-.}/tests/lib.sh"

if [ -z "$VALGRIND" ]; then
    echo "SKIP: valgrind not found (apt-get install valgrind)"
    exit 77
fi
if "$SSPIGSS_BUILDDIR/libtool" --mode=execute "$VALGRIND" --quiet --leak-check=full \
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
    --suppressions="$SSPIGSS_SRCDIR/tests/valgrind.supp" --error-exitcode=42 \
    "$SSPIGSS_BUILDDIR/tests/test_gss_mech" > "$W/valgrind.log" 2>&1; then
    pass "valgrind memcheck over tests/test_gss_mech"
else
    fail "valgrind memcheck over tests/test_gss_mech"
    cat "$W/valgrind.log"
fi
finish
