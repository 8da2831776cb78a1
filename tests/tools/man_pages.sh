#!/bin/sh
# The manual pages render without warnings and show the configured paths (no @placeholder@ of
# man/*.in and no $(sysconfdir)-style make variable left), and every key of the configuration
# parser is documented in sspigss-ntlm.conf(5) and in sspigss-ntlm.conf.example.

. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

S=${SSPIGSS_SRCDIR:-.}

# The key names of the parser's table (config_keys[] in mech/core/ntlm_config.c): the first
# quoted string of each "{"name", offsetof..." or "{"name", 0, ..." row.
KEYS=$(sed -n '/^static const struct config_key config_keys\[\] = {/,/^};/p' \
    "$S/mech/core/ntlm_config.c" | sed -n 's/^[[:space:]]*{"\([a-z_0-9]*\)",.*/\1/p')
# The keys this test was written against, so that a broken extraction cannot pass silently.
KNOWN="user_file netbios_name netbios_domain dns_name dns_domain ntlmv1 lm mic service_binding
channel_bindings service_names replay_window anonymous user_file_permissions audit"

if [ -z "$KEYS" ]; then
    fail "no configuration keys extracted from mech/core/ntlm_config.c"
else
    pass "$(echo $KEYS | wc -w) configuration keys extracted from mech/core/ntlm_config.c"
fi
for k in $KNOWN; do
    if printf '%s\n' $KEYS | grep -qx "$k"; then
        pass "known key $k is in the parser's table"
    else
        fail "known key $k is not in the parser's table (extraction broken or key removed)"
    fi
done

# In the man page a key starts a .TP item: ".BI key ..." or ".BR key ...".
for k in $KEYS; do
    if grep -Eq "^\.B[IR]? $k( |\$)" "$S/man/sspigss-ntlm.conf.5.in"; then
        pass "man/sspigss-ntlm.conf.5.in documents $k"
    else
        fail "man/sspigss-ntlm.conf.5.in does not document $k"
    fi
    if grep -Eq "^#[[:space:]]*$k[[:space:]]*=" "$S/sspigss-ntlm.conf.example"; then
        pass "sspigss-ntlm.conf.example lists $k"
    else
        fail "sspigss-ntlm.conf.example does not list $k"
    fi
done

# The pages make generates from man/*.in: one per source, every path substituted.
B=${SSPIGSS_BUILDDIR:-.}
for src in "$S"/man/*.in; do
    page="$B/man/$(basename "$src" .in)"
    if [ ! -f "$page" ]; then
        fail "man/${page##*/} was not generated from man/${src##*/}"
        continue
    fi
    left=$(grep -nE '@[A-Za-z_]+@|\$\((prefix|exec_prefix|[a-z]*dir)\)' "$page")
    if [ -z "$left" ]; then
        pass "man/${page##*/} has every path substituted"
    else
        fail "man/${page##*/} still has placeholders: $left"
    fi
done
# The substitution check itself can fail: a page with a placeholder left is caught.
printf '.TH X 5\n.I @sysconfdir@/x and $(localstatedir)/y\n' > "$W/x.5"
if grep -qE '@[A-Za-z_]+@' "$W/x.5" && grep -qE '\$\((prefix|exec_prefix|[a-z]*dir)\)' "$W/x.5"; then
    pass "the placeholder patterns match what they must catch"
else
    fail "the placeholder patterns miss @sysconfdir@ or \$(localstatedir)"
fi

# Rendering checks the pages' own markup, so it renders each source with the paths of the Debian
# package (dh_auto_configure: --prefix=/usr --sysconfdir=/etc --localstatedir=/var and the
# multiarch libdir, so gssdir is /usr/lib/x86_64-linux-gnu/gss), not with this build's:
# distcheck's prefix lies in the build directory, and a long enough directory makes groff warn
# "can't break line" on any path, whatever the page says (CI's clone did, twice).
packaged_paths() {
    sed -e 's|@sysconfdir@|/etc|g' -e 's|@localstatedir@|/var|g' \
        -e 's|@gssdir@|/usr/lib/x86_64-linux-gnu/gss|g' -e 's|@includedir@|/usr/include|g' \
        -e 's|@bindir@|/usr/bin|g' -e 's|@PACKAGE_VERSION@|0.0|g' "$1"
}
mkdir -p "$W/render"
for src in "$S"/man/*.in; do
    page="$W/render/$(basename "$src" .in)"
    packaged_paths "$src" > "$page"
    left=$(grep -nE '@[A-Za-z_]+@' "$page")
    [ -z "$left" ] || fail "man/${src##*/} has a placeholder this test does not know: $left"
done

if ! command -v man >/dev/null 2>&1; then
    echo "SKIP: man is not installed, pages not rendered"
    [ "$FAILED" -eq 0 ] || { finish; exit 1; }
    exit 77
fi
render() {
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$1" 2>&1 >/dev/null
}
found=0
for page in "$W"/render/*.[1-8]; do
    [ -f "$page" ] || continue
    found=1
    out=$(render "$page")
    if [ -z "$out" ]; then
        pass "man/${page##*/} renders without warnings"
    else
        fail "man/${page##*/} renders with warnings:"
        printf '%s\n' "$out" | sed 's/^/    /'
    fi
done
[ "$found" -eq 1 ] || fail "no pages rendered from $S/man/"
# The render check itself can fail: a path too long for the line is warned about.
printf '.TH X 5\n.SH NAME\nx\n.SH FILES\n.B /%s\n' "$(printf 'x%.0s' $(seq 100))" > "$W/long.5"
if [ -n "$(render "$W/long.5")" ]; then
    pass "the render check sees groff's warnings"
else
    fail "a page with a 100-column path rendered without a warning: the render check is blind"
fi
finish
