#!/bin/sh
# Interop in separate processes: our module and gss-ntlmssp (the incumbent), each in either
# role, over raw NTLM and SPNEGO, with wrap/unwrap and MICs across; wrong passwords rejected.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

PEER="$SSPIGSS_BUILDDIR/tests/lib/gss_peer"

if [ -z "$INCUMBENT" ]; then
    echo "SKIP: gss-ntlmssp is not installed (apt-get install gss-ntlmssp)"
    exit 77
fi

# run_pair NAME INIT_CONF ACCEPT_CONF MECH EXPECT [user password]
run_pair() {
    name=$1 iconf=$2 aconf=$3 mech=$4 expect=$5
    shift 5
    rm -f "$W/a2i" "$W/i2a"
    mkfifo "$W/a2i" "$W/i2a"
    # Both sides open a2i first, so the two opens of each FIFO pair up without deadlock.
    GSS_MECH_CONFIG=$aconf timeout 30 "$PEER" accept "$mech" > "$W/a2i" < "$W/i2a" \
        2> "$W/accept.log" &
    apid=$!
    PIDS="$PIDS $apid"
    GSS_MECH_CONFIG=$iconf timeout 30 "$PEER" init "$mech" "$@" < "$W/a2i" > "$W/i2a" \
        2> "$W/init.log"
    irc=$?
    wait "$apid"
    arc=$?
    if [ "$expect" = pass ] && [ $irc -eq 0 ] && [ $arc -eq 0 ] &&
        grep -q 'authenticated TESTDOM\\alice' "$W/accept.log"; then
        pass "$name"
    elif [ "$expect" = fail ] && [ $irc -ne 0 ] && [ $arc -ne 0 ]; then
        pass "$name (rejected: $(grep -h failed "$W/accept.log" "$W/init.log" | head -n 1))"
    else
        fail "$name (init $irc, accept $arc)"
        sed 's/^/    init: /' "$W/init.log"
        sed 's/^/    accept: /' "$W/accept.log"
    fi
}

ours=$W/ours.conf
theirs=$W/theirs.conf
run_pair "raw NTLM: sspigss -> sspigss" "$ours" "$ours" ntlm pass 'TESTDOM\alice' 'Passw0rd!'
run_pair "raw NTLM: sspigss -> gss-ntlmssp" "$ours" "$theirs" ntlm pass 'TESTDOM\alice' 'Passw0rd!'
run_pair "raw NTLM: gss-ntlmssp -> sspigss" "$theirs" "$ours" ntlm pass 'TESTDOM\alice' 'Passw0rd!'
# gss_peer calls the GSS-API directly: MIT's SPNEGO must read the mechListMIC itself.
needs_spnego_mic "SPNEGO: sspigss -> sspigss" &&
    run_pair "SPNEGO: sspigss -> sspigss" "$ours" "$ours" spnego pass
needs_spnego_mic "SPNEGO: sspigss -> gss-ntlmssp" &&
    run_pair "SPNEGO: sspigss -> gss-ntlmssp" "$ours" "$theirs" spnego pass
needs_spnego_mic "SPNEGO: gss-ntlmssp -> sspigss" &&
    run_pair "SPNEGO: gss-ntlmssp -> sspigss" "$theirs" "$ours" spnego pass
run_pair "wrong password: sspigss -> gss-ntlmssp" "$ours" "$theirs" ntlm fail 'TESTDOM\alice' 'wrong'
run_pair "wrong password: gss-ntlmssp -> sspigss" "$theirs" "$ours" ntlm fail 'TESTDOM\alice' 'wrong'
finish
