#!/bin/sh
# One Apache, two locations, two module configuration files (GssapiCredStore
# sspigss_config:FILE): each location follows its own file's user file and policy, an edit of a
# file takes effect without restarting Apache, and a broken file fails closed for its location
# only, with the file and line in error_log. The client is curl's own NTLM (NTLMv2, which sends
# no target name, so service_binding = required refuses it).
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/lib/httpd.sh"

E2E=${SSPIGSS_SRCDIR:-.}/tests/e2e
A=$W/apache
HTTPD_DIR=$A
# A reload takes effect for new logons within 2 s (one check per second); polled this long.
RELOAD_DEADLINE=30

if ! httpd_available; then
    echo "SKIP: $HTTPD_SKIP_REASON"
    exit 77
fi

mkdir -p "$A/run" "$A/htdocs/a" "$A/htdocs/b" "$A/state" || exit 99
echo "hello from /a" > "$A/htdocs/a/index.html"
echo "hello from /b" > "$A/htdocs/b/index.html"
cp "$E2E/httpd-config.conf" "$A/httpd.conf" || exit 99
cp "$SSPIGSS_MODULE" "$A/sspigss_ntlm.so" || exit 99
printf 'sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s\n' "$A/sspigss_ntlm.so" > "$A/mech.conf"
# alice logs on at /a, carol at /b: one user file each.
printf 'TESTDOM:alice:Passw0rd!\n' > "$A/users-a"
printf 'TESTDOM:carol:Other-3\n' > "$A/users-b"

BASE="netbios_name = TESTHOST
dns_name = testhost.example
netbios_domain = TESTDOM
audit = none
state_dir = $A/state"

# conf NAME TEXT: (re)writes $A/NAME as editors do (a new file renamed over the old one),
# owned by httpd's user.
conf() {
    printf '%s\n' "$2" > "$A/$1.new" || exit 99
    [ "$(id -u)" != 0 ] || chown "nobody:$(id -g nobody)" "$A/$1.new"
    mv "$A/$1.new" "$A/$1" || exit 99
}

conf a.conf "$BASE
user_file = $A/users-a"
conf b.conf "$BASE
user_file = $A/users-b
service_binding = required"

if [ "$(id -u)" = 0 ]; then
    chmod 711 "$W"
    chown -R "nobody:$(id -g nobody)" "$A" || exit 99
fi

# No NTLM_USER_FILE: it would override both files' user_file.
HTTPD_ENV="GSS_MECH_CONFIG=$A/mech.conf SSPIGSS_NTLM_CONFIG=$A/default.conf \
KRB5_CONFIG=$W/krb5.conf KRB5RCACHEDIR=$A/run"
conf default.conf "$BASE"
if ! httpd_start "$A/httpd.conf"; then
    fail "httpd did not start"
    finish
    exit
fi
echo "httpd $HTTPD_PID on 127.0.0.1:$HTTP_PORT"

# status LOCATION USER PASSWORD: the HTTP status curl's NTLM gets.
status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 10 --ntlm -u "TESTDOM\\$2:$3" \
        "http://127.0.0.1:$HTTP_PORT/$1/index.html"
}

# expect WHAT LOCATION USER PASSWORD WANT: one request's status is WANT ("!200": anything else).
expect() {
    got=$(status "$2" "$3" "$4")
    case $5 in
    !*) [ "$got" != "${5#!}" ] ;;
    *) [ "$got" = "$5" ] ;;
    esac && pass "$1 ($got)" || fail "$1: HTTP $got, wanted $5"
}

# eventually WHAT LOCATION USER PASSWORD WANT: polls until the status is WANT, at most
# RELOAD_DEADLINE seconds (a reload is due within 2 s; the margin is for a loaded machine).
eventually() {
    deadline=$(($(date +%s) + RELOAD_DEADLINE))
    while :; do
        got=$(status "$2" "$3" "$4")
        case $5 in
        !*) [ "$got" != "${5#!}" ] && break ;;
        *) [ "$got" = "$5" ] && break ;;
        esac
        if [ "$(date +%s)" -gt "$deadline" ]; then
            fail "$1: still HTTP $got after ${RELOAD_DEADLINE}s, wanted $5"
            return
        fi
        sleep 0.2
    done
    pass "$1 ($got, after $(($(date +%s) - deadline + RELOAD_DEADLINE))s)"
}

# Two policies side by side in one server.
expect "/a logs alice on with a.conf's user file" a alice 'Passw0rd!' 200
expect "/a does not know b.conf's users" a carol 'Other-3' 401
expect "/b refuses carol: b.conf requires a target name, which curl does not send" \
    b carol 'Other-3' 401
grep -q "target name required but missing" "$A/error.log" &&
    pass "error_log says why /b refused" || fail "error_log does not say why /b refused"

# A live edit of b.conf, without restarting Apache.
conf b.conf "$BASE
user_file = $A/users-b
service_binding = when_present"
eventually "/b logs carol on once b.conf no longer requires a target name" \
    b carol 'Other-3' 200
expect "/a is as it was" a alice 'Passw0rd!' 200

# A broken b.conf fails closed for /b only, naming the file and line.
conf b.conf "$BASE
user_file = $A/users-b
service_binding = sometimes"
eventually "/b refuses every logon while b.conf is broken" b carol 'Other-3' '!200'
expect "/a keeps working while b.conf is broken" a alice 'Passw0rd!' 200
if grep -q "$A/b.conf:7: service_binding" "$A/error.log"; then
    pass "error_log names b.conf:7"
else
    fail "error_log does not name b.conf:7"
    grep -i "gss\|sspigss" "$A/error.log" | tail -n 5 | sed 's/^/    /'
fi
conf b.conf "$BASE
user_file = $A/users-b"
eventually "/b recovers once b.conf is fixed" b carol 'Other-3' 200

alive "$HTTPD_PID" && pass "httpd never restarted (pid $HTTPD_PID)" || fail "httpd is gone"
if grep -q "AH00052\|Segmentation fault\|exit signal" "$A/error.log"; then
    fail "a worker crashed"
    grep "AH00052\|Segmentation fault\|exit signal" "$A/error.log" | sed 's/^/    /'
fi
finish
