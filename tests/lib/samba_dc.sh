# A throwaway Samba Active Directory domain controller for the shell tests: realm SSPIGSS.TEST,
# NetBIOS domain SSPIGSS, host DC1, provisioned in $W/dc and run in a network namespace of its
# own (sspigss-dc-PID, address 10.53.57.1 on a veth pair that stays inside), so that nothing
# binds on the host's interfaces and nothing under /etc/samba, /var/lib/samba or /run/samba is
# read or written. Root only. Source it after tests/lib/lib.sh (it uses $W, $PIDS and
# $CLEANUP_HOOKS), then:
#
#   dc_available || { echo "SKIP: $DC_SKIP_REASON"; exit 77; }
#   dc_start || { fail "Samba DC"; finish; exit; }   # about 4 s
#   dc_client wbinfo -a "$DC_DOMAIN\\$DC_USER%$DC_PASSWORD"
#   kill -STOP "$(dc_winbindd_pid)"                  # a DC that accepts but never answers
#   dc_stop                                          # lib.sh's cleanup does it too
#
# Clients reach the DC's winbindd only when run through dc_client. libwbclient ignores
# WINBINDD_SOCKET_DIR: Samba 4.17 connects to the compile-time directory /run/samba/winbindd
# (samba -b), and honours SELFTEST_WINBINDD_SOCKET_DIR only under an LD_PRELOADed nss_wrapper.
# dc_client runs its command in a private mount namespace in which $DC_DIR/run is mounted over
# /run/samba, so any program (valgrind, python, sanitizer builds) finds the DC's socket and the
# host's /run/samba stays as it was. Once the DC is stopped, dc_client's programs find no
# winbindd (WBC_ERR_WINBIND_NOT_AVAILABLE), never the host's. The privileged pipe, which
# wbcAuthenticateUserEx needs for challenge/response logons, is
# $DC_DIR/state/winbindd_privileged (0750 root, behind $W's 0700): for anyone else the call
# fails with WBC_ERR_WINBIND_NOT_AVAILABLE, unless the test opens the way (chmod 711 "$W";
# chmod o+x "$DC_DIR" "$DC_DIR/state"; chgrp winbindd_priv on the pipe's directory). The
# unprivileged socket is open to all users, as on a real host. ntlm_auth reads
# /etc/samba/smb.conf unless given --configfile="$DC_CONF" (it has no -s). The DC accepts
# NTLMv2 only (Samba's default "ntlm auth = ntlmv2-only"). libwbclient gives up on a winbindd
# that accepts but does not answer only after 300 s.
#
# Variables, set when this file is sourced: DC_DOMAIN, DC_REALM, DC_CONF (the DC's smb.conf),
# DC_USER and DC_PASSWORD (dcuser, a member of the domain group DC_GROUP, webusers),
# DC_DISABLED_USER (account disabled), DC_EXPIRED_USER (account expired), DC_MUSTCHANGE_USER
# (must change its password at the next logon); every account has the password DC_PASSWORD.
# Set DC_KDC=yes before dc_start to run the DC's KDC too (port 88 on DC_ADDR, reachable from
# commands run with dc_in_netns; dc_krb5_conf writes a krb5.conf for it).
# dc_start exports WINBINDD_SOCKET_DIR (the DC's socket directory: for looking at, see above)
# and sets DC_PID (samba's root process, also in $PIDS) and DC_NETNS. dc_winbindd_pid prints
# the pid of the DC's winbindd. dc_stop stops samba and waits for it and winbindd to be gone.
# lib.sh's cleanup runs dc_cleanup first: dc_stop, then the namespace is deleted.

DC_DOMAIN=SSPIGSS
DC_REALM=SSPIGSS.TEST
DC_DIR="$W/dc"
DC_CONF="$DC_DIR/etc/smb.conf"
DC_ADDR=10.53.57.1
DC_USER=dcuser
DC_PASSWORD='Dom-Passw0rd1'
DC_GROUP=webusers
DC_DISABLED_USER=dcdisabled
DC_EXPIRED_USER=dcexpired
DC_MUSTCHANGE_USER=dcmustchange
DC_NETNS=
DC_PID=
DC_SKIP_REASON=
DC_PROPAGATION=
DC_KDC=${DC_KDC:-no}
export DC_DOMAIN DC_REALM DC_CONF DC_USER DC_PASSWORD DC_GROUP DC_DISABLED_USER \
    DC_EXPIRED_USER DC_MUSTCHANGE_USER

# The directory libwbclient connects to, compiled into Samba (samba -b prints it).
dc_builtin_socket_dir() {
    samba -b 2>/dev/null | sed -n 's/^ *WINBINDD_SOCKET_DIR: *//p'
}

# Non-zero, with DC_SKIP_REASON set, when this host cannot run the DC.
# shellcheck disable=SC2034 # DC_SKIP_REASON is for the sourcing script
dc_available() {
    if [ "$(id -u)" -ne 0 ]; then
        DC_SKIP_REASON="the Samba DC needs root (network and mount namespaces)"
        return 1
    fi
    PATH="$PATH:/usr/sbin:/sbin"
    for dc_t in samba samba-tool winbindd wbinfo ip unshare nsenter mount timeout; do
        if ! command -v "$dc_t" > /dev/null 2>&1; then
            DC_SKIP_REASON="$dc_t is not installed (apt-get install samba-ad-dc winbind iproute2)"
            return 1
        fi
    done
    if [ ! -d /usr/share/samba/setup/ad-schema ]; then
        DC_SKIP_REASON="no AD schema files (apt-get install samba-ad-provision)"
        return 1
    fi
    dc_sock=$(dc_builtin_socket_dir)
    # The directory the mount covers; Samba's daemons make it at their first start, so a
    # machine that has never run one may lack it: make it as they would (empty, 0755).
    if [ -n "$dc_sock" ] && [ ! -d "$(dirname "$dc_sock")" ]; then
        mkdir -p -m 755 "$(dirname "$dc_sock")" 2> /dev/null
    fi
    if [ -z "$dc_sock" ] || [ ! -d "$(dirname "$dc_sock")" ]; then
        DC_SKIP_REASON="no parent to mount over libwbclient's socket directory ${dc_sock:-?}"
        return 1
    fi
    if unshare --mount --propagation private true 2> /dev/null; then
        DC_PROPAGATION=private
    elif unshare --mount --propagation unchanged true 2> /dev/null &&
        dc_private_mountpoint "$(dirname "$dc_sock")"; then
        # In a chroot whose / is not a mount point, unshare cannot make / private ("cannot
        # change root filesystem propagation"). What dc_client mounts on is made a private
        # mount point of its own instead, so its mount propagates nowhere either.
        DC_PROPAGATION=unchanged
    else
        DC_SKIP_REASON="cannot create a mount namespace (unshare --mount)"
        return 1
    fi
    dc_probe="sspigss-dc-probe-$$"
    if ! ip netns add "$dc_probe" 2> /dev/null; then
        DC_SKIP_REASON="cannot create a network namespace (ip netns add)"
        return 1
    fi
    ip netns delete "$dc_probe" 2> /dev/null
    return 0
}

# dc_private_mountpoint DIR: DIR bound onto itself and made private (what ip netns does for
# /run/netns when it is no mount point), so that a mount on DIR in a child mount namespace does
# not propagate to the peers of the mount DIR lies in, which in a chroot may be invisible (and
# so cannot be made private) yet shared with the host. lib.sh's cleanup unmounts it.
DC_SELF_BIND=
dc_private_mountpoint() {
    mount --bind "$1" "$1" 2> /dev/null || return 1
    DC_SELF_BIND=$1
    dc_add_cleanup_hook
    mount --make-private "$1" 2> /dev/null
}

dc_add_cleanup_hook() {
    case " $CLEANUP_HOOKS " in
    *" dc_cleanup "*) ;;
    *) CLEANUP_HOOKS="$CLEANUP_HOOKS dc_cleanup" ;;
    esac
}

# dc_client COMMAND [ARG...]: runs COMMAND where libwbclient finds the DC's winbindd (see the
# header). It replaces the shell, so "dc_client prog &" leaves prog's pid in $!.
dc_client() {
    # shellcheck disable=SC2016 # expanded by the inner sh
    unshare --mount --propagation "${DC_PROPAGATION:-private}" sh -c \
        'mount --bind "$1" "$2" || exit 125; shift 2; exec "$@"' \
        sh "$DC_DIR/run" "$(dirname "$(dc_builtin_socket_dir)")" "$@"
}

# The network namespace: lo, and a veth pair whose both ends stay inside, one of them holding
# the DC's address. Nothing in it is routed to the host.
dc_netns_create() {
    DC_NETNS="sspigss-dc-$$"
    ip netns add "$DC_NETNS" &&
        dc_in_netns ip link set lo up &&
        dc_in_netns ip link add sspigss0 type veth peer name sspigss1 &&
        dc_in_netns ip address add "$DC_ADDR/24" dev sspigss0 &&
        dc_in_netns ip link set sspigss0 up &&
        dc_in_netns ip link set sspigss1 up
}

# dc_in_netns COMMAND [ARG...]: COMMAND in the DC's network namespace. nsenter, not "ip netns
# exec" or "ip -n": those also make / a slave mount, which fails in a chroot whose / is no
# mount point, and nothing here needs the namespace's own /sys that they mount.
dc_in_netns() {
    nsenter --net="/run/netns/$DC_NETNS" "$@"
}

# The domain, with every path Samba would otherwise take from its build (testparm -sv lists
# them) inside $DC_DIR. "ntlm auth = yes" lets NTLMv1 responses through (Samba's default is
# NTLMv2 only), so that the module's NTLMv1 domain path can be checked too. The empty -s file keeps /etc/samba/smb.conf out of the new smb.conf.
dc_provision() {
    : > "$DC_DIR/empty.conf"
    samba-tool domain provision -s "$DC_DIR/empty.conf" \
        --targetdir="$DC_DIR" --realm="$DC_REALM" --domain="$DC_DOMAIN" --host-name=DC1 \
        --server-role=dc --dns-backend=NONE --base-schema=2008_R2 --adminpass="$DC_PASSWORD" \
        --option="pid directory = $DC_DIR/run" \
        --option="ncalrpc dir = $DC_DIR/run/ncalrpc" \
        --option="winbindd socket directory = $DC_DIR/run/$(basename "$(dc_builtin_socket_dir)")" \
        --option="ntp signd socket directory = $DC_DIR/run/ntp_signd" \
        --option="smb passwd file = $DC_DIR/private/smbpasswd" \
        --option="usershare path = $DC_DIR/usershares" \
        --option="log file = $DC_DIR/log/samba.log" \
        --option="max log size = 0" \
        --option="interfaces = $DC_ADDR/24" \
        --option="bind interfaces only = yes" \
        --option="server services = rpc, winbindd$([ "$DC_KDC" = yes ] && echo ', kdc')" \
        --option="dcerpc endpoint servers = epmapper, samr, netlogon, lsarpc" \
        --option="ntlm auth = yes" \
        > "$DC_DIR/provision.log" 2>&1
}

# The users and the group, written to sam.ldb before samba starts: one python process with
# Samba's own bindings does what eight samba-tool commands would (user create, group add,
# group addmembers, user disable, user setexpiry --days=0, user create
# --must-change-at-next-login) in a fraction of their time.
dc_add_users() {
    /usr/bin/python3 - "$DC_CONF" "$DC_PASSWORD" "$DC_USER" "$DC_GROUP" \
        "$DC_DISABLED_USER" "$DC_EXPIRED_USER" "$DC_MUSTCHANGE_USER" \
        > "$DC_DIR/users.log" 2>&1 <<'EOF'
import sys
from samba.param import LoadParm
from samba.auth import system_session
from samba.samdb import SamDB

conf, password, user, group, disabled, expired, mustchange = sys.argv[1:]
lp = LoadParm()
lp.load(conf)
sam = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
sam.transaction_start()
try:
    for name in (user, disabled, expired):
        sam.newuser(name, password)
    sam.newuser(mustchange, password, force_password_change_at_next_login_req=True)
    sam.newgroup(group)
    sam.add_remove_group_members(group, [user])
    sam.disable_account("(sAMAccountName=%s)" % disabled)
    sam.setexpiry("(sAMAccountName=%s)" % expired, 0)
except Exception:
    sam.transaction_cancel()
    raise
sam.transaction_commit()
EOF
}

# dc_krb5_conf FILE: a krb5.conf for the DC's realm, its KDC at DC_ADDR (DC_KDC=yes), and the
# host name localhost in the realm (HTTP/localhost is then a principal of SSPIGSS.TEST).
dc_krb5_conf() {
    cat > "$1" <<EOF
[libdefaults]
    default_realm = $DC_REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
[realms]
    $DC_REALM = {
        kdc = $DC_ADDR
    }
[domain_realm]
    localhost = $DC_REALM
EOF
}

# True while one of the pids runs (a zombie counts as gone: orphans of samba's are reparented
# to an init that may not reap them).
dc_alive() {
    for dc_p in "$@"; do
        dc_state=$(cut -d ' ' -f 3 "/proc/$dc_p/stat" 2> /dev/null)
        if [ -n "$dc_state" ] && [ "$dc_state" != Z ]; then
            return 0
        fi
    done
    return 1
}

dc_running() {
    [ -n "$DC_PID" ] && dc_alive "$DC_PID"
}

# Waits (about 120 s at most) until winbindd answers and authenticates dcuser; fails at once if
# samba exits. It usually takes half a second.
dc_wait() {
    dc_deadline=$(($(date +%s) + 120))
    while [ "$(date +%s)" -lt "$dc_deadline" ]; do
        dc_running || return 1
        if dc_client timeout 10 wbinfo -p > "$DC_DIR/probe.log" 2>&1 &&
            dc_client timeout 10 wbinfo -a "$DC_DOMAIN\\$DC_USER%$DC_PASSWORD" \
                >> "$DC_DIR/probe.log" 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

dc_start() {
    dc_teardown
    dc_add_cleanup_hook
    rm -rf "$DC_DIR"
    mkdir -p "$DC_DIR/run" "$DC_DIR/log" "$DC_DIR/usershares" || return 1
    # What dc_client mounts over /run/samba gets its mode: anyone may use the unprivileged
    # socket (the privileged one stays root's: $W is 0700).
    chmod 755 "$DC_DIR/run" || return 1
    WINBINDD_SOCKET_DIR="$DC_DIR/run/$(basename "$(dc_builtin_socket_dir)")"
    export WINBINDD_SOCKET_DIR
    if ! dc_provision; then
        echo "samba_dc.sh: provisioning the domain failed:"
        tail -n 20 "$DC_DIR/provision.log" | sed 's/^/    /'
        return 1
    fi
    if ! dc_add_users; then
        echo "samba_dc.sh: creating the users failed:"
        tail -n 20 "$DC_DIR/users.log" | sed 's/^/    /'
        return 1
    fi
    if ! dc_netns_create; then
        echo "samba_dc.sh: creating the network namespace $DC_NETNS failed"
        return 1
    fi
    # -F, not -i: interactive samba exits at EOF on stdin, which is /dev/null here.
    # nsenter itself, not dc_in_netns: $! must be samba's pid (nsenter execs it).
    nsenter --net="/run/netns/$DC_NETNS" samba -F -s "$DC_CONF" \
        < /dev/null > "$DC_DIR/log/stdout" 2>&1 &
    DC_PID=$!
    PIDS="$PIDS $DC_PID"
    if ! dc_wait; then
        if dc_running; then
            echo "samba_dc.sh: no logon of $DC_DOMAIN\\$DC_USER within 120 s:"
        else
            echo "samba_dc.sh: samba exited:"
        fi
        sed 's/^/    /' "$DC_DIR/probe.log" 2> /dev/null | tail -n 5
        tail -n 30 "$DC_DIR/log/stdout" "$DC_DIR/log/samba.log" 2> /dev/null | sed 's/^/    /'
        return 1
    fi
    return 0
}

# The pid of the DC's winbindd (its main process, the one clients talk to).
dc_winbindd_pid() {
    dc_wpid=$(cat "$DC_DIR/run/winbindd.pid" 2> /dev/null)
    [ -n "$dc_wpid" ] && kill -0 "$dc_wpid" 2> /dev/null && echo "$dc_wpid"
}

# Every process under pid $1 (samba forks a tree: its services, smbd, winbindd and theirs).
dc_descendants() {
    ps -e -o pid= -o ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END {
            for (p in parent) {
                for (q = parent[p]; q > 1; q = parent[q]) {
                    if (q == root) { print p; break }
                    if (!(q in parent)) break
                }
            }
        }'
}

# Stops samba and everything it started, by pid, and waits (at most about 10 s) until they are
# gone and the winbind socket no longer answers; SIGKILL after 8 s.
dc_stop() {
    [ -n "$DC_PID" ] || return 0
    dc_all="$DC_PID $(dc_descendants "$DC_PID")"
    # A test may have stopped winbindd: a stopped process would not act on SIGTERM.
    for dc_p in $dc_all; do
        kill -CONT "$dc_p" 2> /dev/null
    done
    kill -TERM "$DC_PID" 2> /dev/null
    dc_i=0
    # shellcheck disable=SC2086 # dc_all is a list of pids
    while dc_alive $dc_all; do
        if [ $dc_i -eq 80 ]; then
            echo "samba_dc.sh: samba ignored SIGTERM for 8 s, killing it"
            for dc_p in $dc_all; do
                kill -KILL "$dc_p" 2> /dev/null
            done
        fi
        [ $dc_i -lt 100 ] || break
        sleep 0.1
        dc_i=$((dc_i + 1))
    done
    wait "$DC_PID" 2> /dev/null
    PIDS=$(echo " $PIDS " | sed "s/ $DC_PID / /")
    DC_PID=
    dc_i=0
    while dc_client timeout 2 wbinfo -p > /dev/null 2>&1; do
        [ $dc_i -lt 20 ] || return 1
        sleep 0.1
        dc_i=$((dc_i + 1))
    done
    # shellcheck disable=SC2086
    ! dc_alive $dc_all
}

# lib.sh's cleanup hook: the DC is stopped, its namespace deleted and dc_private_mountpoint's
# mount undone, on failure too.
dc_cleanup() {
    dc_teardown
    [ -z "$DC_SELF_BIND" ] || umount "$DC_SELF_BIND" 2> /dev/null
    DC_SELF_BIND=
}

dc_teardown() {
    dc_stop > /dev/null 2>&1
    if [ -n "$DC_NETNS" ]; then
        ip netns delete "$DC_NETNS" 2> /dev/null
        DC_NETNS=
    fi
}
