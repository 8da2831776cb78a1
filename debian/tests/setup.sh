# Shared by the tests: a user file written by the installed sspigss-user at its default path,
# and the installed module configuration pointed at it; both restored on exit. The system
# mech.d is used as it is: GSS_MECH_CONFIG is unset.
set -eu
unset GSS_MECH_CONFIG SSPIGSS_NTLM_CONFIG NTLM_USER_FILE
T=$(mktemp -d)
cp -p /etc/sspigss/ntlm.conf "$T/ntlm.conf.saved"
[ ! -e /etc/sspigss/users ] || cp -p /etc/sspigss/users "$T/users.saved"
restore() {
    cp -p "$T/ntlm.conf.saved" /etc/sspigss/ntlm.conf
    rm -f /etc/sspigss/users
    [ ! -e "$T/users.saved" ] || cp -p "$T/users.saved" /etc/sspigss/users
    rm -rf "$T"
}
trap restore EXIT
PASSWORD='Pkg-Test-0nly!'
printf '%s\n' "$PASSWORD" | sspigss-user add 'PKGTEST\alice'
printf 'user_file = /etc/sspigss/users\nnetbios_domain = PKGTEST\n' >> /etc/sspigss/ntlm.conf
# The acceptor checks the client's target name against its own names (service_binding).
HOST=$(hostname | tr 'A-Z' 'a-z')
