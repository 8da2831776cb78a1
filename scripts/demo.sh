#!/bin/sh
# From a fresh Debian 12 or 13 machine to the demo in one command: installs what is missing,
# bootstraps, builds, then runs the Windows-style SSPI examples server and client over
# Negotiate on 127.0.0.1 against a user database written by sspigss-user: who logged in, the
# package chosen, the context flags, and sealed messages both ways. It stops by itself.
#
#   scripts/demo.sh            the exchange above, then exit
#   scripts/demo.sh --serve    keep the server running in HTTP mode for curl (Ctrl-C stops it)
set -eu
cd "$(dirname "$0")/.."

USER_NAME='DEMO\alice'
PASSWORD='Demo-Passw0rd'
PORT=${PORT:-8080}

scripts/install-deps.sh
# Each step's output goes to a log, shown only if the step fails.
quietly() {
    log=$1
    shift
    "$@" > "$log" 2>&1 || { cat "$log"; echo "demo: $* failed" >&2; exit 1; }
}
[ -x configure ] || { echo "== bootstrapping"; quietly bootstrap.log ./bootstrap; }
[ -f Makefile ] || { echo "== configuring"; quietly configure.log ./configure; }
echo "== building"
quietly make.log make -j2

W=$(mktemp -d "${TMPDIR:-/tmp}/sspigss-demo.XXXXXX")
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
umask 077

# A private world: the freshly built module registered for this process tree only, a user
# database holding NT hashes only, no Kerberos configuration, an audit log to look at.
printf 'sspigss_ntlm 1.3.6.1.4.1.311.2.2.10 %s/mech/.libs/sspigss_ntlm.so\n' "$PWD" > "$W/mech.conf"
printf 'netbios_domain = DEMO\naudit = %s/audit.log\n' "$W" > "$W/ntlm.conf"
: > "$W/krb5.conf"
printf '%s\n' "$PASSWORD" | tools/sspigss-user -f "$W/users" add "$USER_NAME"
GSS_MECH_CONFIG="$W/mech.conf"
SSPIGSS_NTLM_CONFIG="$W/ntlm.conf"
NTLM_USER_FILE="$W/users"
KRB5_CONFIG="$W/krb5.conf"
KRB5CCNAME="FILE:$W/no-ticket"
KRB5_KTNAME="FILE:$W/no-keytab"
export GSS_MECH_CONFIG SSPIGSS_NTLM_CONFIG NTLM_USER_FILE KRB5_CONFIG KRB5CCNAME KRB5_KTNAME

if [ "${1:-}" = --serve ]; then
    echo "== sspi_server in HTTP mode on http://127.0.0.1:$PORT/ (Ctrl-C stops it); try:"
    printf "   curl --ntlm -u '%s:%s' http://127.0.0.1:%s/\n" "$USER_NAME" "$PASSWORD" "$PORT"
    printf "   NTLMUSER='%s' curl --negotiate -u : http://127.0.0.1:%s/\n" "$USER_NAME" "$PORT"
    echo "   (curl --negotiate needs NTLM_USER_FILE=$W/users and GSS_MECH_CONFIG=$W/mech.conf)"
    examples/sspi_server --http --port "$PORT"
    exit
fi

# Negotiate needs MIT's SPNEGO to read the peer's mechListMIC; krb5 1.21.0 to 1.22.1 cannot
# (MIT ticket 9183; Debian 13 ships 1.21.3). The probe asks the library itself.
PACKAGE=Negotiate
if ! tools/sspigss-spnego-probe --module "$PWD/mech/.libs/sspigss_ntlm.so" > "$W/probe.log"; then
    if grep -q 'ticket 9183' "$W/probe.log"; then
        PACKAGE=NTLM
        echo "== note: this MIT krb5 drops SPNEGO's mechListMIC (ticket 9183, fixed in 1.22.2): the demo uses the NTLM package instead of Negotiate"
    fi
fi

echo "== user database $W/users (written by sspigss-user: hashes only)"
tools/sspigss-user -f "$W/users" list
examples/sspi_server --package "$PACKAGE" --once --port 0 > "$W/server.log" 2>&1 &
server_pid=$!
i=0
while ! grep -q '^listening on ' "$W/server.log" 2> /dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$server_pid" 2> /dev/null; then
        cat "$W/server.log"
        echo "demo: the server did not start" >&2
        exit 1
    fi
    sleep 0.05
done
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$W/server.log")
# printf, not echo: dash's echo would read the "\a" in "DEMO\alice" as a bell.
printf '== client: %s to 127.0.0.1:%s as %s\n' "$PACKAGE" "$port" "$USER_NAME"
status=0
examples/sspi_client --port "$port" --package "$PACKAGE" --target HTTP/localhost \
    --user "$USER_NAME" --password "$PASSWORD" || status=$?
wait "$server_pid" || status=$?
server_pid=""
echo "== server"
cat "$W/server.log"
echo "== audit line the module wrote"
cat "$W/audit.log"
if [ $status -eq 0 ]; then
    if [ "$PACKAGE" = Negotiate ]; then
        echo "== demo finished: authenticated over Negotiate/NTLM and exchanged sealed messages"
    else
        echo "== demo finished: authenticated over NTLM and exchanged sealed messages"
    fi
else
    echo "== demo FAILED (status $status)" >&2
fi
exit $status
