/*
 * sspi_table.c: InitSecurityInterfaceA/W, the function tables code that dlopens libsspi finds
 * every entry point through. The table source is compiled into this program and the entry
 * points come from libsspi, so each slot is checked against the function of its name, slot by
 * slot in Windows' order (sspi.h's SecurityFunctionTable, as in Windows' sspi.h).
 */
#include <stddef.h>
#include <string.h>

#include "sspi.h"
#include "test_util.h"

typedef void (*slot_fn)(void);

/* The function pointers of SecurityFunctionTableA/W, after dwVersion. */
#define SLOT_COUNT 31

/* Slot i of either table, by its position. */
static slot_fn
slot(const void *table, size_t i)
{
    const char *base =
        (const char *)table + offsetof(SecurityFunctionTableA, EnumerateSecurityPackagesA);
    slot_fn fn;

    memcpy(&fn, base + i * sizeof(void *), sizeof(fn));
    return fn;
}

static void
test_both_tables_report_interface_version_one_and_stay_the_same(void)
{
    PSecurityFunctionTableA a = InitSecurityInterfaceA();
    PSecurityFunctionTableW w = InitSecurityInterfaceW();

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(a->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    CU_ASSERT_EQUAL(w->dwVersion, SECURITY_SUPPORT_PROVIDER_INTERFACE_VERSION);
    CU_ASSERT_PTR_EQUAL(InitSecurityInterfaceA(), a);
    CU_ASSERT_PTR_EQUAL(InitSecurityInterfaceW(), w);
    CU_ASSERT_PTR_NOT_EQUAL((void *)a, (void *)w);
}

static void
test_the_ansi_table_holds_each_function_in_its_windows_slot(void)
{
    const slot_fn expected[SLOT_COUNT] = {
        (slot_fn)EnumerateSecurityPackagesA,
        (slot_fn)QueryCredentialsAttributesA,
        (slot_fn)AcquireCredentialsHandleA,
        (slot_fn)FreeCredentialsHandle,
        NULL, /* Reserved2 */
        (slot_fn)InitializeSecurityContextA,
        (slot_fn)AcceptSecurityContext,
        (slot_fn)CompleteAuthToken,
        (slot_fn)DeleteSecurityContext,
        (slot_fn)ApplyControlToken,
        (slot_fn)QueryContextAttributesA,
        (slot_fn)ImpersonateSecurityContext,
        (slot_fn)RevertSecurityContext,
        (slot_fn)MakeSignature,
        (slot_fn)VerifySignature,
        (slot_fn)FreeContextBuffer,
        (slot_fn)QuerySecurityPackageInfoA,
        (slot_fn)EncryptMessage, /* Reserved3, as on Windows */
        (slot_fn)DecryptMessage, /* Reserved4 */
        (slot_fn)ExportSecurityContext,
        (slot_fn)ImportSecurityContextA,
        NULL, /* AddCredentialsA */
        NULL, /* Reserved8 */
        (slot_fn)QuerySecurityContextToken,
        (slot_fn)EncryptMessage,
        (slot_fn)DecryptMessage,
        (slot_fn)SetContextAttributesA,
        NULL, /* SetCredentialsAttributesA */
        NULL, /* ChangeAccountPasswordA */
        NULL, /* QueryContextAttributesExA */
        NULL, /* QueryCredentialsAttributesExA */
    };
    PSecurityFunctionTableA table = InitSecurityInterfaceA();
    size_t i;

    CU_ASSERT_EQUAL(sizeof(*table), offsetof(SecurityFunctionTableA, EnumerateSecurityPackagesA) +
                                        SLOT_COUNT * sizeof(void *));
    for (i = 0; i < SLOT_COUNT; i++)
        CU_ASSERT_PTR_EQUAL((void *)slot(table, i), (void *)expected[i]);
}

static void
test_the_wide_table_holds_each_function_in_its_windows_slot(void)
{
    const slot_fn expected[SLOT_COUNT] = {
        (slot_fn)EnumerateSecurityPackagesW,
        (slot_fn)QueryCredentialsAttributesW,
        (slot_fn)AcquireCredentialsHandleW,
        (slot_fn)FreeCredentialsHandle,
        NULL,
        (slot_fn)InitializeSecurityContextW,
        (slot_fn)AcceptSecurityContext,
        (slot_fn)CompleteAuthToken,
        (slot_fn)DeleteSecurityContext,
        (slot_fn)ApplyControlToken,
        (slot_fn)QueryContextAttributesW,
        (slot_fn)ImpersonateSecurityContext,
        (slot_fn)RevertSecurityContext,
        (slot_fn)MakeSignature,
        (slot_fn)VerifySignature,
        (slot_fn)FreeContextBuffer,
        (slot_fn)QuerySecurityPackageInfoW,
        (slot_fn)EncryptMessage,
        (slot_fn)DecryptMessage,
        (slot_fn)ExportSecurityContext,
        (slot_fn)ImportSecurityContextW,
        NULL,
        NULL,
        (slot_fn)QuerySecurityContextToken,
        (slot_fn)EncryptMessage,
        (slot_fn)DecryptMessage,
        (slot_fn)SetContextAttributesW,
        NULL,
        NULL,
        NULL,
        NULL,
    };
    PSecurityFunctionTableW table = InitSecurityInterfaceW();
    size_t i;

    CU_ASSERT_EQUAL(sizeof(*table), sizeof(SecurityFunctionTableA));
    for (i = 0; i < SLOT_COUNT; i++)
        CU_ASSERT_PTR_EQUAL((void *)slot(table, i), (void *)expected[i]);
}

static void
test_a_call_through_the_table_reaches_libsspi(void)
{
    PSecurityFunctionTableA table = InitSecurityInterfaceA();
    PSecPkgInfoA info = NULL;

    CU_ASSERT_EQUAL_FATAL(table->QuerySecurityPackageInfoA("NTLM", &info), SEC_E_OK);
    CU_ASSERT_STRING_EQUAL(info->Name, "NTLM");
    CU_ASSERT_EQUAL(table->FreeContextBuffer(info), SEC_E_OK);
}

static CU_TestInfo tests[] = {
    {"both tables report interface version 1 and stay the same",
     test_both_tables_report_interface_version_one_and_stay_the_same},
    {"the ANSI table holds each function in its Windows slot",
     test_the_ansi_table_holds_each_function_in_its_windows_slot},
    {"the wide table holds each function in its Windows slot",
     test_the_wide_table_holds_each_function_in_its_windows_slot},
    {"a call through the table reaches libsspi", test_a_call_through_the_table_reaches_libsspi},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_table", tests);
}
