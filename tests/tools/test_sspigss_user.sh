#!/bin/sh
# sspigss-user: add/passwd/del/list on a private user file, the file's header, mode and hashes,
# refusal of bad names and of foreign formats, and a real login through the module for a user
# the tool added.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

TOOL="$SSPIGSS_BUILDDIR/tools/sspigss-user"
PEER="$SSPIGSS_BUILDDIR/tests/lib/gss_peer"
F="$W/tool-users"

# expect_rc NAME RC MESSAGE-PATTERN CMD...: CMD exits with RC and says MESSAGE on stderr.
expect_rc() {
    name=$1 want=$2 pattern=$3
    shift 3
    "$@" > "$W/out" 2> "$W/err"
    rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$pattern" "$W/err"; then
        pass "$name"
    else
        fail "$name (exit $rc, wanted $want; stderr: $(cat "$W/err"))"
    fi
}

hash_of() {
    grep -i "^$1:$2:" "$F" | cut -d: -f3
}

# A permissive umask must not leak into the file's mode.
(umask 022 && printf 'Password\n' | "$TOOL" -f "$F" add 'TESTDOM\carol')
rc=$?
[ $rc -eq 0 ] && pass "add from stdin succeeds" || fail "add from stdin (exit $rc)"
[ "$(head -n 1 "$F")" = '#sspigss-users 1' ] && pass "the new file starts with the header" ||
    fail "header: $(head -n 1 "$F")"
mode=$(stat -c %a "$F")
[ "$mode" = 600 ] && pass "the new file has mode 0600" || fail "mode $mode"
grep -q Password "$F" && fail "the plaintext password is in the file" ||
    pass "no plaintext password in the file"
# MS-NLMP 4.2.2.1.2: NTOWFv1("Password").
h=$(hash_of TESTDOM carol)
[ "$h" = a4f49c406510bdcab6824ee7c30fd852 ] && pass "the stored hash is NTOWFv1(Password)" ||
    fail "stored hash $h"

printf 'S3cret:with colon\n' | "$TOOL" -f "$F" add dave
out=$(NTLM_USER_FILE="$F" "$TOOL" list)
[ "$out" = "$(printf 'TESTDOM\\carol\ndave')" ] && pass "list prints DOMAIN\\USER, USER for any domain" ||
    fail "list printed: $out"
printf '%s' "$out" | grep -q '[0-9a-f]\{32\}' && fail "list shows a hash" || pass "list shows no hash"

expect_rc "a duplicate add (other case) fails" 1 'already in' \
    sh -c 'printf "x\n" | "$1" -f "$2" add "testdom\\CAROL"' sh "$TOOL" "$F"
printf 'NewPass1\n' | "$TOOL" -f "$F" passwd 'TESTDOM\carol'
h2=$(hash_of TESTDOM carol)
[ -n "$h2" ] && [ "$h2" != "$h" ] && pass "passwd changes the hash" ||
    fail "passwd: hash $h2"
chmod 644 "$F"
printf 'NewPass1\n' | "$TOOL" -f "$F" passwd 'TESTDOM\carol'
mode=$(stat -c %a "$F")
[ "$mode" = 640 ] && pass "a rewrite drops other-read (0644 becomes 0640)" || fail "mode $mode"
chmod 600 "$F"
expect_rc "passwd of a missing user fails" 1 'no such user' \
    sh -c 'printf "x\n" | "$1" -f "$2" passwd nobody' sh "$TOOL" "$F"
expect_rc "an empty password is refused" 1 'password is empty' \
    sh -c 'printf "\n" | "$1" -f "$2" passwd dave' sh "$TOOL" "$F"
expect_rc "no password on stdin is refused" 1 'no password' "$TOOL" -f "$F" passwd dave < /dev/null
"$TOOL" -f "$F" del dave
grep -q ':dave:' "$F" && fail "del left dave in the file" || pass "del removes the user"
expect_rc "del of a missing user fails" 1 'no such user' "$TOOL" -f "$F" del dave

cp "$F" "$W/before"
long=$(printf '%0300d' 0)
expect_rc "an empty user name is refused" 1 'user name is empty' "$TOOL" -f "$F" del ''
expect_rc "an empty domain is refused" 1 'domain name is empty' "$TOOL" -f "$F" del '\eve'
expect_rc "a user name with ':' is refused" 1 "contains ':'" "$TOOL" -f "$F" del 'e:ve'
expect_rc "a user name with a newline is refused" 1 'control character' \
    "$TOOL" -f "$F" del "$(printf 'e\nve')"
expect_rc "a user name in invalid UTF-8 is refused" 1 'not valid UTF-8' \
    "$TOOL" -f "$F" del "$(printf 'e\377ve')"
expect_rc "a 300-byte user name is refused" 1 'longer than 256' "$TOOL" -f "$F" del "$long"
expect_rc "a machine account name is refused" 1 "ends in '\\$'" \
    sh -c 'printf "x\n" | "$1" -f "$2" add "TESTDOM\\host$"' sh "$TOOL" "$F"
expect_rc "an unknown command is refused" 1 'unknown command' "$TOOL" -f "$F" frob
cmp -s "$F" "$W/before" && pass "refused input left the file as it was" || fail "file changed"

printf '#sspigss-users 1\nTEST\033DOM:x:%s\n' "$(printf '%032d' 0)" > "$W/escape-users"
expect_rc "a file with a control character in a name is refused" 1 'escape-users:2: a name with' \
    "$TOOL" -f "$W/escape-users" del x

printf 'TESTDOM:frank:Passw0rd!\n' > "$W/gss-ntlmssp-users"
expect_rc "a gss-ntlmssp file is refused" 1 'not an sspigss user file' \
    sh -c 'printf "x\n" | "$1" -f "$2" add eve' sh "$TOOL" "$W/gss-ntlmssp-users"
[ "$(cat "$W/gss-ntlmssp-users")" = 'TESTDOM:frank:Passw0rd!' ] &&
    pass "the gss-ntlmssp file is untouched" || fail "the gss-ntlmssp file was changed"

# A login through the real module, both roles ours, against the file the tool wrote.
login() {
    name=$1 user=$2 password=$3 expect=$4
    rm -f "$W/a2i" "$W/i2a"
    mkfifo "$W/a2i" "$W/i2a"
    NTLM_USER_FILE="$F" timeout 30 "$PEER" accept ntlm > "$W/a2i" < "$W/i2a" \
        2> "$W/accept.log" &
    apid=$!
    PIDS="$PIDS $apid"
    timeout 30 "$PEER" init ntlm "$user" "$password" < "$W/a2i" > "$W/i2a" 2> "$W/init.log"
    irc=$?
    wait "$apid"
    arc=$?
    if [ "$expect" = pass ] && [ $irc -eq 0 ] && [ $arc -eq 0 ] &&
        grep -q 'authenticated TESTDOM\\carol' "$W/accept.log"; then
        pass "$name"
    elif [ "$expect" = fail ] && [ $irc -ne 0 ] && [ $arc -ne 0 ]; then
        pass "$name"
    else
        fail "$name (init $irc, accept $arc)"
        sed 's/^/    init: /' "$W/init.log"
        sed 's/^/    accept: /' "$W/accept.log"
    fi
}
GSS_MECH_CONFIG="$W/ours.conf"
login "the module accepts a user added by the tool" 'TESTDOM\carol' NewPass1 pass
login "the module rejects the password replaced by passwd" 'TESTDOM\carol' Password fail
finish
