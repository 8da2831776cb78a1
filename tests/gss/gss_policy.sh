#!/bin/sh
# The acceptor's policy knobs through the mechglue, both settings of each, each case in a process
# of its own whose default configuration (SSPIGSS_NTLM_CONFIG) is the case's: what a server
# without the sspigss_config cred-store key gets. Files side by side in one process, and live
# edits, are tests/gss/test_gss_config's.
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
