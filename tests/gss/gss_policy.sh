#!/bin/sh
# The acceptor's policy knobs through the mechglue, both settings of each: the module reads its
# configuration once per process, so tests/gss/test_gss_policy runs once per case.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

PROGRAM="$SSPIGSS_BUILDDIR/tests/gss/test_gss_policy"

cases=$("$PROGRAM" --list) || {
    fail "tests/gss/test_gss_policy --list"
    finish
    exit
}
for case in $cases; do
    if "$PROGRAM" "$case" > "$W/case.log" 2>&1; then
        pass "policy $case ($(grep -c '\.\.\.passed' "$W/case.log") tests)"
    else
        fail "policy $case"
        sed 's/^/    /' "$W/case.log"
    fi
done
finish
