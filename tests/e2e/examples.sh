#!/bin/sh
# The SSPI example client and server (examples/) in separate processes over TCP on 127.0.0.1:
# NTLM and Negotiate with an explicit identity, Kerberos through Negotiate against a throwaway
# KDC, a wrong password, the HTTP mode reached by curl, and the pair over gss-ntlmssp.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/lib/kdc.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/e2e/sspi_examples.sh"

USER_ARGS='--user TESTDOM\alice --password Passw0rd!'

if [ ! -x "$SERVER" ] || [ ! -x "$CLIENT" ]; then
    echo "ERROR: $SERVER or $CLIENT is missing (build the examples first)"
    exit 99
fi

skip() {
    echo "SKIP: $*"
}

# run_pair NAME EXPECT USER PACKAGE SERVER_PACKAGE SERVER_CONF CLIENT_CONF CCACHE [CLIENT ARGS]
# EXPECT pass: both exit 0, the server names USER and PACKAGE, the sealed messages arrived.
# EXPECT fail: both exit non-zero, and both report the server's SEC_E_LOGON_DENIED.
run_pair() {
    name=$1 expect=$2 want_user=$3 want_pkg=$4 spkg=$5 sconf=$6 cconf=$7 ccache=$8
    shift 8
    rm -f "$W/server.log" "$W/client.log"
    if ! start_server "$W/server.log" env GSS_MECH_CONFIG="$sconf" \
        timeout 60 "$SERVER" --package "$spkg"; then
        fail "$name (the server did not start)"
        show_logs
        return
    fi
    GSS_MECH_CONFIG=$cconf KRB5CCNAME=$ccache timeout 60 "$CLIENT" --port "$SPORT" "$@" \
        > "$W/client.log" 2>&1
    crc=$?
    wait "$SPID"
    src=$?
    reply="Hello $want_user, the server read your ${#MESSAGE}-byte message"
    if [ "$expect" = pass ] && [ $crc -eq 0 ] && [ $src -eq 0 ] &&
        has "$W/server.log" "authenticated: $want_user" &&
        has "$W/server.log" "package: $want_pkg" &&
        has "$W/client.log" "package: $want_pkg" &&
        has "$W/server.log" "received sealed message: \"$MESSAGE\"" &&
        has "$W/client.log" "received sealed reply: \"$reply\""; then
        pass "$name"
    elif [ "$expect" = fail ] && [ $crc -ne 0 ] && [ $src -ne 0 ] &&
        grep -q 'AcceptSecurityContext failed: .*(SEC_E_LOGON_DENIED)' "$W/server.log" &&
        grep -q 'the peer failed: .*(SEC_E_LOGON_DENIED)' "$W/client.log"; then
        pass "$name (both sides report SEC_E_LOGON_DENIED)"
    else
        fail "$name (client $crc, server $src)"
        show_logs
    fi
}

# run_curl NAME WANT_BODY [CURL ARGS]: the server in --http mode, curl as the client. An empty
# WANT_BODY means the request must end in 401.
run_curl() {
    name=$1 want_body=$2
    shift 2
    rm -f "$W/server.log" "$W/client.log" "$W/body"
    if ! start_server "$W/server.log" timeout 60 "$SERVER" --http; then
        fail "$name (the server did not start)"
        show_logs
        return
    fi
    code=$(timeout 60 curl -sS -o "$W/body" -w '%{http_code}' \
        --resolve "localhost:$SPORT:127.0.0.1" "$@" "http://localhost:$SPORT/" \
        2> "$W/client.log")
    wait "$SPID"
    src=$?
    if [ -n "$want_body" ] && [ "$code" = 200 ] && [ $src -eq 0 ] &&
        [ "$(cat "$W/body")" = "$want_body" ]; then
        pass "$name"
    elif [ -z "$want_body" ] && [ "$code" = 401 ] && [ $src -ne 0 ]; then
        pass "$name (401: $(grep -h 'failed:' "$W/server.log" | head -n 1))"
    else
        fail "$name (HTTP $code, server $src, body: $(cat "$W/body" 2>/dev/null))"
        show_logs
    fi
}

ours=$W/ours.conf
theirs=$W/theirs.conf
none=FILE:$W/no-ccache

# (a), (b): an explicit identity, NTLM directly and through Negotiate (no Kerberos for TESTDOM).
# shellcheck disable=SC2086 # USER_ARGS is split on purpose
run_pair "NTLM, explicit identity" pass 'TESTDOM\alice' NTLM NTLM "$ours" "$ours" "$none" \
    --package NTLM $USER_ARGS
# shellcheck disable=SC2086
run_pair "Negotiate, explicit identity, NTLM chosen" pass 'TESTDOM\alice' NTLM Negotiate \
    "$ours" "$ours" "$none" --package Negotiate $USER_ARGS
run_pair "Negotiate, default NTLM credential (NTLMUSER)" pass 'TESTDOM\alice' NTLM Negotiate \
    "$ours" "$ours" "$none" --package Negotiate

# (d) a wrong password is refused, and both sides say so.
run_pair "NTLM, wrong password rejected" fail '' '' NTLM "$ours" "$ours" "$none" \
    --package NTLM --user 'TESTDOM\alice' --password wrong
run_pair "Negotiate, wrong password rejected" fail '' '' Negotiate "$ours" "$ours" "$none" \
    --package Negotiate --user 'TESTDOM\alice' --password wrong

# (f) the same pairs with gss-ntlmssp under the SSPI layer in both processes: NTLM without a
# target name, as Windows allows, and Negotiate with one.
if [ -n "$INCUMBENT" ]; then
    # shellcheck disable=SC2086
    run_pair "gss-ntlmssp: NTLM, explicit identity" pass 'TESTDOM\alice' NTLM NTLM \
        "$theirs" "$theirs" "$none" --package NTLM $USER_ARGS
    # shellcheck disable=SC2086
    run_pair "gss-ntlmssp: Negotiate, explicit identity, NTLM chosen" pass 'TESTDOM\alice' NTLM \
        Negotiate "$theirs" "$theirs" "$none" --package Negotiate --target HTTP/localhost \
        $USER_ARGS
else
    skip "gss-ntlmssp cases: gss-ntlmssp is not installed (apt-get install gss-ntlmssp)"
fi

# (e) HTTP: curl's own NTLM, and curl's GSS-API Negotiate with an NTLM default credential
# (no ticket yet: KRB5CCNAME is lib.sh's empty cache).
if command -v curl > /dev/null 2>&1; then
    run_curl "HTTP: curl --ntlm" 'Hello, TESTDOM\alice (package NTLM)' \
        --ntlm -u 'TESTDOM\alice:Passw0rd!'
    run_curl "HTTP: curl --ntlm, wrong password gets 401" '' --ntlm -u 'TESTDOM\alice:wrong'
    run_curl "HTTP: curl --negotiate, NTLM default credential" \
        'Hello, TESTDOM\alice (package NTLM)' --negotiate -u :
else
    skip "HTTP cases: curl is not installed"
fi

# (c) Kerberos through Negotiate (and directly): a ticket on the client, a keytab on the server.
if ! kdc_available; then
    skip "Kerberos cases: no MIT KDC (apt-get install krb5-kdc krb5-admin-server krb5-user)"
elif ! kdc_start || ! kdc_kinit; then
    fail "Kerberos cases: the KDC did not start"
else
    run_pair "Negotiate, Kerberos ticket, Kerberos chosen" pass user@KRBTEST.COM Kerberos \
        Negotiate "$ours" "$ours" "$KRB5CCNAME" --package Negotiate --target HTTP/localhost
    run_pair "Kerberos package, mutual authentication" pass user@KRBTEST.COM Kerberos Kerberos \
        "$ours" "$ours" "$KRB5CCNAME" --package Kerberos --target HTTP/localhost
    if grep -q ASC_RET_MUTUAL_AUTH "$W/server.log" &&
        grep -q ISC_RET_MUTUAL_AUTH "$W/client.log"; then
        pass "Kerberos package: both sides report mutual authentication"
    else
        fail "Kerberos package: both sides report mutual authentication"
    fi
    if command -v curl > /dev/null 2>&1; then
        run_curl "HTTP: curl --negotiate, Kerberos ticket" \
            'Hello, user@KRBTEST.COM (package Kerberos)' --negotiate -u :
    else
        skip "HTTP Kerberos case: curl is not installed"
    fi
fi
finish
