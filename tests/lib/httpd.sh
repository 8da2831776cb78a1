# A private Apache httpd for the shell tests. Source it after tests/lib/lib.sh, then:
#
#   httpd_available || { echo "SKIP: $HTTPD_SKIP_REASON"; exit 77; }
#   HTTPD_DIR=...            # its ServerRoot-like directory: config, pid file, logs, run/
#   HTTPD_ENV="VAR=value ..." # httpd's whole environment besides PATH, LANG, E2E_DIR, HTTP_PORT
#   httpd_start CONF || ...  # on a random free port on 127.0.0.1; sets HTTPD_PID, HTTP_PORT
#   httpd_stop               # (its EXIT trap does it too)
#
# The config reads ${E2E_DIR} (= $HTTPD_DIR) and ${HTTP_PORT} from httpd's environment and
# writes its pid to ${E2E_DIR}/httpd.pid. As root, httpd runs as nobody and group HTTPD_GROUP
# (default nobody's), so HTTPD_DIR must be theirs. HTTPD_WRAP, when set, is a command httpd is
# started under (tests/lib/samba_dc.sh's dc_client, for one).

APACHE=/usr/sbin/apache2
APACHE_MODULES=/usr/lib/apache2/modules
HTTPD_PID=
HTTP_PORT=
HTTPD_ENV=
HTTPD_WRAP=
HTTPD_GROUP=
HTTPD_SKIP_REASON=

# Non-zero, with HTTPD_SKIP_REASON set, when Apache, mod_auth_gssapi or curl is missing.
httpd_available() {
    if [ ! -x "$APACHE" ]; then
        HTTPD_SKIP_REASON="Apache is not installed (apt-get install apache2)"
    elif [ ! -f "$APACHE_MODULES/mod_auth_gssapi.so" ]; then
        HTTPD_SKIP_REASON="mod_auth_gssapi is not installed (apt-get install libapache2-mod-auth-gssapi)"
    elif ! command -v curl > /dev/null 2>&1; then
        HTTPD_SKIP_REASON="curl is not installed (it probes the server and is most of the clients)"
    else
        return 0
    fi
    return 1
}

# The process exists and is not a zombie.
alive() {
    kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null
}

# httpd's workers: the processes whose parent is httpd.
httpd_children() {
    grep -l "^PPid:[[:space:]]*$HTTPD_PID\$" /proc/[0-9]*/status 2> /dev/null | cut -d/ -f3
}

# Stops httpd by pid: TERM (it stops its workers), at most 5 s, then KILL it and its workers.
httpd_stop() {
    [ -n "$HTTPD_PID" ] || return 0
    kill -TERM "$HTTPD_PID" 2>/dev/null
    n=0
    while alive "$HTTPD_PID" && [ $n -lt 100 ]; do
        sleep 0.05
        n=$((n + 1))
    done
    if alive "$HTTPD_PID"; then
        echo "httpd $HTTPD_PID ignored TERM for 5 s; killing it"
        for child in $(httpd_children); do
            kill -KILL "$child" 2>/dev/null
        done
        kill -KILL "$HTTPD_PID" 2>/dev/null
    fi
    wait "$HTTPD_PID" 2>/dev/null
    HTTPD_PID=
}
CLEANUP_HOOKS="httpd_stop $CLEANUP_HOOKS"

# A pseudo-random port in 20000..59999.
httpd_random_port() {
    hp_n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $((20000 + hp_n % 40000))
}

# httpd_start CONF: httpd in the foreground (so $! is its pid), a few tries at random ports.
httpd_start() {
    hs_conf=$1
    for attempt in 1 2 3 4 5; do
        HTTP_PORT=$(httpd_random_port)
        rm -f "$HTTPD_DIR/httpd.pid"
        # shellcheck disable=SC2086 # HTTPD_ENV and HTTPD_WRAP are word lists
        set -- env -i PATH=/usr/bin:/bin LANG=C E2E_DIR="$HTTPD_DIR" HTTP_PORT="$HTTP_PORT" \
            $HTTPD_ENV "$APACHE" -f "$hs_conf" -DFOREGROUND
        if [ "$(id -u)" = 0 ]; then
            set -- setpriv --reuid="$(id -u nobody)" \
                --regid="$(getent group "${HTTPD_GROUP:-$(id -gn nobody)}" | cut -d: -f3)" \
                --clear-groups -- "$@"
        fi
        # shellcheck disable=SC2086
        $HTTPD_WRAP "$@" >> "$W/httpd.out" 2>&1 &
        HTTPD_PID=$!
        n=0
        # Under a wrapper, $! may be the wrapper's shell: the pid file names httpd itself.
        while [ $n -lt 100 ] && alive "$HTTPD_PID"; do
            if [ -s "$HTTPD_DIR/httpd.pid" ] &&
                [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
                    "http://127.0.0.1:$HTTP_PORT/")" != 000 ]; then
                PIDS="$PIDS $HTTPD_PID"
                HTTPD_PID=$(cat "$HTTPD_DIR/httpd.pid")
                return 0
            fi
            sleep 0.05
            n=$((n + 1))
        done
        httpd_stop
        echo "httpd did not come up on 127.0.0.1:$HTTP_PORT (attempt $attempt)"
    done
    sed 's/^/    /' "$W/httpd.out" "$HTTPD_DIR/error.log" 2>/dev/null | tail -n 20
    return 1
}
