#!/bin/sh
# The SSPI loop suites again, with gss-ntlmssp as the NTLM mechanism: libsspi speaks only the
# public GSS-API, so every documented behaviour must hold over the incumbent too.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

if [ -z "$INCUMBENT" ]; then
    echo "SKIP: gss-ntlmssp is not installed (apt-get install gss-ntlmssp)"
    exit 77
fi
for suite in shim/test_sspi_loop shim/test_sspi_fidelity; do
    if SSPIGSS_MODULE="$INCUMBENT" "$SSPIGSS_BUILDDIR/tests/$suite"; then
        pass "tests/$suite over gss-ntlmssp ($INCUMBENT)"
    else
        fail "tests/$suite over gss-ntlmssp ($INCUMBENT)"
    fi
done
finish
