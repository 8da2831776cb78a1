#!/bin/sh
# Windows tokens against a real Active Directory: the Samba AD DC of tests/lib/samba_dc.sh with
# its KDC, a user in a custom group and a service account with the SPN HTTP/localhost whose
# keytab the DC exports. The SSPI examples server reads the client's token the Windows way
# (GetTokenInformation, CheckTokenMembership with --require-group, ConvertSidToStringSid) after
# Kerberos logons under the Negotiate and Kerberos packages (a kinit ticket, and a password
# given to AcquireCredentialsHandle) and an NTLM logon through winbind: the token's user must
# be the user's objectSid, its groups Domain Users (RID 513) and the custom group; membership
# yes for the custom group, no for Domain Admins (512). Wrong passwords are refused.
# Both Kerberos peers run in the DC's network namespace, where its KDC is. Root only; SKIP
# and why otherwise. Run serialised with the other DC test (flock /tmp/sspigss-dc.lock).
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"
DC_KDC=yes
. "${SSPIGSS_SRCDIR:-.}/tests/lib/samba_dc.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/e2e/sspi_examples.sh"

PUSER=pacuser
PGROUP=pacgroup
PPW='Pac-Passw0rd1'
SVC=websvc
SPN=HTTP/localhost

if [ -n "${SSPIGSS_SKIP_DC_TESTS:-}" ]; then
    echo "SKIP: $SSPIGSS_SKIP_DC_TESTS"
    exit 77
fi
if ! dc_available; then
    echo "SKIP: $DC_SKIP_REASON"
    exit 77
fi
for t in kinit samba-tool; do
    if ! command -v "$t" > /dev/null 2>&1; then
        echo "SKIP: $t is not installed (apt-get install krb5-user samba-ad-dc)"
        exit 77
    fi
done
if [ ! -x "$SERVER" ] || [ ! -x "$CLIENT" ]; then
    echo "SKIP: $SERVER or $CLIENT is not built"
    exit 77
fi

if ! dc_start; then
    fail "the Samba AD DC did not start"
    finish
    exit
fi

# samba-tool COMMAND...: on the DC's own sam.ldb, as the running DC sees it.
st() {
    samba-tool "$@" -s "$DC_CONF" >> "$W/samba-tool.log" 2>&1
}

# The user in its custom group, and the service account that owns the SPN and its keytab.
if ! st group add "$PGROUP" || ! st user create "$PUSER" "$PPW" ||
    ! st group addmembers "$PGROUP" "$PUSER" || ! st user create "$SVC" 'Svc-Passw0rd1' ||
    ! st spn add "$SPN" "$SVC" ||
    ! st domain exportkeytab "$W/http.keytab" --principal="$SPN@$DC_REALM"; then
    fail "samba-tool could not set up the user, the group and the SPN"
    tail -n 20 "$W/samba-tool.log" | sed 's/^/    /'
    finish
    exit
fi

# The SIDs as the directory has them.
USER_SID=$(samba-tool user show "$PUSER" -s "$DC_CONF" --attributes=objectSid 2> /dev/null |
    sed -n 's/^objectSid: //p')
GROUP_SID=$(samba-tool group show "$PGROUP" -s "$DC_CONF" --attributes=objectSid 2> /dev/null |
    sed -n 's/^objectSid: //p')
DOMAIN_SID=${USER_SID%-*}
case "$USER_SID:$GROUP_SID" in
S-1-5-21-*:S-1-5-21-*) echo "$PUSER is $USER_SID, $PGROUP is $GROUP_SID" ;;
*)
    fail "no objectSid for $PUSER or $PGROUP ('$USER_SID', '$GROUP_SID')"
    finish
    exit
    ;;
esac

dc_krb5_conf "$W/dc-krb5.conf"
KCONF=$W/dc-krb5.conf
CC=FILE:$W/pacuser.cc
if printf '%s\n' "$PPW" | dc_in_netns env KRB5_CONFIG="$KCONF" KRB5CCNAME="$CC" \
    kinit "$PUSER@$DC_REALM" > "$W/kinit.log" 2>&1; then
    pass "kinit $PUSER@$DC_REALM from the DC's KDC"
else
    fail "kinit $PUSER@$DC_REALM"
    sed 's/^/    /' "$W/kinit.log"
fi
if printf 'Wrong-Passw0rd1\n' | dc_in_netns env KRB5_CONFIG="$KCONF" \
    KRB5CCNAME="FILE:$W/wrong.cc" kinit "$PUSER@$DC_REALM" > "$W/kinit-wrong.log" 2>&1; then
    fail "kinit with a wrong password got a ticket"
else
    pass "kinit with a wrong password refused: $(tail -n 1 "$W/kinit-wrong.log")"
fi

# The token checks on a passing logon: user, groups and membership of REQUIRED.
token_ok() {
    has "$W/server.log" "user SID: $USER_SID" &&
        has "$W/server.log" "primary group SID: $DOMAIN_SID-513" &&
        has "$W/server.log" "group SID: $DOMAIN_SID-513" &&
        has "$W/server.log" "group SID: $GROUP_SID" &&
        has "$W/server.log" "member of $GROUP_SID: yes" &&
        has "$W/server.log" "received sealed message: \"$MESSAGE\""
}

# run_case NAME EXPECT WHERE PACKAGE REQUIRED [CLIENT OPTION...]: the examples pair, both in the
# DC's network namespace (WHERE netns: Kerberos) or the server under dc_client with the NTLM
# module asking winbind (WHERE winbind). EXPECT: pass (token checks, REQUIRED the custom
# group), denied (the token says no to REQUIRED), or fail (the logon itself is refused).
run_case() {
    rc_name=$1 rc_expect=$2 rc_where=$3 rc_pkg=$4 rc_required=$5
    shift 5
    rm -f "$W/server.log" "$W/client.log"
    if [ "$rc_where" = netns ]; then
        set -- dc_in_netns env KRB5_CONFIG="$KCONF" KRB5CCNAME="$CC" timeout 60 "$CLIENT" \
            --package "$rc_pkg" --target "$SPN" "$@"
        start_server "$W/server.log" dc_in_netns env KRB5_CONFIG="$KCONF" \
            KRB5_KTNAME="FILE:$W/http.keytab" timeout 60 "$SERVER" --package "$rc_pkg" \
            --require-group "$rc_required"
    else
        set -- env NTLM_USER_FILE="$W/users" timeout 60 "$CLIENT" --package "$rc_pkg" "$@"
        start_server "$W/server.log" dc_client env SSPIGSS_NTLM_CONFIG="$W/wb.conf" \
            timeout 60 "$SERVER" --package "$rc_pkg" --require-group "$rc_required"
    fi
    rc_started=$?
    if [ $rc_started -ne 0 ]; then
        fail "$rc_name (the server did not start)"
        show_logs
        return
    fi
    "$@" --port "$SPORT" > "$W/client.log" 2>&1
    rc_crc=$?
    wait "$SPID"
    case "$rc_expect" in
    pass)
        if [ $rc_crc -eq 0 ] && token_ok; then
            pass "$rc_name: user $USER_SID, groups 513 and $GROUP_SID, member of $PGROUP"
            return
        fi
        ;;
    denied)
        if has "$W/server.log" "user SID: $USER_SID" &&
            has "$W/server.log" "member of $rc_required: no" &&
            has "$W/server.log" "client failed"; then
            pass "$rc_name: CheckTokenMembership says no for $rc_required"
            return
        fi
        ;;
    fail)
        if [ $rc_crc -ne 0 ] && grep -q 'SEC_E_' "$W/client.log" &&
            ! grep -q '^user SID:' "$W/server.log"; then
            pass "$rc_name: refused ($(grep -Eo 'SEC_E_[A-Z_]+' "$W/client.log" | head -n 1))"
            return
        fi
        ;;
    esac
    fail "$rc_name: want $rc_expect (client exit $rc_crc)"
    show_logs
}

for pkg in Negotiate Kerberos; do
    run_case "$pkg, kinit ticket" pass netns "$pkg" "$GROUP_SID"
    if has "$W/server.log" "package: Kerberos"; then
        pass "$pkg: the logon was Kerberos"
    else
        fail "$pkg: the logon was not Kerberos"
    fi
    run_case "$pkg, kinit ticket, Domain Admins required" denied netns "$pkg" \
        "$DOMAIN_SID-512"
done
# A password given to AcquireCredentialsHandle: libsspi asks the KDC itself.
CC=FILE:$W/no-ccache
run_case "Kerberos, password credentials" pass netns Kerberos "$GROUP_SID" \
    --user "$PUSER@$DC_REALM" --password "$PPW"
run_case "Kerberos, wrong password" fail netns Kerberos "$GROUP_SID" \
    --user "$PUSER@$DC_REALM" --password 'Wrong-Passw0rd1'

# NTLM through winbind: the module asks the DC, whose SIDs make the token.
if [ "${SSPIGSS_WBCLIENT:-no}" = yes ]; then
    printf 'netbios_name = WEB1\nnetbios_domain = %s\naudit = none\nwinbind = only\n' \
        "$DC_DOMAIN" > "$W/wb.conf"
    for pkg in NTLM Negotiate; do
        run_case "$pkg through winbind" pass winbind "$pkg" "$GROUP_SID" \
            --user "$DC_DOMAIN\\$PUSER" --password "$PPW"
        run_case "$pkg through winbind, Domain Admins required" denied winbind "$pkg" \
            "$DOMAIN_SID-512" --user "$DC_DOMAIN\\$PUSER" --password "$PPW"
    done
    run_case "NTLM through winbind, wrong password" fail winbind NTLM "$GROUP_SID" \
        --user "$DC_DOMAIN\\$PUSER" --password 'Wrong-Passw0rd1'
else
    skip "NTLM through winbind: this build has no winbind support"
    SKIPPED=$((SKIPPED + 1))
fi

finish
