#!/bin/sh
# The SSPI loop suite again, with gss-ntlmssp as the NTLM mechanism: libsspi speaks only the
# public GSS-API, so every documented behaviour must hold over the incumbent too.
. "${SSPIGSS_SRCDIR:-.}/tests/lib.sh"

if [ -z "$INCUMBENT" ]; then
    echo "SKIP: gss-ntlmssp is not installed (apt-get install gss-ntlmssp)"
    exit 77
fi
if SSPIGSS_MODULE="$INCUMBENT" "$SSPIGSS_BUILDDIR/tests/test_sspi_loop"; then
    pass "tests/test_sspi_loop over gss-ntlmssp ($INCUMBENT)"
else
    fail "tests/test_sspi_loop over gss-ntlmssp ($INCUMBENT)"
fi
finish
