#!/bin/sh
# Installs, with apt-get, the Debian 12 packages sspigss needs to build (and, with --test, to
# run its whole test suite). Packages already present are left alone. Needs root.
set -eu

build="build-essential autoconf automake libtool pkg-config libkrb5-dev libssl-dev zlib1g-dev
libunistring-dev libcunit1-dev libwbclient-dev"
test="gss-ntlmssp valgrind krb5-kdc krb5-admin-server krb5-user curl apache2
libapache2-mod-auth-gssapi winbind python3-requests-ntlm python3-gssapi python3-impacket clang
libclang-rt-14-dev man-db samba samba-ad-dc samba-ad-provision samba-dsdb-modules iproute2
util-linux default-jdk-headless libhttpclient-java golang-go golang-github-azure-go-ntlmssp-dev
heimdal-multidev"

wanted=$build
[ "${1:-}" = --test ] && wanted="$build $test"

missing=""
for pkg in $wanted; do
    dpkg-query -W -f '${Status}' "$pkg" 2> /dev/null | grep -q 'install ok installed' ||
        missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: these packages are missing:$missing" >&2
    echo "install-deps: run this as root (sudo $0 ${1:-})" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing > /dev/null
