/* The handle table: generation tags make stale, forged and cross-kind handles invalid. */
#include <stdint.h>
#include <stdlib.h>

#include "sspi_handles.h"
#include "test_util.h"

static int objects[4];

static void
test_live_handles_return_their_objects(void)
{
    SecHandle a, b;

    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CREDENTIAL, &objects[0], &a), SEC_E_OK);
    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &objects[1], &b), SEC_E_OK);
    CU_ASSERT_PTR_EQUAL(sspi_handle_get(&a, SSPI_HANDLE_CREDENTIAL), &objects[0]);
    CU_ASSERT_PTR_EQUAL(sspi_handle_get(&b, SSPI_HANDLE_CONTEXT), &objects[1]);
    CU_ASSERT_PTR_EQUAL(sspi_handle_remove(&a, SSPI_HANDLE_CREDENTIAL), &objects[0]);
    CU_ASSERT_PTR_EQUAL(sspi_handle_remove(&b, SSPI_HANDLE_CONTEXT), &objects[1]);
}

static void
test_a_credential_handle_is_not_a_context_handle(void)
{
    SecHandle h;

    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CREDENTIAL, &objects[0], &h), SEC_E_OK);
    CU_ASSERT_PTR_NULL(sspi_handle_get(&h, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NULL(sspi_handle_remove(&h, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_EQUAL(sspi_handle_remove(&h, SSPI_HANDLE_CREDENTIAL), &objects[0]);
}

static void
test_stale_handle_is_rejected_even_when_its_slot_is_reused(void)
{
    SecHandle old, reused;

    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &objects[0], &old), SEC_E_OK);
    CU_ASSERT_PTR_NOT_NULL(sspi_handle_remove(&old, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NULL(sspi_handle_get(&old, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NULL(sspi_handle_remove(&old, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &objects[1], &reused), SEC_E_OK);
    CU_ASSERT_EQUAL(reused.dwLower, old.dwLower);                   /* the same slot ... */
    CU_ASSERT_PTR_NULL(sspi_handle_get(&old, SSPI_HANDLE_CONTEXT)); /* ... is not the old one */
    CU_ASSERT_PTR_EQUAL(sspi_handle_get(&reused, SSPI_HANDLE_CONTEXT), &objects[1]);
    sspi_handle_remove(&reused, SSPI_HANDLE_CONTEXT);
}

static void
test_zeroed_forged_and_null_handles_are_rejected(void)
{
    SecHandle zero = {0, 0}, forged = {1, 0x1234}, huge = {UINTPTR_MAX, UINTPTR_MAX}, live;

    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &objects[2], &live), SEC_E_OK);
    CU_ASSERT_PTR_NULL(sspi_handle_get(NULL, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NULL(sspi_handle_get(&zero, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NULL(sspi_handle_get(&forged, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NULL(sspi_handle_get(&huge, SSPI_HANDLE_CONTEXT));
    forged = live;
    forged.dwUpper ^= 0x100; /* a different generation */
    CU_ASSERT_PTR_NULL(sspi_handle_get(&forged, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_PTR_NOT_NULL(sspi_handle_remove(&live, SSPI_HANDLE_CONTEXT));
}

static void
test_table_grows_past_its_first_allocation(void)
{
    enum { N = 1000 };
    SecHandle *handles = calloc(N, sizeof(*handles));
    size_t i;
    int ok = 1;

    CU_ASSERT_PTR_NOT_NULL_FATAL(handles);
    for (i = 0; i < N; i++)
        ok &= sspi_handle_new(SSPI_HANDLE_CONTEXT, &objects[i % 4], &handles[i]) == SEC_E_OK;
    CU_ASSERT_TRUE(ok);
    for (i = 0; i < N; i++)
        ok &= sspi_handle_get(&handles[i], SSPI_HANDLE_CONTEXT) == &objects[i % 4];
    CU_ASSERT_TRUE(ok);
    for (i = 0; i < N; i++)
        ok &= sspi_handle_remove(&handles[i], SSPI_HANDLE_CONTEXT) == &objects[i % 4];
    CU_ASSERT_TRUE(ok);
    free(handles);
}

static CU_TestInfo tests[] = {
    {"live handles return their objects", test_live_handles_return_their_objects},
    {"a credential handle is not a context handle",
     test_a_credential_handle_is_not_a_context_handle},
    {"a stale handle is rejected even when its slot is reused",
     test_stale_handle_is_rejected_even_when_its_slot_is_reused},
    {"zeroed, forged and NULL handles are rejected",
     test_zeroed_forged_and_null_handles_are_rejected},
    {"the table grows past its first allocation", test_table_grows_past_its_first_allocation},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_handles", tests);
}
