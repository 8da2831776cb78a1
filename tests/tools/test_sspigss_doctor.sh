#!/bin/sh
# sspigss-doctor: every verdict it gives, each failure it diagnoses with its fix, and its exit
# status, in a private world: the mechglue configuration through GSS_MECH_CONFIG or a fake
# /etc/gss (--gss-dir), the module configuration and user file in the test's directory.
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

DOCTOR="$SSPIGSS_BUILDDIR/tools/sspigss-doctor"
PROBE="$SSPIGSS_BUILDDIR/tools/sspigss-spnego-probe"
NTLM_OID=1.3.6.1.4.1.311.2.2.10
THEIRS_LIB=${INCUMBENT:-/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so}
mkdir -p "$W/state"

# doctor ARGS...: runs the doctor (no password on stdin), output in $W/out, status in $rc.
doctor() {
    "$DOCTOR" "$@" > "$W/out" 2>&1 < /dev/null
    rc=$?
}

# expect NAME RC PATTERN: the last run exited RC and printed a line matching PATTERN (grep -E).
expect() {
    if [ "$rc" -eq "$2" ] && grep -Eq -- "$3" "$W/out"; then
        pass "$1"
    else
        fail "$1 (exit $rc, wanted $2; no line matching /$3/ in:)"
        sed 's/^/    /' "$W/out"
    fi
}

# expect_no NAME PATTERN: no line of the last run matches PATTERN.
expect_no() {
    if grep -Eq -- "$2" "$W/out"; then
        fail "$1 (a line matches /$2/)"
        sed 's/^/    /' "$W/out"
    else
        pass "$1"
    fi
}

# gss_dir NAME FILE=LINE...: a fake /etc/gss at $W/NAME, each FILE (mech, or mech.d/X) holding
# LINE (printf escapes allowed).
gss_dir() {
    d="$W/$1"
    shift
    rm -rf "$d"
    mkdir -p "$d/mech.d"
    for spec in "$@"; do
        printf "${spec#*=}\n" >> "$d/${spec%%=*}"
    done
}
OURS="sspigss_ntlm $NTLM_OID $SSPIGSS_MODULE"
THEIRS="gssntlmssp_v1 $NTLM_OID $THEIRS_LIB"

# --- everything in order
doctor
expect "a sound setup passes, exit 0" 0 '^everything a logon needs is in order$'
expect "the mechglue verdict names our module and the line" 0 \
    "^ok   mechglue: NTLM \\($NTLM_OID\\) loads .*sspigss_ntlm.so \\(sspigss\\), from $W/ours.conf:1$"
expect "GSS_MECH_CONFIG is reported as the only file read" 0 \
    "^info mechglue: GSS_MECH_CONFIG=$W/ours.conf: processes with this environment read only"
expect "the configuration file is named and valid" 0 "^ok   config: $W/ntlm.conf is valid$"
expect "the user file's mode and owner are shown" 0 "^ok   user file: $W/users: mode 0600, owner"
expect "the user file parses" 0 "^ok   user file: $W/users parses: 2 users$"
expect "winbind off is in order" 0 '^ok   winbind: not used \(winbind = no\)$'
expect "the lockout state directory is in order" 0 "^ok   lockout: state_dir $W/state "
expect "the MIT krb5 version is shown" 0 '^info versions: libgssapi-krb5-2: '
# The one WARN a sound setup may get is the platform's own SPNEGO bug (Debian 13's krb5).
if grep -E '^(WARN|FAIL)' "$W/out" | grep -qv '^WARN spnego: '; then
    fail "a WARN or FAIL line in a sound setup:"
    sed 's/^/    /' "$W/out"
else
    pass "no WARN or FAIL line in a sound setup, but for the platform's SPNEGO bug"
fi

# --- which module MIT loads: the files read as MIT reads them
unset GSS_MECH_CONFIG
gss_dir both "mech.d/mech.ntlmssp.conf=$THEIRS" "mech.d/sspigss.conf=$OURS"
doctor --gss-dir "$W/both"
expect "with gss-ntlmssp installed too, sspigss.conf sorts last and wins" 0 \
    "^ok   mechglue: .*\\(sspigss\\), from $W/both/mech.d/sspigss.conf:1$"
expect "two registrations of the OID are pointed out" 0 \
    '^info mechglue: 2 lines register NTLM; the last one read wins, silently$'

gss_dir theirs "mech.d/mech.ntlmssp.conf=$THEIRS"
doctor --gss-dir "$W/theirs"
expect "gss-ntlmssp alone is a failure with the fix" 1 \
    "^FAIL mechglue: NTLM goes to $THEIRS_LIB \\(from $W/theirs/mech.d/mech.ntlmssp.conf:1\\), not to sspigss; fix: "

gss_dir later "mech.d/sspigss.conf=$OURS" "mech.d/zz-other.conf=$THEIRS"
doctor --gss-dir "$W/later"
expect "a file sorting after ours wins over it" 1 "^FAIL mechglue: .*from $W/later/mech.d/zz-other.conf:1\\), not to sspigss"

gss_dir mechfile "mech=$OURS" "mech.d/a.conf=$THEIRS"
doctor --gss-dir "$W/mechfile"
expect "mech.d is read after /etc/gss/mech" 1 "^FAIL mechglue: .*from $W/mechfile/mech.d/a.conf:1\\)"

gss_dir mechonly "mech=$OURS"
doctor --gss-dir "$W/mechonly"
expect "a line in /etc/gss/mech alone is read" 0 "^ok   mechglue: .*from $W/mechonly/mech:1$"

gss_dir ignored "mech.d/sspigss.conf=$OURS" "mech.d/zz.conf.disabled=$THEIRS" \
    "mech.d/zz-comment.conf=#$THEIRS" "mech.d/zz-blank.conf= $THEIRS" "mech.d/.zz-hidden.conf=$THEIRS" \
    "mech.d/zz-short.conf=short $NTLM_OID"
doctor --gss-dir "$W/ignored"
expect "files not ending in .conf, hidden files, comments, indented and short lines are ignored" \
    0 "^ok   mechglue: .*from $W/ignored/mech.d/sspigss.conf:1$"

gss_dir braces "mech.d/sspigss.conf=$OURS" "mech.d/zz.conf=gssntlmssp_v1 { 1 3 6 1 4 1 311 2 2 10 } $THEIRS_LIB"
doctor --gss-dir "$W/braces"
expect "an OID in braces form is dropped, as MIT cuts the field at the first blank" 0 \
    "^ok   mechglue: .*from $W/braces/mech.d/sspigss.conf:1$"

gss_dir none "mech.d/other.conf=other 1.2.3.4 /nowhere.so"
doctor --gss-dir "$W/none"
expect "no NTLM line at all is a failure with the fix" 1 \
    "^FAIL mechglue: no line registers NTLM \\($NTLM_OID\\) in $W/none; fix: install the sspigss-ntlm package"

gss_dir missing "mech.d/sspigss.conf=sspigss_ntlm $NTLM_OID $W/gone/sspigss_ntlm.so"
doctor --gss-dir "$W/missing"
expect "a winning line whose module is gone is a failure" 1 \
    "^FAIL mechglue: $W/gone/sspigss_ntlm.so \\(named at $W/missing/mech.d/sspigss.conf:1\\) does not exist: MIT does not fall back"

gss_dir relative "mech.d/sspigss.conf=sspigss_ntlm $NTLM_OID sspigss_ntlm.so"
doctor --gss-dir "$W/relative"
expect "a relative module path is looked up under \$(libdir)/gss" 1 \
    '^(ok   mechglue|FAIL mechglue): .*/gss/sspigss_ntlm.so'

mkdir -p "$W/broken"
echo "not a library" > "$W/broken/sspigss_ntlm.so"
gss_dir unloadable "mech.d/sspigss.conf=sspigss_ntlm $NTLM_OID $W/broken/sspigss_ntlm.so"
doctor --gss-dir "$W/unloadable"
expect "a module that cannot be loaded is a failure" 1 \
    "^FAIL mechglue: $W/broken/sspigss_ntlm.so cannot be loaded: "

printf '%s\n' "$THEIRS" > "$W/theirs-only.conf"
GSS_MECH_CONFIG="$W/theirs-only.conf" doctor --gss-dir "$W/both"
expect "GSS_MECH_CONFIG wins over the mech.d files" 1 \
    "^FAIL mechglue: NTLM goes to .* \\(from $W/theirs-only.conf:1\\), not to sspigss"
GSS_MECH_CONFIG="$W/ours.conf"
export GSS_MECH_CONFIG

# --- the module configuration
printf 'user_file = %s\nno_such_key = 1\n' "$W/users" > "$W/bad.conf"
doctor --config "$W/bad.conf"
expect "an invalid configuration is a failure naming file and line" 1 \
    "^FAIL config: $W/bad.conf:2: .*; fix: correct it; sspigss-ntlm.conf\\(5\\) lists every key$"
doctor --config "$W/absent.conf"
expect "a named configuration that is absent is a failure" 1 "^FAIL config: $W/absent.conf: cannot read"
(
    unset SSPIGSS_NTLM_CONFIG
    "$DOCTOR" > "$W/out" 2>&1 < /dev/null
)
default=$(sed -n 's/^ok   config: \(.*\) is absent: every key has its default$/\1/p' "$W/out")
if [ -n "$default" ] && [ ! -e "$default" ]; then
    pass "an absent default configuration means every default ($default)"
elif grep -q '^ok   config: .* is valid$' "$W/out"; then
    pass "the default configuration is present and valid on this machine"
else
    fail "default configuration verdict:"
    sed 's/^/    /' "$W/out"
fi

# --- the user file
cfg() {
    printf 'netbios_domain = TESTDOM\naudit = none\nstate_dir = %s/state\n' "$W" > "$W/cfg.conf"
    printf '%s\n' "$@" >> "$W/cfg.conf"
}
cfg
(
    unset NTLM_USER_FILE
    "$DOCTOR" --config "$W/cfg.conf" > "$W/out" 2>&1 < /dev/null
)
rc=$?
expect "no user database and no winbind is a failure with the fix" 1 \
    '^FAIL user file: no user database configured .*; fix: sspigss-user -f .*/sspigss/users add'
doctor --config "$W/cfg.conf" --user-file "$W/nonexistent"
expect "a missing user file is a failure" 1 \
    "^FAIL user file: $W/nonexistent: No such file or directory; fix: create it: sspigss-user -f $W/nonexistent add"
doctor --user-file "$W"
expect "a user file that is a directory is a failure" 1 "^FAIL user file: $W is not a regular file"
ln -s "$W/gone" "$W/dangling"
doctor --user-file "$W/dangling"
expect "a dangling link as user file is a failure" 1 "^FAIL user file: $W/dangling is a dangling symbolic link"
cp "$W/users" "$W/users-644"
chmod 644 "$W/users-644"
doctor --user-file "$W/users-644"
expect "a user file others can read is a failure under strict permissions" 1 \
    "^FAIL user file: $W/users-644 has mode 0644: others can read the hashes .*; fix: chmod 600 $W/users-644"
cfg "user_file_permissions = relaxed" "user_file = $W/users-644"
(
    unset NTLM_USER_FILE
    "$DOCTOR" --config "$W/cfg.conf" > "$W/out" 2>&1 < /dev/null
)
rc=$?
expect "under relaxed permissions it is a warning, and the exit status stays 0" 0 \
    "^WARN user file: $W/users-644 has mode 0644: others can read the hashes; fix: chmod 600"
cp "$W/users" "$W/users-620"
chmod 620 "$W/users-620"
doctor --user-file "$W/users-620"
expect "a user file the group can write is a failure" 1 "^FAIL user file: $W/users-620 has mode 0620: others can write it"
printf '#sspigss-users 1\nthis is not an entry\n' > "$W/users-bad"
doctor --user-file "$W/users-bad"
expect "a user file line that does not parse is a failure naming the line" 1 \
    "^FAIL user file: $W/users-bad:2: .*; fix: correct that line"
printf '#sspigss-users 1\n' > "$W/users-empty"
doctor --user-file "$W/users-empty"
expect "a user file without users is a failure" 1 "^FAIL user file: $W/users-empty lists no user"
doctor --as no-such-user-here
expect "an unknown server user is a failure" 1 '^FAIL server user: no such user: no-such-user-here'

if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
    nogroup=$(id -gn nobody)
    doctor --as nobody
    expect "--as: a directory the server user cannot search is named" 1 \
        "^FAIL user file: nobody cannot read $W/users \\(stopped at $W\\); fix: let nobody search $W"
    # The run's directory searchable (not listable), as most paths to a server's files are.
    chmod 711 "$W"
    mkdir -m 755 "$W/pub"
    cp "$W/users" "$W/pub/users"
    chmod 600 "$W/pub/users"
    doctor --as nobody --user-file "$W/pub/users"
    expect "--as: a file the server user cannot read is named, with chgrp and chmod as fix" 1 \
        "^FAIL user file: nobody cannot read $W/pub/users \\(stopped at $W/pub/users\\); fix: chgrp $nogroup $W/pub/users && chmod 640"
    chgrp "$nogroup" "$W/pub/users"
    chmod 640 "$W/pub/users"
    doctor --as nobody --user-file "$W/pub/users"
    expect "--as: a file the server user's group can read is in order" 0 "^ok   user file: nobody can read $W/pub/users$"
    chown nobody "$W/users-bad"
    chmod 600 "$W/users-bad"
    doctor --as root --user-file "$W/users-bad"
    expect "--as: a user file owned by another account is a warning" 1 \
        "^WARN user file: $W/users-bad belongs to nobody, who can change every password in it; fix: chown root"
    # A logon as the server user: its user file, module and configuration where it can read them.
    cp "$W/ours.conf" "$W/pub/ours.conf"
    chmod 644 "$W/pub/ours.conf"
    mkdir -m 1733 "$W/pub/state"
    printf 'netbios_domain = TESTDOM\nstate_dir = %s/pub/state\n' "$W" > "$W/pub/ntlm.conf"
    chmod 644 "$W/pub/ntlm.conf"
    printf 'Passw0rd!\n' | GSS_MECH_CONFIG="$W/pub/ours.conf" "$DOCTOR" --as nobody \
        --config "$W/pub/ntlm.conf" --user-file "$W/pub/users" --login 'TESTDOM\alice' > "$W/out" 2>&1
    rc=$?
    expect "--login --as logs in as the server user" 0 '^ok   login: TESTDOM\\alice logged in through the mechglue'
else
    SKIPPED=$((SKIPPED + 1))
    skip "--as checks against another account need root and the account nobody"
fi

# --- winbind
if [ "${SSPIGSS_WBCLIENT:-no}" = yes ]; then
    if [ -S /run/samba/winbindd/pipe ]; then
        SKIPPED=$((SKIPPED + 1))
        skip "a winbindd runs on this machine: the unreachable case cannot be shown"
    else
        cfg "winbind = fallback" "user_file = $W/users"
        doctor --config "$W/cfg.conf"
        expect "winbind configured but winbindd not running is a failure" 1 \
            '^FAIL winbind: winbindd does not answer: .*; fix: start winbindd'
    fi
else
    cfg "winbind = fallback" "user_file = $W/users"
    doctor --config "$W/cfg.conf"
    expect "winbind configured in a build without it is a failure" 1 \
        '^FAIL winbind: this build of sspigss has no winbind support'
fi
cfg "winbind = only"
doctor --config "$W/cfg.conf"
expect "with winbind = only no user file is needed" 1 '^ok   user file: not used: winbind = only$'

# --- lockout state
printf 'user_file = %s/users\nstate_dir = %s/no-state\n' "$W" "$W" > "$W/cfg.conf"
doctor --config "$W/cfg.conf"
expect "a missing state_dir is a warning with the fix, exit 0" 0 \
    "^WARN lockout: state_dir $W/no-state is missing: .*; fix: mkdir -m 1733 $W/no-state$"

# --- MIT's SPNEGO mechListMIC bug: the verdict agrees with the probe
"$PROBE" --module "$SSPIGSS_MODULE" > /dev/null 2>&1
probe=$?
doctor
case $probe in
0) expect "the spnego verdict agrees with the probe (no bug)" 0 "^ok   spnego: MIT krb5's SPNEGO reads the mechListMIC$" ;;
1) expect "the spnego verdict agrees with the probe (ticket 9183)" 0 \
    '^WARN spnego: MIT krb5 SPNEGO mechListMIC bug \(ticket 9183\): .*; fix: upgrade krb5 to 1.22.2' ;;
*) expect "the spnego verdict agrees with the probe (cannot tell)" 0 '^info spnego: cannot tell' ;;
esac

# --- a test logon
printf 'Passw0rd!\n' | "$DOCTOR" --login 'TESTDOM\alice' > "$W/out" 2>&1
rc=$?
expect "--login with the right password logs in" 0 \
    '^ok   login: TESTDOM\\alice logged in through the mechglue, as "TESTDOM\\alice"'
expect "--login prints the audit line it produced" 0 \
    '^info login: audit: .* sspigss-ntlm: .*user="TESTDOM%5Calice|user="TESTDOM\\alice".* result=ok'
expect_no "the password is never printed" 'Passw0rd'
printf 'wrong-one\n' | "$DOCTOR" --login 'TESTDOM\alice' > "$W/out" 2>&1
rc=$?
expect "--login with a wrong password is a failure with the fix" 1 \
    '^FAIL login: TESTDOM\\alice could not log in: .*wrong password.*; fix: check the password'
expect "the failed logon's audit line is printed" 1 '^info login: audit: .*result=(fail|wrong)'
printf 'whatever\n' | "$DOCTOR" --login 'TESTDOM\nobody' > "$W/out" 2>&1
rc=$?
expect "--login of an unknown user is a failure with the fix" 1 \
    '^FAIL login: TESTDOM\\nobody could not log in: .*unknown user.*; fix: add the user'
printf 'Passw0rd!\n' | "$DOCTOR" --login 'TESTDOM\alice' --user-file "$W/nonexistent" > "$W/out" 2>&1
rc=$?
expect "no logon is attempted while a check fails" 1 \
    '^FAIL login: not attempted: a logon cannot succeed yet; fix: fix the failures above first$'
"$DOCTOR" --login 'TESTDOM\alice' < /dev/null > "$W/out" 2>&1
rc=$?
expect "--login without a password on stdin is a usage error" 2 'no password on standard input'
if command -v script > /dev/null 2>&1; then
    # On a terminal (script(1) gives one) the password is asked for, and typed without echo:
    # it is sent once the prompt is there, as a person would type it.
    mkfifo "$W/tty-in"
    script -qfec "'$DOCTOR' --login 'TESTDOM\\alice'" "$W/typescript" < "$W/tty-in" \
        > "$W/out" 2>&1 &
    script_pid=$!
    PIDS="$PIDS $script_pid"
    exec 8> "$W/tty-in"
    i=0
    while ! grep -q 'Password for the test logon:' "$W/typescript" 2> /dev/null && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    printf 'Passw0rd!\n' >&8
    exec 8>&-
    wait "$script_pid"
    rc=$?
    expect "on a terminal the password is prompted for, and the logon succeeds" 0 \
        'Password for the test logon:'
    expect_no "on a terminal the password is not echoed" 'Passw0rd'
fi

doctor --no-such-option
expect "an unknown option is a usage error (exit 2)" 2 '^usage: sspigss-doctor'
finish
