#!/bin/sh
# Builds the libFuzzer targets into OUTDIR from the sources (never from a regular build's
# objects): the protocol core, libsspi's buffer code and a copy of the module, all compiled with
# AddressSanitizer and UndefinedBehaviorSanitizer plus libFuzzer's coverage instrumentation.
#
#   fuzz/build.sh OUTDIR        CC_FUZZ (default clang), CFLAGS_FUZZ (default -g -O1)
#
# Needs clang and its sanitizer/fuzzer runtime: apt-get install clang libclang-rt-N-dev
# (N = 14 on Debian 12, 19 on Debian 13). Also the build's own dependencies (libkrb5-dev,
# libssl-dev, zlib1g-dev, libunistring-dev, pkg-config).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
srcdir=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
outdir=$(cd "$1" && pwd)
obj=$outdir/obj
cc=${CC_FUZZ:-clang}
cflags=${CFLAGS_FUZZ:--g -O1}

die() {
    echo "fuzz/build.sh: $*" >&2
    exit 1
}

command -v "$cc" > /dev/null 2>&1 ||
    die "$cc not found: install clang and its fuzzer runtime (Debian 12: apt-get install clang libclang-rt-14-dev; Debian 13: libclang-rt-19-dev), or set CC_FUZZ"
mkdir -p "$obj/core" "$obj/module" "$obj/fuzz"

# A compiler without the libFuzzer and sanitizer runtimes fails here, not halfway through.
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
    'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return d && n; }' \
    > "$obj/probe.c"
"$cc" -fsanitize=fuzzer,address,undefined "$obj/probe.c" -o "$obj/probe" > "$obj/probe.log" 2>&1 ||
    die "$cc cannot link -fsanitize=fuzzer,address,undefined (see $obj/probe.log): install the runtime (libclang-rt-N-dev for clang-N: 14 on Debian 12, 19 on Debian 13)"

if pkg-config --exists krb5-gssapi 2> /dev/null; then
    gss_cflags=$(pkg-config --cflags krb5-gssapi)
    gss_libs=$(pkg-config --libs krb5-gssapi)
else
    gss_cflags=$(krb5-config --cflags gssapi) || die "no krb5-gssapi: install libkrb5-dev"
    gss_libs=$(krb5-config --libs gssapi)
fi
core_libs="-lcrypto -lunistring -lz -lpthread"

# Instrumented for coverage but without libFuzzer's main: the objects also go into the module.
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
compile_flags="$cflags $sanitize -fsanitize=fuzzer-no-link -fPIC -fvisibility=hidden -std=c11
    -D_GNU_SOURCE -DSYSCONFDIR=\"/etc\" -Wall -Wextra -Wno-unused-parameter
    -I$srcdir/include -I$srcdir/common -I$srcdir/mech/core -I$srcdir/sspi_shim $gss_cflags"

core_targets="fuzz_negotiate fuzz_challenge fuzz_authenticate fuzz_av_pairs fuzz_userdb
    fuzz_config fuzz_signature"

# compile SOURCE OBJECT [extra flags]
compile() {
    src=$1 out=$2
    shift 2
    # shellcheck disable=SC2086
    "$cc" $compile_flags "$@" -c "$src" -o "$out" || die "compiling $src failed"
}

# The protocol core is mech/core/ plus the reader in common/, none of which sees GSS types; the
# module is mech/gss/. Found here rather than listed, so new files need no change. The targets
# link the core as an archive, so they pull in only the objects they use.
rm -f "$obj"/core/*.o "$obj"/module/*.o "$obj/libcore.a"
for src in "$srcdir"/common/ntlm_reader.c "$srcdir"/mech/core/*.c; do
    name=$(basename "$src" .c)
    # No winbindd to fuzz against: the fuzzed module is built as without libwbclient.
    [ "$name" != ntlm_winbind ] || continue
    compile "$src" "$obj/core/$name.o"
done
for src in "$srcdir"/mech/gss/*.c; do
    compile "$src" "$obj/module/$(basename "$src" .c).o" -I"$srcdir/mech/gss"
done
ar rcs "$obj/libcore.a" "$obj"/core/*.o

# The module as the mechglue will dlopen it. The sanitizer runtimes come from the fuzz binary
# that loads it, so its sanitizer symbols stay undefined here (hence no -z defs).
# shellcheck disable=SC2086
"$cc" $cflags $sanitize -fsanitize=fuzzer-no-link -shared -fPIC \
    -Wl,--version-script="$srcdir/mech/sspigss_ntlm.map" -o "$outdir/sspigss_ntlm.so" \
    "$obj"/module/*.o "$obj"/core/*.o $gss_libs $core_libs || die "linking the module failed"

link_target() {
    name=$1
    shift
    # shellcheck disable=SC2086
    "$cc" $cflags $sanitize -fsanitize=fuzzer -o "$outdir/$name" "$obj/fuzz/$name.o" "$@" ||
        die "linking $name failed"
    echo "built $outdir/$name"
}

for name in $core_targets; do
    compile "$srcdir/fuzz/$name.c" "$obj/fuzz/$name.o"
    # shellcheck disable=SC2086
    link_target "$name" "$obj/libcore.a" $core_libs
done

compile "$srcdir/sspi_shim/sspi_buffers.c" "$obj/fuzz/sspi_buffers.o"
compile "$srcdir/fuzz/fuzz_sspi_buffers.c" "$obj/fuzz/fuzz_sspi_buffers.o"
link_target fuzz_sspi_buffers "$obj/fuzz/sspi_buffers.o"

# The PAC decoder with the SID code, the context buffers and the one reader it reads through.
for name in sspi_pac sspi_sid sspi_strings sspi_lasterror; do
    compile "$srcdir/sspi_shim/$name.c" "$obj/fuzz/$name.o"
done
compile "$srcdir/fuzz/fuzz_pac.c" "$obj/fuzz/fuzz_pac.o"
# shellcheck disable=SC2086
link_target fuzz_pac "$obj/fuzz/sspi_pac.o" "$obj/fuzz/sspi_sid.o" "$obj/fuzz/sspi_strings.o" \
    "$obj/fuzz/sspi_lasterror.o" "$obj/fuzz/sspi_buffers.o" "$obj/core/ntlm_reader.o" \
    $gss_libs -lunistring

# The importer is called directly in the module's own objects; the exported gss_* wrappers stay
# out, so that nothing in the target shadows the mechglue's names.
compile "$srcdir/fuzz/fuzz_import.c" "$obj/fuzz/fuzz_import.o" -I"$srcdir/mech/gss"
# shellcheck disable=SC2086
link_target fuzz_import $(ls "$obj"/module/*.o | grep -v '/ntlm_exports\.o$') "$obj/libcore.a" \
    $gss_libs $core_libs

# RAND_bytes is exported so that the module's calls bind to the target's deterministic one.
compile "$srcdir/fuzz/fuzz_gss_accept.c" "$obj/fuzz/fuzz_gss_accept.o" \
    -DSSPIGSS_FUZZ_MODULE="\"$outdir/sspigss_ntlm.so\""
# shellcheck disable=SC2086
link_target fuzz_gss_accept -Wl,--export-dynamic-symbol=RAND_bytes $gss_libs
