# The SSPI examples pair (examples/sspi_server, sspi_client) for the shell tests: where the two
# programs are, the message the client seals, and starting the server. Source it after
# tests/lib/lib.sh (it uses $W and $PIDS).

# SSPIGSS_EXAMPLES_DIR overrides where the two programs are (libtool wrappers are fine).
EXAMPLES=${SSPIGSS_EXAMPLES_DIR:-$SSPIGSS_BUILDDIR/examples}
SERVER=$EXAMPLES/sspi_server
CLIENT=$EXAMPLES/sspi_client
MESSAGE='Hello from the SSPI client'

# start_server LOG COMMAND...: runs COMMAND --once --port 0 in the background and waits (at
# most 10 s) for its "listening on 127.0.0.1:PORT" line; sets SPID and SPORT.
start_server() {
    slog=$1
    shift
    "$@" --once --port 0 > "$slog" 2>&1 &
    SPID=$!
    PIDS="$PIDS $SPID"
    SPORT=
    n=0
    while [ $n -lt 200 ]; do
        SPORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$slog")
        [ -n "$SPORT" ] && return 0
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.05
        n=$((n + 1))
    done
    kill "$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
    return 1
}

show_logs() {
    sed 's/^/    server: /' "$W/server.log"
    [ -f "$W/client.log" ] && sed 's/^/    client: /' "$W/client.log"
    return 0
}

# has FILE LINE: FILE has exactly LINE as one of its lines.
has() {
    grep -qxF -- "$2" "$1"
}
