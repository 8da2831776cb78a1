#!/bin/sh
# Domain logons against the Samba AD DC the tests provision (tests/lib/samba_dc.sh), our module
# against gss-ntlmssp's winbind path in one run (bench_winbind), with 1 and 8 concurrent
# clients. Root only, serialised with the DC tests on /tmp/sspigss-dc.lock; otherwise one SKIP
# line. Run by make bench (which sets SSPIGSS_MODULE and friends).
#
#   BENCH_WINBIND_LOGONS (default 1000 per figure), BENCH_WINBIND_REPS (3)
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"
. "${SSPIGSS_SRCDIR:-.}/tests/lib/samba_dc.sh"

LOGONS=${BENCH_WINBIND_LOGONS:-1000}
REPS=${BENCH_WINBIND_REPS:-3}
PROG="$SSPIGSS_BUILDDIR/bench/bench_winbind"

if [ "${SSPIGSS_WBCLIENT:-yes}" = no ]; then
    echo "SKIP: winbind bench: this build has no libwbclient"
    exit 0
fi
if ! dc_available; then
    echo "SKIP: winbind bench: $DC_SKIP_REASON"
    exit 0
fi
exec 9> /tmp/sspigss-dc.lock
flock 9
if ! dc_start; then
    echo "SKIP: winbind bench: the test DC did not start"
    exit 0
fi
# gss-ntlmssp takes its NetBIOS names from winbindd, here the DC's own (host DC1, domain
# $DC_DOMAIN, tests/lib/samba_dc.sh): ours gets the same ones.
printf 'netbios_name = DC1\nnetbios_domain = %s\ndns_name = testhost.example\nwinbind = only\naudit = none\n' \
    "$DC_DOMAIN" > "$W/winbind.conf"
echo "# winbind bench: DC $DC_DOMAIN (NetBIOS DC1), $REPS x $LOGONS logons per figure;" \
    "$(uptime | sed 's/.*load/load/')"
BENCH_WINBIND_CONF="$W/winbind.conf" dc_client "$PROG" --reps "$REPS" --logons "$LOGONS" \
    "$DC_DOMAIN\\$DC_USER" "$DC_PASSWORD"
rc=$?
echo "# $(uptime | sed 's/.*load/load/') after"
exit $rc
