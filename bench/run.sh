#!/bin/sh
# make bench: builds (the Makefile's job) and runs every benchmark, each printing its figures.
# BENCH_ONLY="gss sspi scale apache winbind" (the default: all) picks some. A benchmark that
# cannot run here prints one SKIP line and why.
B="$SSPIGSS_BUILDDIR/bench"
S="${SSPIGSS_SRCDIR:-.}/bench"
ONLY=" ${BENCH_ONLY:-gss sspi scale apache winbind} "
status=0

run() {
    case "$ONLY" in *" $1 "*) ;; *) return 0 ;; esac
    shift
    echo "### $*"
    "$@" || status=1
}

echo "# $(uname -srm), nproc $(nproc), $(uptime | sed 's/.*load/load/')"
run gss "$B/bench_gss"
run sspi "$B/bench_sspi"
run scale "$B/bench_scale"
run apache "$S/apache.sh"
run winbind "$S/winbind.sh"
exit $status
