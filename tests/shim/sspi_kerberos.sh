#!/bin/sh
# libsspi over Kerberos with a real MIT KDC on 127.0.0.1 (tests/lib/kdc.sh), plus a configuration
# whose KDC is a closed port, for SEC_E_NO_AUTHENTICATING_AUTHORITY.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/lib/kdc.sh"

if ! kdc_available; then
    echo "SKIP: MIT KDC tools not installed (apt-get install krb5-kdc krb5-admin-server krb5-user)"
    exit 77
fi
if ! kdc_start; then
    fail "start a KDC on 127.0.0.1"
    finish
    exit 1
fi
# Delegation needs a forwardable ticket.
sed -i 's/^\[libdefaults\]/[libdefaults]\n forwardable = true/' "$KRB5_CONFIG"
kdc_kinit || fail "kinit user@KRBTEST.COM"
# A ticket that ends a few seconds from now, for SEC_E_CONTEXT_EXPIRED.
SSPIGSS_SHORT_CCACHE="FILE:$W/short-krb5cc"
export SSPIGSS_SHORT_CCACHE
if ! echo "$KDC_USER_PASSWORD" | KRB5CCNAME="$SSPIGSS_SHORT_CCACHE" \
    "$(kdc_tool kinit)" -l 4s "$KDC_USER@$KDC_REALM" > "$W/short-kinit.log" 2>&1; then
    fail "kinit -l 4s user@KRBTEST.COM"
    cat "$W/short-kinit.log"
fi
# A ticket-granting ticket only, never used for a service ticket, for ISC without a KDC.
SSPIGSS_TGT_CCACHE="FILE:$W/tgt-krb5cc"
export SSPIGSS_TGT_CCACHE
if ! echo "$KDC_USER_PASSWORD" | KRB5CCNAME="$SSPIGSS_TGT_CCACHE" \
    "$(kdc_tool kinit)" "$KDC_USER@$KDC_REALM" > "$W/tgt-kinit.log" 2>&1; then
    fail "kinit user@KRBTEST.COM into a second cache"
    cat "$W/tgt-kinit.log"
fi
sed "s/127\.0\.0\.1:$KDC_PORT/127.0.0.1:1/g" "$KRB5_CONFIG" > "$W/dead-krb5.conf"
SSPIGSS_DEAD_KDC_CONFIG="$W/dead-krb5.conf"
export SSPIGSS_DEAD_KDC_CONFIG

if "$SSPIGSS_BUILDDIR/tests/shim/test_sspi_kerberos"; then
    pass "tests/shim/test_sspi_kerberos against a KDC on 127.0.0.1:$KDC_PORT"
else
    fail "tests/shim/test_sspi_kerberos against a KDC on 127.0.0.1:$KDC_PORT"
fi
finish
