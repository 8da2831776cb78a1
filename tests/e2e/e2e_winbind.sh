#!/bin/sh
# Domain logons end to end: a Samba Active Directory DC provisioned for this run
# (tests/lib/samba_dc.sh: its own directory and network namespace), and this module as the NTLM
# acceptor with winbind = only or fallback, so that the DC validates the responses through its
# winbindd. Clients: our initiator and gss-ntlmssp's (tests/lib/gss_peer, raw NTLM and SPNEGO), the
# SSPI examples pair (NTLM and Negotiate), and Apache + mod_auth_gssapi reached by curl --ntlm,
# requests-ntlm and the SSPI example client. Failure cases: wrong password, unknown user,
# disabled and expired accounts, a password that must be changed, a winbindd that does not
# answer (stopped with SIGSTOP: the logon fails after winbind_timeout) and a DC stopped mid-run.
# Needs root (namespaces); prints SKIP and why otherwise.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/lib/samba_dc.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/lib/httpd.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/e2e/sspi_examples.sh"

PEER="$SSPIGSS_BUILDDIR/tests/lib/gss_peer"
GP_WRAP=
PY=/usr/bin/python3
# A response the DC cannot check in time fails after this many seconds (winbind_timeout).
TIMEOUT=2

if [ "${SSPIGSS_WBCLIENT:-no}" != yes ]; then
    echo "SKIP: this build has no winbind support (install libwbclient-dev and reconfigure)"
    exit 77
fi
if [ -n "${SSPIGSS_SKIP_DC_TESTS:-}" ]; then
    echo "SKIP: $SSPIGSS_SKIP_DC_TESTS"
    exit 77
fi
if ! dc_available; then
    echo "SKIP: $DC_SKIP_REASON"
    exit 77
fi

started=$(date +%s)
if ! dc_start; then
    fail "the Samba AD DC did not start"
    finish
    exit
fi
echo "Samba AD DC $DC_DOMAIN ($DC_REALM) up in $(($(date +%s) - started)) s, namespace $DC_NETNS"
DU="$DC_DOMAIN\\$DC_USER"

# The domain's SIDs: the user's and its group's, as the DC's winbindd resolves them.
USER_SID=$(dc_client wbinfo -n "$DU" | cut -d' ' -f1)
GROUP_SID=$(dc_client wbinfo -n "$DC_DOMAIN\\$DC_GROUP" | cut -d' ' -f1)
case "$USER_SID$GROUP_SID" in
S-1-5-21-*S-1-5-21-*) echo "user SID $USER_SID, group $DC_GROUP SID $GROUP_SID" ;;
*)
    fail "wbinfo -n resolved no SIDs ('$USER_SID', '$GROUP_SID')"
    finish
    exit
    ;;
esac

# The local account winbindd gives the user's SID, as its NSS module names it: what
# gss_localname must answer for a domain user (never a local account named like its user part).
DU_ACCOUNT=$(dc_client wbinfo -i "$DU" | cut -d: -f1)
DU_UID=$(dc_client wbinfo -i "$DU" | cut -d: -f3)
echo "winbindd maps $DU to local account '$DU_ACCOUNT' (uid $DU_UID)"

# Module configurations: domain only, and the user file first (TESTDOM\alice) then the domain.
conf() {
    printf 'netbios_name = WEB1\nnetbios_domain = %s\naudit = %s\nwinbind = %s\n' \
        "$DC_DOMAIN" "$W/audit.log" "$1" > "$W/$1.conf"
    printf 'winbind_timeout = %s\n' "$TIMEOUT" >> "$W/$1.conf"
    # The name tests/lib/gss_peer aims at, so that its target name is ours (service_binding).
    printf 'dns_name = testhost.example\n' >> "$W/$1.conf"
}
conf only
conf fallback
: > "$W/no-users"

# ---------------------------------------------------------------------------------------------
# GSS: tests/lib/gss_peer as both sides, the acceptor under dc_client
# ---------------------------------------------------------------------------------------------

# gss_pair NAME MECH ACCEPT_CONF INIT_MECH_CONF DOMAIN\\USER PASSWORD: the two peers over FIFOs
# (the acceptor under $GP_WRAP, when set); sets GRC to "pass" or "fail", the acceptor's log in $W/accept.log, and ELAPSED (seconds).
gss_pair() {
    gp_conf=$3 gp_mechs=$4
    rm -f "$W/a2i" "$W/i2a"
    mkfifo "$W/a2i" "$W/i2a"
    gp_start=$(date +%s)
    SSPIGSS_NTLM_CONFIG=$gp_conf NTLM_USER_FILE=$W/users \
        dc_client timeout 60 $GP_WRAP "$PEER" accept "$2" > "$W/a2i" < "$W/i2a" \
        2> "$W/accept.log" &
    gp_apid=$!
    # The initiator's default credentials: NTLMUSER in a user file of its own (a password
    # credential would be for NTLM alone, which SPNEGO cannot pick up).
    printf '%s:%s:%s\n' "${5%%\\*}" "${5#*\\}" "$6" > "$W/cli-users"
    GSS_MECH_CONFIG=$gp_mechs NTLM_USER_FILE=$W/cli-users NTLMUSER=$5 timeout 60 "$PEER" init \
        "$2" < "$W/a2i" > "$W/i2a" 2> "$W/init.log"
    gp_irc=$?
    wait "$gp_apid"
    gp_arc=$?
    ELAPSED=$(($(date +%s) - gp_start))
    if [ $gp_irc -eq 0 ] && [ $gp_arc -eq 0 ]; then GRC=pass; else GRC=fail; fi
}

show_gss_logs() {
    sed 's/^/    init: /' "$W/init.log"
    sed 's/^/    accept: /' "$W/accept.log"
}

# gss_ok NAME MECH CONF INIT_MECHS USER PASSWORD WANT_NAME: a logon that must succeed (wrap and
# MIC both ways), naming WANT_NAME; a domain user must also carry its and its group's SIDs.
gss_ok() {
    gss_pair "$@"
    if [ $GRC = pass ] && has "$W/accept.log" "accept: authenticated $7"; then
        case "$7" in
        "$DU")
            if grep -q "^accept: sids (authenticated) $USER_SID,.*$GROUP_SID" "$W/accept.log" &&
                [ -n "$DU_ACCOUNT" ] && has "$W/accept.log" "accept: local account $DU_ACCOUNT"
            then
                pass "$1: $7, SIDs $USER_SID ... $GROUP_SID, local account $DU_ACCOUNT"
            else
                fail "$1: $7 authenticated, but not with its SIDs and winbindd's account"
                show_gss_logs
            fi
            ;;
        *)
            if grep -q "^accept: sids" "$W/accept.log"; then
                fail "$1: a user of the user file got SIDs"
                show_gss_logs
            else
                pass "$1: $7 (user file, no SIDs)"
            fi
            ;;
        esac
    else
        fail "$1: want $7"
        show_gss_logs
    fi
}

# gss_refused NAME MECH CONF INIT_MECHS USER PASSWORD WANT_MAJOR WANT_MINOR [MAX_SECONDS]
gss_refused() {
    gr_max=${9:-30}
    gss_pair "$@"
    if [ $GRC = fail ] && grep -Eq "accept_sec_context failed: $7.*\(($8)" "$W/accept.log" &&
        [ "$ELAPSED" -le "$gr_max" ]; then
        pass "$1: refused in ${ELAPSED} s: $(sed -n 's/^accept: accept_sec_context failed: //p' \
            "$W/accept.log")"
    else
        fail "$1: want $7 ($8) within $gr_max s; took $ELAPSED s"
        show_gss_logs
    fi
}

OURS=$W/ours.conf
THEIRS=$W/theirs.conf
PW=$DC_PASSWORD

gss_ok "raw NTLM, winbind = only" ntlm "$W/only.conf" "$OURS" "$DU" "$PW" "$DU"
# gss_peer on both sides: MIT's SPNEGO must read the mechListMIC itself.
needs_spnego_mic "SPNEGO, winbind = only" &&
    gss_ok "SPNEGO, winbind = only" spnego "$W/only.conf" "$OURS" "$DU" "$PW" "$DU"
# Export and import keep the name and its SIDs, and the imported context protects messages.
GSS_PEER_REIMPORT=1
export GSS_PEER_REIMPORT
gss_ok "raw NTLM, context exported and imported" ntlm "$W/only.conf" "$OURS" "$DU" "$PW" "$DU"
unset GSS_PEER_REIMPORT
if has "$W/accept.log" "accept: reimported: authenticated $DU" &&
    grep -q "^accept: reimported: sids (authenticated) $USER_SID,.*$GROUP_SID" "$W/accept.log"; then
    pass "the imported context names $DU with its SIDs"
else
    fail "the imported context lost the name or the SIDs"
    show_gss_logs
fi
gss_ok "raw NTLM, user name in lower case" ntlm "$W/only.conf" "$OURS" \
    "sspigss\\$DC_USER" "$PW" "$DU"
if [ -n "$INCUMBENT" ]; then
    gss_ok "raw NTLM, gss-ntlmssp initiator" ntlm "$W/only.conf" "$THEIRS" "$DU" "$PW" "$DU"
fi
gss_ok "winbind = fallback, a user-file user" ntlm "$W/fallback.conf" "$OURS" \
    'TESTDOM\alice' 'Passw0rd!' 'TESTDOM\alice'
gss_ok "winbind = fallback, a domain user" ntlm "$W/fallback.conf" "$OURS" "$DU" "$PW" "$DU"
gss_refused "winbind = fallback, a user-file user with a wrong password stays local" ntlm \
    "$W/fallback.conf" "$OURS" 'TESTDOM\alice' "$PW" 'Invalid credential was supplied' 'wrong password'
if [ -n "${VALGRIND:-}" ]; then
    GP_WRAP="$VALGRIND -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
--suppressions=${SSPIGSS_SRCDIR:-.}/tests/memory/valgrind.supp --error-exitcode=9"
    gss_ok "raw NTLM under valgrind (no leak, no invalid access)" ntlm "$W/only.conf" "$OURS" \
        "$DU" "$PW" "$DU"
    GP_WRAP=
fi
gss_refused "wrong password" ntlm "$W/only.conf" "$OURS" "$DU" 'Wrong-Passw0rd1' \
    'Invalid credential was supplied' 'wrong password'
gss_refused "unknown user" ntlm "$W/only.conf" "$OURS" "$DC_DOMAIN\\nosuchuser" "$PW" \
    'Invalid credential was supplied' 'wrong password|unknown user'
LONG_USER=$(printf "$DC_USER%0300d" 0)
gss_refused "a 306-byte user name (winbindd would cut it)" ntlm \
    "$W/only.conf" "$OURS" "$DC_DOMAIN\\$LONG_USER" "$PW" 'Invalid credential was supplied' \
    'unknown user'
gss_refused "disabled account" ntlm "$W/only.conf" "$OURS" "$DC_DOMAIN\\$DC_DISABLED_USER" \
    "$PW" 'Invalid credential was supplied' 'the domain account is disabled'
gss_refused "expired account" ntlm "$W/only.conf" "$OURS" "$DC_DOMAIN\\$DC_EXPIRED_USER" "$PW" \
    'Invalid credential was supplied' 'the domain account has expired'
gss_refused "password that must be changed" ntlm "$W/only.conf" "$OURS" \
    "$DC_DOMAIN\\$DC_MUSTCHANGE_USER" "$PW" 'Invalid credential was supplied' \
    "the domain account's password has expired or must be changed"

# ---------------------------------------------------------------------------------------------
# The SSPI examples pair: the server under dc_client
# ---------------------------------------------------------------------------------------------

# sspi_pair NAME EXPECT CONF PACKAGE USER PASSWORD [STATUS]: EXPECT pass, or fail with both
# sides reporting STATUS.
sspi_pair() {
    sp_name=$1 sp_expect=$2
    rm -f "$W/server.log" "$W/client.log"
    if ! start_server "$W/server.log" dc_client env SSPIGSS_NTLM_CONFIG="$3" \
        NTLM_USER_FILE="$W/users" GSS_MECH_CONFIG="$OURS" timeout 60 "$SERVER" --package "$4"
    then
        fail "$sp_name (the server did not start)"
        show_logs
        return
    fi
    sp_start=$(date +%s)
    GSS_MECH_CONFIG=$OURS NTLM_USER_FILE=$W/no-users timeout 60 "$CLIENT" \
        --port "$SPORT" --package "$4" --user "$5" --password "$6" > "$W/client.log" 2>&1
    sp_crc=$?
    wait "$SPID"
    sp_src=$?
    sp_elapsed=$(($(date +%s) - sp_start))
    reply="Hello $DU, the server read your ${#MESSAGE}-byte message"
    if [ "$sp_expect" = pass ] && [ $sp_crc -eq 0 ] && [ $sp_src -eq 0 ] &&
        has "$W/server.log" "authenticated: $DU" &&
        has "$W/server.log" "user SID: $USER_SID" &&
        has "$W/server.log" "group SID: $GROUP_SID" &&
        has "$W/server.log" "received sealed message: \"$MESSAGE\"" &&
        has "$W/client.log" "received sealed reply: \"$reply\""; then
        pass "$sp_name: $DU, token SIDs $USER_SID ... $GROUP_SID, sealed both ways"
    elif [ "$sp_expect" = fail ] && [ $sp_crc -ne 0 ] && [ $sp_src -ne 0 ] &&
        grep -q "AcceptSecurityContext failed: .*($7)" "$W/server.log" &&
        grep -q "the peer failed: .*($7)" "$W/client.log"; then
        pass "$sp_name: both sides report $7 (${sp_elapsed} s)"
    else
        fail "$sp_name: want $sp_expect ${7:-}; client $sp_crc, server $sp_src"
        show_logs
    fi
}

if [ -x "$SERVER" ] && [ -x "$CLIENT" ]; then
    sspi_pair "SSPI examples, NTLM" pass "$W/only.conf" NTLM "$DU" "$PW"
    sspi_pair "SSPI examples, Negotiate" pass "$W/only.conf" Negotiate "$DU" "$PW"
    sspi_pair "SSPI examples, Negotiate, fallback" pass "$W/fallback.conf" Negotiate "$DU" "$PW"
    sspi_pair "SSPI examples, wrong password" fail "$W/only.conf" Negotiate "$DU" \
        'Wrong-Passw0rd1' SEC_E_LOGON_DENIED
    sspi_pair "SSPI examples, disabled account" fail "$W/only.conf" NTLM \
        "$DC_DOMAIN\\$DC_DISABLED_USER" "$PW" SEC_E_LOGON_DENIED
    sspi_pair "SSPI examples, expired account" fail "$W/only.conf" Negotiate \
        "$DC_DOMAIN\\$DC_EXPIRED_USER" "$PW" SEC_E_LOGON_DENIED
else
    echo "SKIP: SSPI examples: $SERVER or $CLIENT is not built"
fi

# ---------------------------------------------------------------------------------------------
# Apache + mod_auth_gssapi, running under dc_client in group winbindd_priv
# ---------------------------------------------------------------------------------------------

A=$W/apache
HTTPD_DIR=$A
HTTPD_STARTED=no

# run_http NAME WANT COMMAND...: COMMAND prints "status=NNN" last. WANT 200: the access log names
# the domain user, NTLM, and its SIDs (GssapiNameAttributes); WANT 401: refused.
run_http() {
    rh_name=$1 rh_want=$2
    shift 2
    CASE=$((CASE + 1))
    REQ_PATH="/domain/index.html?case=$CASE"
    URL="http://localhost:$HTTP_PORT$REQ_PATH"
    rh_start=$(date +%s)
    "$@" > "$W/http.log" 2>&1
    rh_elapsed=$(($(date +%s) - rh_start))
    rh_status=$(sed -n 's/^status=//p; s/^HTTP status: //p' "$W/http.log" | tail -n 1)
    n=0
    while [ $n -lt 40 ] && ! awk -v p="$REQ_PATH" '$1 == p' "$A/access.log" | grep -q .; do
        sleep 0.05
        n=$((n + 1))
    done
    rh_line=$(awk -v p="$REQ_PATH" '$1 == p' "$A/access.log" | tail -n 1)
    case "$rh_want:$rh_status:$rh_line" in
    "200:200:$REQ_PATH 200 GSS_NAME=$DC_DOMAIN\\\\$DC_USER GSS_MECH="*"/NTLM GSS_SIDS=$USER_SID,"*"$GROUP_SID"*)
        pass "$rh_name: 200 as $DU with its SIDs" ;;
    "401:401:$REQ_PATH 401 "*)
        pass "$rh_name: 401 (${rh_elapsed} s)" ;;
    *)
        fail "$rh_name: want $rh_want; status ${rh_status:-none}, logged: ${rh_line:-nothing}"
        sed 's/^/    client: /' "$W/http.log" | tail -n 10
        tail -n 5 "$A/error.log" | cut -c 1-300 | sed 's/^/    error.log: /'
        ;;
    esac
}

curl_ntlm() {
    curl -sS -f --max-time 30 -o /dev/null -w 'status=%{http_code}\n' --ntlm -u "$1:$2" "$URL"
}

requests_ntlm() {
    OPENSSL_CONF=${SSPIGSS_SRCDIR:-.}/tests/e2e/openssl-legacy.cnf timeout 30 "$PY" \
        "${SSPIGSS_SRCDIR:-.}/tests/e2e/req_ntlm.py" "$URL" "$1" "$2"
}

# Samba's ntlm_auth as the client (raw NTLM). PROTOCOL USER PASSWORD [OPTION...]
ntlm_auth_client() {
    nc_proto=$1 nc_user=$2 nc_pw=$3
    shift 3
    timeout 30 "$PY" "${SSPIGSS_SRCDIR:-.}/tests/e2e/ntlm_auth_peer.py" "$URL" "$nc_proto" \
        "$DC_DOMAIN" "$nc_user" "$nc_pw" "$@"
}

sspi_http() {
    GSS_MECH_CONFIG=$OURS NTLM_USER_FILE=$W/no-users timeout 30 "$CLIENT" \
        --host localhost --port "$HTTP_PORT" --target HTTP/localhost --http "$REQ_PATH" \
        --package "$1" --user "$2" --password "$3"
}

# N logons at once on one httpd process (its worker threads share the module).
parallel_curl() {
    pc_i=0
    pc_pids=
    pc_start=$(date +%s%N)
    while [ $pc_i -lt "$1" ]; do
        curl -sS --max-time 30 -o /dev/null -w '%{http_code}\n' --ntlm -u "$DU:$PW" \
            "$URL" >> "$W/parallel.out" 2>&1 &
        pc_pids="$pc_pids $!"
        pc_i=$((pc_i + 1))
    done
    # Only the curls: a bare wait would wait for the DC and httpd too.
    for pc_pid in $pc_pids; do
        wait "$pc_pid"
    done
    pc_ok=$(grep -c '^200$' "$W/parallel.out")
    # A figure, not a check: how long the DC took for them all, through one winbindd.
    echo "$1 concurrent logons took $((($(date +%s%N) - pc_start) / 1000000)) ms" >&2
    echo "status=$([ "$pc_ok" -eq "$1" ] && echo 200 || echo "$pc_ok/$1")"
    [ "$pc_ok" -eq "$1" ]
}

CASE=0
if ! httpd_available; then
    echo "SKIP: Apache cases: $HTTPD_SKIP_REASON"
elif ! getent group winbindd_priv > /dev/null; then
    echo "SKIP: Apache cases: no group winbindd_priv (apt-get install winbind)"
else
    mkdir -p "$A/run" "$A/htdocs/domain" && echo "hello, domain user" > "$A/htdocs/domain/index.html"
    cp "${SSPIGSS_SRCDIR:-.}/tests/e2e/httpd-winbind.conf" "$A/httpd.conf"
    cp "$SSPIGSS_MODULE" "$A/sspigss_ntlm.so"
    printf 'sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n' "$A/sspigss_ntlm.so" > "$A/mech.conf"
    # NTLMv1 allowed here, so that Samba's NTLMv1 client reaches the DC's NTLMv1 check; the
    # audit file is httpd's own; the default winbind_timeout, as concurrent logons queue at
    # winbindd.
    sed -e "s|^audit = .*|audit = $A/audit.log|" -e '/^winbind_timeout/d' "$W/only.conf" \
        > "$A/ntlm.conf" &&
        echo 'ntlmv1 = yes' >> "$A/ntlm.conf"
    chmod 711 "$W"
    chown -R "nobody:$(id -gn nobody)" "$A"
    # Deployments put the web server in winbindd_priv; the test DC's pipe gets that group.
    chgrp winbindd_priv "$DC_DIR/state/winbindd_privileged" && chmod 750 "$DC_DIR/state/winbindd_privileged"
    chmod o+x "$DC_DIR" "$DC_DIR/state"
    HTTPD_ENV="GSS_MECH_CONFIG=$A/mech.conf SSPIGSS_NTLM_CONFIG=$A/ntlm.conf \
KRB5_CONFIG=$KRB5_CONFIG KRB5_KTNAME=$KRB5_KTNAME"
    HTTPD_GROUP=winbindd_priv
    HTTPD_WRAP=dc_client
    if httpd_start "$A/httpd.conf"; then
        HTTPD_STARTED=yes
        echo "httpd $HTTPD_PID on 127.0.0.1:$HTTP_PORT, uid $(awk '/^Uid:/ { print $2 }' \
            "/proc/$HTTPD_PID/status"), gid $(awk '/^Gid:/ { print $2 }' "/proc/$HTTPD_PID/status")"
        run_http "curl --ntlm" 200 curl_ntlm "$DU" "$PW"
        run_http "curl --ntlm, wrong password" 401 curl_ntlm "$DU" 'Wrong-Passw0rd1'
        run_http "curl --ntlm, disabled account" 401 curl_ntlm \
            "$DC_DOMAIN\\$DC_DISABLED_USER" "$PW"
        if "$PY" -c 'import requests_ntlm' 2>/dev/null; then
            run_http "python requests-ntlm" 200 requests_ntlm "$DU" "$PW"
        else
            echo "SKIP: requests-ntlm: not installed (apt-get install python3-requests-ntlm)"
        fi
        if command -v ntlm_auth > /dev/null 2>&1; then
            run_http "Samba ntlm_auth, NTLMv2" 200 ntlm_auth_client ntlmssp-client-1 \
                "$DC_USER" "$PW"
            run_http "Samba ntlm_auth, NTLMv1 with ESS (ntlmv1 = yes)" 200 ntlm_auth_client \
                ntlmssp-client-1 "$DC_USER" "$PW" "client ntlmv2 auth = no"
            run_http "Samba ntlm_auth, NTLMv1, wrong password" 401 ntlm_auth_client \
                ntlmssp-client-1 "$DC_USER" 'Wrong-Passw0rd1' "client ntlmv2 auth = no"
            if grep -F "user=\"$DU\" version=v1 " "$A/audit.log" |
                grep -qF 'result=ok reason="authenticated by a domain controller"'; then
                pass "httpd's audit: the NTLMv1 logon was validated by the DC"
            else
                fail "httpd's audit has no NTLMv1 logon validated by the DC"
                tail -n 3 "$A/audit.log" | sed 's/^/    audit: /'
            fi
        else
            echo "SKIP: Samba ntlm_auth client: not installed (apt-get install winbind)"
        fi
        run_http "sspi_client --http NTLM" 200 sspi_http NTLM "$DU" "$PW"
        run_http "sspi_client --http Negotiate" 200 sspi_http Negotiate "$DU" "$PW"
        run_http "20 concurrent curl --ntlm logons" 200 parallel_curl 20
        grep -h 'concurrent logons took' "$W/http.log"
        # The operator's likely mistake: httpd outside winbindd_priv. Logons fail, and the
        # error log says why.
        httpd_stop
        HTTPD_GROUP=$(id -gn nobody)
        if ! httpd_start "$A/httpd.conf"; then
            fail "httpd did not start in group $HTTPD_GROUP"
        else
            run_http "curl --ntlm, httpd not in winbindd_priv" 401 curl_ntlm "$DU" "$PW"
            if grep -q 'may not use its privileged pipe (group winbindd_priv)' "$A/error.log"
            then
                pass "httpd's error log names the missing winbindd_priv membership"
            else
                fail "httpd's error log does not say why the domain logon failed"
            fi
            httpd_stop
        fi
        HTTPD_GROUP=winbindd_priv
        if ! httpd_start "$A/httpd.conf"; then
            HTTPD_STARTED=no
            fail "httpd did not start again"
        fi
    else
        fail "httpd did not start"
    fi
fi

# ---------------------------------------------------------------------------------------------
# A DC that does not answer, then none at all
# ---------------------------------------------------------------------------------------------

# The deadline on its own, under valgrind when there is one: the abandoned worker must free
# its job when the late answer comes, and the next logon must be answered.
WPID=$(dc_winbindd_pid)
LATE="$SSPIGSS_BUILDDIR/tests/lib/winbind_late_answer"
if [ -x "$LATE" ] && [ -n "$WPID" ]; then
    # shellcheck disable=SC2086
    dc_client ${VALGRIND:+$VALGRIND -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=9} "$LATE" "$WPID" "$DC_DOMAIN" "$DC_USER" > "$W/late.log" 2>&1
    late_rc=$?
    if [ $late_rc -eq 0 ] && [ "$(grep -c '^ok: ' "$W/late.log")" -eq 2 ]; then
        pass "a late answer after the deadline is dropped cleanly${VALGRIND:+ (valgrind)}:" \
            "$(sed -n 's/^ok: //p' "$W/late.log" | tr '\n' ';')"
    else
        fail "late answer: exit $late_rc"
        sed 's/^/    /' "$W/late.log"
    fi
fi

# Connections are reused: 60 logons, 20 in a row and 40 from 4 threads, connect to winbindd
# at most once per thread at once (each connection is two connects: pipe, privileged pipe).
REUSE="$SSPIGSS_BUILDDIR/tests/lib/winbind_pool_reuse"
if [ -x "$REUSE" ]; then
    if dc_client "$REUSE" "$DC_DOMAIN" "$DC_USER" > "$W/reuse.log" 2>&1; then
        pass "domain logons reuse winbindd connections: $(sed -n 's/^ok: //p' "$W/reuse.log")"
    else
        fail "winbindd connections not reused"
        sed 's/^/    /' "$W/reuse.log"
    fi
fi

WPID=$(dc_winbindd_pid)
if [ -n "$WPID" ] && kill -STOP "$WPID"; then
    echo "winbindd $WPID stopped (SIGSTOP): logons must fail after winbind_timeout = $TIMEOUT s"
    gss_refused "winbindd not answering" ntlm "$W/only.conf" "$OURS" "$DU" "$PW" \
        'Unspecified GSS failure' 'winbindd did not answer within winbind_timeout' \
        $((TIMEOUT + 5))
    sspi_pair "SSPI examples, winbindd not answering" fail "$W/only.conf" Negotiate "$DU" "$PW" \
        SEC_E_NO_AUTHENTICATING_AUTHORITY
    kill -CONT "$WPID"
else
    fail "no winbindd pid to stop"
fi

if dc_stop; then
    echo "the DC is stopped: logons must fail at once"
    gss_refused "DC stopped" ntlm "$W/only.conf" "$OURS" "$DU" "$PW" 'Unspecified GSS failure' \
        'no domain controller could be asked' 5
    sspi_pair "SSPI examples, DC stopped" fail "$W/only.conf" NTLM "$DU" "$PW" \
        SEC_E_NO_AUTHENTICATING_AUTHORITY
    sspi_pair "SSPI examples, Negotiate, DC stopped" fail "$W/only.conf" Negotiate "$DU" "$PW" \
        SEC_E_NO_AUTHENTICATING_AUTHORITY
    gss_ok "winbind = fallback, a user-file user with the DC stopped" ntlm "$W/fallback.conf" \
        "$OURS" 'TESTDOM\alice' 'Passw0rd!' 'TESTDOM\alice'
    if [ $HTTPD_STARTED = yes ]; then
        run_http "curl --ntlm, DC stopped" 401 curl_ntlm "$DU" "$PW"
    fi
else
    fail "the DC did not stop"
fi

# The audit file: one line per attempt, the domain's successes marked, never a secret.
if grep -F "user=\"$DU\" version=v2 " "$W/audit.log" |
    grep -qF 'result=ok reason="authenticated by a domain controller"' &&
    ! grep -qF "$PW" "$W/audit.log"; then
    pass "audit: domain logons marked, no password logged"
else
    fail "audit: no domain logon line, or a password in it"
    tail -n 5 "$W/audit.log" | sed 's/^/    audit: /'
fi

if [ $HTTPD_STARTED = yes ]; then
    if grep -Eq 'child pid [0-9]+ exit signal|AH00052' "$A/error.log"; then
        fail "an httpd worker crashed"
    else
        pass "no httpd worker crash in error.log"
    fi
fi

finish
