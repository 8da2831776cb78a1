#!/bin/sh
# Our initiator against an independent acceptor, Samba's ntlm_auth in server mode (raw NTLMSSP
# and SPNEGO, over pipes; no DC, no network), with sign/seal checked against the session key
# Samba reports. gss-ntlmssp runs the same cases as a control when it is installed.
# shellcheck source=tests/lib/lib.sh
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

PY=/usr/bin/python3 # Debian's python, which sees python3-gssapi and python3-impacket
SCRIPT="$SSPIGSS_SRCDIR/tests/e2e/samba_acceptor.py"

NTLM_AUTH=$(command -v ntlm_auth)
if [ -z "$NTLM_AUTH" ]; then
    echo "SKIP: ntlm_auth is not installed (apt-get install winbind)"
    exit 77
fi
if ! "$PY" -c 'import gssapi' 2>/dev/null; then
    echo "SKIP: python3-gssapi is not installed (apt-get install python3-gssapi)"
    exit 77
fi
if ! "$PY" -c 'import impacket.ntlm, Cryptodome.Cipher.ARC4' 2>/dev/null; then
    echo "NOTE: python3-impacket is missing: the sign/seal cases will print SKIP"
fi

# A private smb.conf, so ntlm_auth reads nothing under /etc/samba and writes nothing outside $W.
mkdir -p "$W/samba"
cat > "$W/smb.conf" <<EOF
[global]
    workgroup = TESTDOM
    netbios name = SAMBAHOST
    security = user
    lock directory = $W/samba
    state directory = $W/samba
    cache directory = $W/samba
    private dir = $W/samba
    pid directory = $W/samba
    ncalrpc dir = $W/samba
    log file = $W/samba/log
EOF

# The SPNEGO logon needs MIT's SPNEGO to read Samba's mechListMIC (the initiator is python's
# gssapi over MIT, with nothing in between to adapt the token).
skip_spnego=""
spnego_mic_bug && skip_spnego=$SPNEGO_MIC_9183_REASON

# run_initiator CONF LABEL: counts the script's PASS/FAIL/SKIP lines; a crash is a failure too.
run_initiator() {
    GSS_MECH_CONFIG=$1 timeout 120 "$PY" "$SCRIPT" --label "$2" --smb-conf "$W/smb.conf" \
        --ntlm-auth "$NTLM_AUTH" --user 'TESTDOM\alice' --password 'Passw0rd!' \
        ${skip_spnego:+--skip-spnego-mic "$skip_spnego"} > "$W/out" 2>&1
    rc=$?
    before=$FAILED
    # The script prints its own PASS/FAIL lines; count them into lib.sh's totals as they are.
    while IFS= read -r line; do
        case $line in
        "PASS: "*) PASSED=$((PASSED + 1)) ;;
        "FAIL: "*) FAILED=$((FAILED + 1)) ;;
        "SKIP: "*) SKIPPED=$((SKIPPED + 1)) ;;
        esac
        printf '%s\n' "$line"
    done < "$W/out"
    if [ $rc -ne 0 ] && [ "$FAILED" -eq "$before" ]; then
        fail "$2: samba_acceptor.py exited $rc without a FAIL line"
    fi
}

run_initiator "$W/ours.conf" sspigss
ours_passed=$PASSED ours_failed=$FAILED
echo "sspigss as initiator: $ours_passed passed, $ours_failed failed"

if [ -n "$INCUMBENT" ]; then
    echo "--- control: gss-ntlmssp as initiator, same cases"
    run_initiator "$W/theirs.conf" "control gss-ntlmssp"
    echo "control (gss-ntlmssp): $((PASSED - ours_passed)) passed," \
        "$((FAILED - ours_failed)) failed"
else
    echo "SKIP: control with gss-ntlmssp as initiator: gss-ntlmssp is not installed"
fi
finish
