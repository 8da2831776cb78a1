#!/bin/bash
# Runs a command (default: scripts/test.sh) on Debian 13 (trixie) in a chroot, from a fresh
# clone of this checkout's HEAD. The root is built with debootstrap (minbase, then
# scripts/install-deps.sh --test) and cached under /var/cache/sspigss; each run works on a
# throw-away overlay of the cache, so runs never see each other's files. Needs root.
#
#   scripts/trixie-chroot.sh                 scripts/test.sh inside a trixie chroot
#   scripts/trixie-chroot.sh --rebuild       the same, rebuilding the cached root first
#   scripts/trixie-chroot.sh -- CMD ARGS     CMD (run by bash in the clone) instead
#
# Environment: SSPIGSS_CHROOT_CACHE (default /var/cache/sspigss), SSPIGSS_CHROOT_MAX_AGE (days
# before the cached root is rebuilt to pick up updates; default 7), DEBIAN_MIRROR (default
# http://deb.debian.org/debian), SSPIGSS_CHROOT_SUITE (default trixie).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

suite=${SSPIGSS_CHROOT_SUITE:-trixie}
cache=${SSPIGSS_CHROOT_CACHE:-/var/cache/sspigss}
max_age=${SSPIGSS_CHROOT_MAX_AGE:-7}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
image=$cache/$suite
stamp=$cache/$suite.stamp
# Bump when the way the root is built changes: a cached root built the old way is rebuilt.
recipe=1

rebuild=no
if [ "${1:-}" = --rebuild ]; then
    rebuild=yes
    shift
fi
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || set -- scripts/test.sh

say() { printf '%s-chroot: %s\n' "$suite" "$*" >&2; }
if [ "$(id -u)" -ne 0 ]; then
    say "needs root (debootstrap, chroot, mounts): sudo $0"
    exit 1
fi

# Everything below mounts in a private mount namespace: whatever way this script ends (even
# SIGKILL), the kernel drops the namespace's mounts with it. The trap unmounts them as well,
# so nothing is left while a long run is still going either.
if [ -z "${SSPIGSS_CHROOT_NS:-}" ]; then
    SSPIGSS_CHROOT_NS=1 exec unshare --mount --propagation private "$0" \
        "$([ $rebuild = yes ] && echo --rebuild || echo --)" "$@"
fi

mounts=()
unmount_all() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount -R "${mounts[i]}" 2> /dev/null || umount -lR "${mounts[i]}" 2> /dev/null || true
    done
    mounts=()
}
work=""
cleanup() {
    unmount_all
    # --one-file-system: should an unmount have failed, never follow it into /dev or /proc.
    [ -z "$work" ] || rm -rf --one-file-system "$work"
    [ ! -d "$image.new" ] || rm -rf --one-file-system "$image.new"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# mount_api ROOT: what the test suite needs from the kernel inside ROOT. /run is a fresh tmpfs
# (ip netns keeps its namespaces under /run/netns), /sys is needed by ip netns exec, /dev/pts
# and /dev/shm by ptys and POSIX shared memory.
mount_api() {
    local r=$1
    mnt -t proc proc "$r/proc"
    mnt -t sysfs sysfs "$r/sys"
    mnt --bind /dev "$r/dev"
    mnt -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$r/dev/pts"
    mnt -t tmpfs -o mode=1777 shm "$r/dev/shm"
    mnt -t tmpfs -o mode=0755 run "$r/run"
    cp /etc/resolv.conf "$r/etc/resolv.conf" 2> /dev/null || true
}

# mnt MOUNT-ARGS... TARGET: mount, and remember TARGET for unmount_all.
mnt() {
    mount "$@"
    mounts+=("${!#}")
}

# in_root ROOT CMD...: CMD inside ROOT with a clean environment.
in_root() {
    local r=$1 v env=()
    shift
    # What CI and a caller may set passes through; nothing else of this host's environment.
    for v in CI TERM SSPIGSS_SKIP_DC_TESTS FUZZ_SECONDS; do
        [ -z "${!v:-}" ] || env+=("$v=${!v}")
    done
    chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${env[@]}" "$@"
}

image_is_fresh() {
    [ $rebuild = no ] && [ -x "$image/usr/bin/apt-get" ] && [ -f "$stamp" ] || return 1
    local built at
    built=$(sed -n 's/^recipe=//p' "$stamp")
    at=$(sed -n 's/^built=//p' "$stamp")
    [ "$built" = "$recipe" ] && [ -n "$at" ] && [ $(($(date +%s) - at)) -lt $((max_age * 86400)) ]
}

# The cached root: minbase plus git, apt sources with updates and security, and every package
# scripts/install-deps.sh --test names. Built beside the old one and swapped in when complete.
build_image() {
    local new=$image.new
    rm -rf --one-file-system "$new"
    say "building the $suite root with debootstrap from $mirror (cache: $image)"
    local t0=$SECONDS
    if ! command -v debootstrap > /dev/null; then
        say "installing debootstrap"
        apt-get install -y -qq debootstrap > /dev/null
    fi
    debootstrap --variant=minbase --include=git,ca-certificates "$suite" "$new" "$mirror" \
        > "$cache/debootstrap.log" 2>&1 || {
        tail -n 30 "$cache/debootstrap.log"
        say "debootstrap failed (log: $cache/debootstrap.log)"
        return 1
    }
    cat > "$new/etc/apt/sources.list" << EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
    # Daemons installed by the packages must not start inside the chroot.
    printf '#!/bin/sh\nexit 101\n' > "$new/usr/sbin/policy-rc.d"
    chmod 755 "$new/usr/sbin/policy-rc.d"
    say "debootstrap: $((SECONDS - t0)) s"
    t0=$SECONDS
    install_deps "$new"
    in_root "$new" apt-get clean
    say "dependencies: $((SECONDS - t0)) s"
    rm -rf --one-file-system "$image"
    mv "$new" "$image"
    printf 'recipe=%s\nbuilt=%s\nsuite=%s\nmirror=%s\n' "$recipe" "$(date +%s)" "$suite" \
        "$mirror" > "$stamp"
}

# install_deps ROOT: scripts/install-deps.sh --test of this checkout, run inside ROOT. On a
# cached root this installs only what install-deps.sh gained since the cache was built.
install_deps() {
    local r=$1
    mount_api "$r"
    cp scripts/install-deps.sh "$r/tmp/sspigss-install-deps.sh"
    in_root "$r" sh /tmp/sspigss-install-deps.sh --test
    rm -f "$r/tmp/sspigss-install-deps.sh"
    unmount_all
}

# Building or updating the cached root takes the lock alone; runs then share it, so that no
# run's overlay ever sees its lower layer change.
mkdir -p "$cache"
exec 9> "$cache/$suite.lock"
flock 9
if image_is_fresh; then
    say "using the cached root $image (built $(date -u -d "@$(sed -n 's/^built=//p' "$stamp")" \
        '+%F %TZ'))"
    t0=$SECONDS
    install_deps "$image"
    say "dependencies checked: $((SECONDS - t0)) s"
else
    build_image
fi
flock -s 9

# This run's root: an overlay over the cached one (a copy where overlayfs is unavailable),
# deleted at exit.
work=$(mktemp -d /var/tmp/sspigss-$suite.XXXXXX)
root=$work/root
mkdir -p "$root" "$work/upper" "$work/ovl"
if mnt -t overlay overlay -o "lowerdir=$image,upperdir=$work/upper,workdir=$work/ovl" \
    "$root" 2> /dev/null; then
    :
else
    say "overlayfs unavailable: copying the cached root"
    cp -a "$image/." "$root/"
fi
mount_api "$root"

# The tree under test: a clone of this checkout's HEAD, as CI gets it.
if [ -n "$(git status --porcelain --untracked-files=no 2> /dev/null)" ]; then
    say "note: uncommitted changes in $top are not part of the run (it clones HEAD)"
fi
head=$(git rev-parse HEAD)
git clone -q --no-hardlinks "$top" "$root/build/sspigss"
git -C "$root/build/sspigss" checkout -q --detach "$head"
say "running '$*' in /build/sspigss ($(git log -1 --format='%h %s' "$head"))"

status=0
in_root "$root" /bin/bash -c 'cd /build/sspigss && exec "$@"' bash "$@" || status=$?
# The logs a failure needs, kept after the root is gone.
if [ -n "${SSPIGSS_CHROOT_KEEP_LOGS:-}" ]; then
    mkdir -p "$SSPIGSS_CHROOT_KEEP_LOGS"
    cp "$root"/build/sspigss/*.log "$root"/build/sspigss/tests/*.log "$root"/build/sspigss/tests/*/*.log "$root"/build/sspigss/tests/*/*/*.log \
        "$SSPIGSS_CHROOT_KEEP_LOGS/" 2> /dev/null || true
fi
exit $status
