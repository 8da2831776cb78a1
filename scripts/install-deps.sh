#!/bin/sh
# Installs, with apt-get, the Debian 12 or 13 packages sspigss needs to build (and, with --test,
# to run its whole test suite and build its Debian packages; with --package, only what
# scripts/package-test.sh needs beside apt-get build-dep). Packages already present are left
# alone. Needs root.
set -eu

build="build-essential autoconf automake libtool pkg-config libkrb5-dev libssl-dev zlib1g-dev
libunistring-dev libcunit1-dev libwbclient-dev"
test="gss-ntlmssp valgrind krb5-kdc krb5-admin-server krb5-user curl apache2
libapache2-mod-auth-gssapi winbind python3-requests-ntlm python3-ntlm-auth python3-gssapi python3-impacket clang
man-db samba samba-ad-dc samba-ad-provision samba-dsdb-modules iproute2 util-linux
default-jdk-headless libhttpclient-java golang-go golang-github-azure-go-ntlmssp-dev
heimdal-multidev gnuplot-nox"
# The Debian packaging (scripts/package-test.sh; --package installs these alone).
package="debhelper lintian autopkgtest dpkg-dev python3-gssapi gss-ntlmssp"
# Plus libFuzzer's runtime, libclang-rt-N-dev for the clang-N that the release's "clang" is
# (14 on Debian 12, 19 on Debian 13): the name is read from clang's dependencies, not guessed.

installed() {
    dpkg-query -W -f '${Status}' "$1" 2> /dev/null | grep -q 'install ok installed'
}

# clang_rt SOURCE: libclang-rt-N-dev for the clang-N that "clang" depends on, from the installed
# package (dpkg) or from the archive (apt); empty when neither knows.
clang_rt() {
    if [ "$1" = dpkg ]; then
        deps=$(dpkg-query -W -f '${Depends}' clang 2> /dev/null || true)
    else
        deps=$(apt-cache depends clang 2> /dev/null | sed -n 's/^ *Depends: //p' | tr '\n' ,)
    fi
    n=$(printf '%s\n' "$deps" | tr , '\n' | sed -n 's/^ *clang-\([0-9][0-9]*\)\( .*\)*$/\1/p' |
        head -n 1)
    [ -z "$n" ] || echo "libclang-rt-$n-dev"
}

wanted=$build
[ "${1:-}" = --test ] && wanted="$build $test $package"
[ "${1:-}" = --package ] && wanted="$package"

missing=""
for pkg in $wanted; do
    installed "$pkg" || missing="$missing $pkg"
done
rt=""
if [ "${1:-}" = --test ]; then
    rt=$(clang_rt dpkg)
    if [ -n "$rt" ] && installed "$rt"; then
        rt=""
    elif [ -z "$rt" ]; then
        rt=unknown
    fi
fi
[ -z "$missing" ] && [ -z "$rt" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: these packages are missing:$missing ${rt:+(and clang's libclang-rt-N-dev)}" >&2
    echo "install-deps: run this as root (sudo $0 ${1:-})" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ "$rt" = unknown ]; then
    rt=$(clang_rt apt)
    if [ -z "$rt" ]; then
        echo "install-deps: cannot tell which clang-N the clang package is" >&2
        exit 1
    fi
    installed "$rt" && rt=""
fi
echo "install-deps: installing$missing $rt"
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing $rt > /dev/null
