/*
 * The handle table: generation tags make stale, forged and cross-kind handles invalid; lookups
 * hand out references, so an object outlives the handle freed under a user's feet.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sspi_handles.h"
#include "test_util.h"

static unsigned freed;

static void
count_free(struct sspi_ref *ref)
{
    freed++;
}

/* Objects the older tests never release: their counts never reach zero. */
static struct sspi_ref objects[4] = {
    {1, count_free}, {1, count_free}, {1, count_free}, {1, count_free}};

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

static void
test_a_lookup_keeps_the_object_after_its_handle_is_freed(void)
{
    struct sspi_ref obj;
    struct sspi_ref *looked_up, *removed;
    SecHandle h;

    freed = 0;
    sspi_ref_init(&obj, count_free);
    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CREDENTIAL, &obj, &h), SEC_E_OK);
    sspi_ref_drop(&obj); /* the creator's: the table's is left */
    CU_ASSERT_EQUAL(freed, 0);
    looked_up = sspi_handle_get(&h, SSPI_HANDLE_CREDENTIAL);
    CU_ASSERT_PTR_EQUAL_FATAL(looked_up, &obj);
    CU_ASSERT_EQUAL(obj.count, 2);
    /* FreeCredentialsHandle on another thread: the handle ends, the user's reference stays. */
    removed = sspi_handle_remove(&h, SSPI_HANDLE_CREDENTIAL);
    CU_ASSERT_PTR_EQUAL(removed, &obj);
    CU_ASSERT_FALSE(sspi_handle_live(&h, SSPI_HANDLE_CREDENTIAL));
    sspi_ref_drop(removed);
    CU_ASSERT_EQUAL(freed, 0);
    sspi_ref_drop(looked_up);
    CU_ASSERT_EQUAL(freed, 1);
}

static void
test_live_tells_without_taking_a_reference(void)
{
    struct sspi_ref obj;
    SecHandle h;

    sspi_ref_init(&obj, count_free);
    CU_ASSERT_EQUAL_FATAL(sspi_handle_new(SSPI_HANDLE_CONTEXT, &obj, &h), SEC_E_OK);
    CU_ASSERT_TRUE(sspi_handle_live(&h, SSPI_HANDLE_CONTEXT));
    CU_ASSERT_FALSE(sspi_handle_live(&h, SSPI_HANDLE_CREDENTIAL));
    CU_ASSERT_EQUAL(obj.count, 2);
    freed = 0;
    sspi_ref_drop(sspi_handle_remove(&h, SSPI_HANDLE_CONTEXT));
    sspi_ref_drop(&obj);
    CU_ASSERT_EQUAL(freed, 1);
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
    {"a lookup keeps the object after its handle is freed",
     test_a_lookup_keeps_the_object_after_its_handle_is_freed},
    {"live tells without taking a reference", test_live_tells_without_taking_a_reference},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_handles", tests);
}
