# A throwaway MIT KDC on 127.0.0.1 for the shell tests, in the manner of MIT's k5test.py.
# Source it after tests/lib/lib.sh (it uses $W and $PIDS), then:
#
#   kdc_available || { echo "SKIP: ..."; exit 77; }
#   kdc_start || { fail "KDC"; finish; exit; }    # realm KRBTEST.COM in $W/kdc
#   kdc_kinit                                     # ticket for user@KRBTEST.COM
#
# kdc_start exports KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5_KTNAME ($W/http.keytab, the key of
# HTTP/localhost) and KRB5RCACHEDIR, and sets KDC_REALM, KDC_PORT and KDC_PID. The KDC's pid
# goes into $PIDS, so lib.sh's cleanup stops it. kdc_kinit exports KRB5CCNAME=FILE:$W/krb5cc.

KDC_REALM=KRBTEST.COM
KDC_DIR="$W/kdc"
KDC_USER=user
KDC_USER_PASSWORD=userpw
KDC_PORT=
KDC_PID=

# Prints the path of an MIT admin tool (they live in /usr/sbin, often not on a user's PATH).
kdc_tool() {
    command -v "$1" 2>/dev/null && return 0
    [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"
}

# Non-zero when the KDC packages are missing (krb5-kdc, krb5-admin-server, krb5-user).
kdc_available() {
    for kdc_t in krb5kdc kdb5_util kadmin.local kinit; do
        [ -n "$(kdc_tool "$kdc_t")" ] || return 1
    done
    return 0
}

# A pseudo-random port in 20000..59999.
kdc_random_port() {
    kdc_n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $((20000 + kdc_n % 40000))
}

kdc_write_config() {
    cat > "$KDC_DIR/krb5.conf" <<EOF
[libdefaults]
    default_realm = $KDC_REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
[realms]
    $KDC_REALM = {
        kdc = 127.0.0.1:$1
    }
[domain_realm]
    localhost = $KDC_REALM
    127.0.0.1 = $KDC_REALM
EOF
    cat > "$KDC_DIR/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$1
    kdc_tcp_listen = 127.0.0.1:$1
[realms]
    $KDC_REALM = {
        database_name = $KDC_DIR/principal
        key_stash_file = $KDC_DIR/stash
        acl_file = $KDC_DIR/kadm5.acl
        max_life = 1h
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }
[logging]
    kdc = FILE:$KDC_DIR/kdc.log
EOF
}

# The database, the user, root (which krb5's default auth_to_local rule maps to the local root:
# libsspi must refuse it) and the HTTP/localhost service with its keytab.
kdc_create_realm() {
    kdc_kadmin=$(kdc_tool kadmin.local)
    "$(kdc_tool kdb5_util)" -r "$KDC_REALM" create -s -P masterpw >> "$KDC_DIR/setup.log" 2>&1 &&
        "$kdc_kadmin" -r "$KDC_REALM" -q "addprinc -pw $KDC_USER_PASSWORD $KDC_USER" \
            >> "$KDC_DIR/setup.log" 2>&1 &&
        "$kdc_kadmin" -r "$KDC_REALM" -q "addprinc -pw $KDC_USER_PASSWORD root" \
            >> "$KDC_DIR/setup.log" 2>&1 &&
        "$kdc_kadmin" -r "$KDC_REALM" -q "addprinc -randkey HTTP/localhost" \
            >> "$KDC_DIR/setup.log" 2>&1 &&
        "$kdc_kadmin" -r "$KDC_REALM" -q "ktadd -k $W/http.keytab HTTP/localhost" \
            >> "$KDC_DIR/setup.log" 2>&1 &&
        [ -s "$W/http.keytab" ]
}

# Waits (at most about 5 s) for krb5kdc's "starting..." line, as k5test does, then until it
# issues a ticket for the service key. Fails at once if the KDC exited (its port was taken).
kdc_wait() {
    kdc_i=0
    while ! grep -q 'starting\.\.\.' "$KDC_DIR/stdout" 2>/dev/null; do
        kill -0 "$KDC_PID" 2>/dev/null || return 1
        [ $kdc_i -lt 50 ] || return 1
        sleep 0.1
        kdc_i=$((kdc_i + 1))
    done
    while [ $kdc_i -lt 50 ]; do
        kill -0 "$KDC_PID" 2>/dev/null || return 1
        if KRB5CCNAME="FILE:$KDC_DIR/probe-cc" timeout 5 "$(kdc_tool kinit)" \
            -k -t "$W/http.keytab" HTTP/localhost >> "$KDC_DIR/probe.log" 2>&1; then
            rm -f "$KDC_DIR/probe-cc"
            return 0
        fi
        sleep 0.1
        kdc_i=$((kdc_i + 1))
    done
    return 1
}

kdc_start() {
    mkdir -p "$KDC_DIR" || return 1
    : > "$KDC_DIR/kadm5.acl"
    KRB5_CONFIG="$KDC_DIR/krb5.conf"
    KRB5_KDC_PROFILE="$KDC_DIR/kdc.conf"
    KRB5_KTNAME="$W/http.keytab"
    KRB5RCACHEDIR="$KDC_DIR"
    export KRB5_CONFIG KRB5_KDC_PROFILE KRB5_KTNAME KRB5RCACHEDIR
    kdc_write_config "$(kdc_random_port)"
    if ! kdc_create_realm; then
        echo "kdc.sh: creating the realm failed:"
        sed 's/^/    /' "$KDC_DIR/setup.log"
        return 1
    fi
    # A few random ports: a taken one makes krb5kdc exit, and the next is tried.
    for kdc_attempt in 1 2 3 4 5; do
        KDC_PORT=$(kdc_random_port)
        kdc_write_config "$KDC_PORT"
        "$(kdc_tool krb5kdc)" -n -r "$KDC_REALM" > "$KDC_DIR/stdout" 2>&1 &
        KDC_PID=$!
        PIDS="$PIDS $KDC_PID"
        if kdc_wait; then
            return 0
        fi
        kill "$KDC_PID" 2>/dev/null
        wait "$KDC_PID" 2>/dev/null
        echo "kdc.sh: no KDC on 127.0.0.1:$KDC_PORT (attempt $kdc_attempt)"
    done
    echo "kdc.sh: the KDC did not start:"
    sed 's/^/    /' "$KDC_DIR/stdout" "$KDC_DIR/kdc.log" 2>/dev/null | tail -n 20
    return 1
}

# A TGT for user@KRBTEST.COM in FILE:$W/krb5cc, which becomes the default ccache.
kdc_kinit() {
    KRB5CCNAME="FILE:$W/krb5cc"
    export KRB5CCNAME
    if ! echo "$KDC_USER_PASSWORD" |
        "$(kdc_tool kinit)" "$KDC_USER@$KDC_REALM" > "$KDC_DIR/kinit.log" 2>&1; then
        echo "kdc.sh: kinit $KDC_USER@$KDC_REALM failed:"
        sed 's/^/    /' "$KDC_DIR/kinit.log"
        return 1
    fi
}
