#!/bin/sh
# valgrind memcheck over the C suites that exercise our code (unit suites, the module through
# the mechglue, libsspi over our module): no definite or indirect leak and no invalid access
# may remain. One suppression covers MIT's own per-module handle (tests/memory/valgrind.supp).
. "${SSPIGSS_SRCDIR:-.}/tests/lib/lib.sh"

if [ -z "$VALGRIND" ]; then
    echo "SKIP: valgrind not found (apt-get install valgrind)"
    exit 77
fi
for suite in unit/mech/test_ntlm_reader unit/mech/test_ntlm_buf unit/mech/test_ntlm_message \
    unit/mech/test_ntlm_av unit/mech/test_ntlm_unicode unit/mech/test_ntlm_config_values \
    unit/mech/test_ntlm_winbind_none \
    unit/mech/test_ntlm_crypto unit/mech/test_ntlm_auth unit/mech/test_ntlm_sign \
    unit/mech/test_ntlm_userdb unit/mech/test_ntlm_config unit/mech/test_ntlm_policy \
    unit/mech/test_ntlm_binding unit/mech/test_ntlm_audit unit/mech/test_ntlm_syslog unit/mech/test_ntlm_keyring \
    unit/mech/test_ntlm_env \
    unit/gss/test_ntlm_accept unit/gss/test_ntlm_init unit/gss/test_ntlm_context \
    unit/gss/test_ntlm_creds unit/gss/test_ntlm_names unit/gss/test_ntlm_protect \
    unit/gss/test_ntlm_serialize unit/gss/test_ntlm_mech unit/gss/test_ntlm_exports \
    gss/test_gss_mech gss/test_gss_export gss/test_gss_config \
    unit/shim/test_sspi_handles unit/shim/test_sspi_strings unit/shim/test_sspi_lasterror \
    unit/shim/test_sspi_auth_identity unit/shim/test_sspi_credentials \
    unit/shim/test_sspi_attributes unit/shim/test_sspi_message unit/shim/test_sspi_sid \
    unit/shim/test_sspi_packages unit/shim/test_sspi_table unit/shim/test_sspi_objects \
    unit/shim/test_sspi_token unit/shim/test_sspi_export \
    unit/shim/test_sspi_translate unit/shim/test_sspi_buffers shim/test_sspi_loop \
    shim/test_sspi_fidelity shim/test_sspi_secext; do
    if "$SSPIGSS_BUILDDIR/libtool" --mode=execute "$VALGRIND" --quiet --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        --suppressions="$SSPIGSS_SRCDIR/tests/memory/valgrind.supp" --error-exitcode=42 \
        "$SSPIGSS_BUILDDIR/tests/$suite" > "$W/$(basename "$suite").log" 2>&1; then
        pass "valgrind memcheck over tests/$suite"
    elif [ $? -eq 77 ]; then
        # The suite skipped tests (their SKIP lines follow); what ran was clean.
        grep '^SKIP: ' "$W/$(basename "$suite").log"
        SKIPPED=$((SKIPPED + 1))
        skip "valgrind memcheck over the skipped tests of tests/$suite"
        pass "valgrind memcheck over the other tests of tests/$suite"
    else
        fail "valgrind memcheck over tests/$suite"
        cat "$W/$(basename "$suite").log"
    fi
done
finish
