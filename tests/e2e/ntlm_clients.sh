# Independent NTLM clients written in other languages, for tests/e2e/e2e_apache.sh: Apache
# HttpClient 4.5 (Java, its own NTLMEngineImpl), go-ntlmssp (Go) and Heimdal's GSS-API NTLM
# initiator (C). Each is built into $W from the sources beside this file with Debian's packages
# only (no network fetch). Source after tests/lib/lib.sh; then, with e2e_apache.sh's skip():
#
#   if java_client_build; then ...cases...       # likewise go_client_build, heimdal_client_build
#   else client_unavailable $? "$JAVA_SKIP"; fi
#
# The clients request $URL (set by e2e_apache.sh's run_case) and print "status=NNN" last.

# shellcheck disable=SC2034 # the *_SKIP reasons are read by the script that sources this one
NTLM_CLIENTS_SRC=${SSPIGSS_SRCDIR:-.}/tests/e2e
JAVA_CP=
JAVA_SKIP=
GO_SKIP=
HEIMDAL_SKIP=

# A build function's status 1: a package is missing, SKIP with REASON; 2: the build failed, which
# is a failure (its output was shown). STATUS REASON
client_unavailable() {
    if [ "$1" = 2 ]; then
        fail "$2"
        printf 'FAIL|%s|||\n' "$2" >> "$W/report"
    else
        skip "$2"
    fi
}

# Java: javac (default-jdk-headless) against HttpClient 4.5 and its dependencies
# (libhttpclient-java), all from /usr/share/java.
java_client_build() {
    JAVA_CP=
    for jar in httpclient httpcore commons-logging commons-codec; do
        if [ ! -r "/usr/share/java/$jar.jar" ]; then
            JAVA_SKIP="Java HttpClient: /usr/share/java/$jar.jar is missing (apt-get install libhttpclient-java)"
            return 1
        fi
        JAVA_CP="$JAVA_CP/usr/share/java/$jar.jar:"
    done
    if ! command -v javac > /dev/null 2>&1 || ! command -v java > /dev/null 2>&1; then
        JAVA_SKIP="Java HttpClient: no javac/java (apt-get install default-jdk-headless)"
        return 1
    fi
    mkdir -p "$W/java" || return 2
    if ! javac -d "$W/java" -cp "$JAVA_CP" "$NTLM_CLIENTS_SRC/java_client/NtlmClient.java" \
        > "$W/java-build.log" 2>&1; then
        sed 's/^/    javac: /' "$W/java-build.log"
        JAVA_SKIP="Java HttpClient: the client did not compile"
        return 2
    fi
    JAVA_CP="$JAVA_CP$W/java"
}

# Apache HttpClient 4.5 with NTCredentials. USER PASSWORD WORKSTATION DOMAIN
java_ntlm() {
    timeout 60 java -cp "$JAVA_CP" NtlmClient "$URL" "$1" "$2" "$3" "$4"
}

# Go: GOPATH mode over Debian's /usr/share/gocode (golang-github-azure-go-ntlmssp-dev and its
# golang.org/x/crypto), no modules, no proxy, a build cache of our own.
GO_ENV="GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off GOTOOLCHAIN=local GOENV=off"

go_client_build() {
    if ! command -v go > /dev/null 2>&1; then
        GO_SKIP="go-ntlmssp: no Go compiler (apt-get install golang-go)"
        return 1
    fi
    if [ ! -d /usr/share/gocode/src/github.com/Azure/go-ntlmssp ]; then
        GO_SKIP="go-ntlmssp: not installed (apt-get install golang-github-azure-go-ntlmssp-dev)"
        return 1
    fi
    # shellcheck disable=SC2086 # GO_ENV is a word list
    if ! env $GO_ENV GOCACHE="$W/go-cache" go build -o "$W/go_client" \
        "$NTLM_CLIENTS_SRC/go_client/main.go" > "$W/go-build.log" 2>&1; then
        sed 's/^/    go build: /' "$W/go-build.log"
        GO_SKIP="go-ntlmssp: the client did not build"
        return 2
    fi
}

# go-ntlmssp's Negotiator over net/http. DOMAIN\USER PASSWORD
go_ntlm() {
    timeout 60 "$W/go_client" "$URL" "$1" "$2"
}

# Heimdal: a C token source linked against Heimdal's libgssapi (heimdal-multidev, which installs
# beside MIT's development files), driven over HTTP by ntlm_auth_peer.py.
heimdal_client_build() {
    if ! pkg-config --exists heimdal-gssapi 2> /dev/null; then
        HEIMDAL_SKIP="Heimdal: no heimdal-gssapi pkg-config module (apt-get install heimdal-multidev)"
        return 1
    fi
    # shellcheck disable=SC2046 # pkg-config's flags are word lists
    if ! ${CC:-cc} -Wall -Wextra -o "$W/heimdal_ntlm_helper" \
        "$NTLM_CLIENTS_SRC/heimdal_client/heimdal_ntlm_helper.c" \
        $(pkg-config --cflags --libs heimdal-gssapi) -lroken > "$W/heimdal-build.log" 2>&1; then
        sed 's/^/    cc: /' "$W/heimdal-build.log"
        HEIMDAL_SKIP="Heimdal: the client did not build"
        return 2
    fi
}

# Heimdal's NTLM initiator: its credentials come from the file NTLM_USER_FILE names, the line
# whose domain is the target's. Heimdal takes the domain from the host part of a host-based
# name (the label after the first dot), so HTTP@www.testdom.test is domain TESTDOM. USER_FILE
heimdal_ntlm() {
    NTLM_USER_FILE=$1 NTLM_AUTH_PEER_HELPER="$W/heimdal_ntlm_helper HTTP@www.testdom.test" \
        timeout 60 "$PY" "$NTLM_CLIENTS_SRC/ntlm_auth_peer.py" "$URL" ntlmssp-client-1 \
        unused unused unused
}
