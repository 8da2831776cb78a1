/* sspi_lasterror.c: GetLastError and SetLastError keep one code per thread, as Win32 does. */
#include <pthread.h>

#include "sspi_lasterror.h"
#include "test_util.h"

/* What a second thread saw first, then after setting its own code. */
struct thread_view {
    DWORD initial;
    DWORD after_set;
};

static void *
other_thread(void *arg)
{
    struct thread_view *view = arg;

    view->initial = GetLastError();
    SetLastError(ERROR_NO_TOKEN);
    view->after_set = GetLastError();
    return NULL;
}

static void
test_a_thread_starts_with_no_error(void)
{
    struct thread_view view = {12345, 12345};
    pthread_t t;

    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
    CU_ASSERT_FATAL(pthread_create(&t, NULL, other_thread, &view) == 0);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(view.initial, ERROR_SUCCESS);
}

static void
test_the_last_code_set_is_the_one_read_back(void)
{
    SetLastError(ERROR_INVALID_SID);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    /* reading does not clear it */
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INVALID_SID);
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    /* any DWORD is kept as given, not only the codes libsspi uses */
    SetLastError(0xdeadbeefu);
    CU_ASSERT_EQUAL(GetLastError(), 0xdeadbeefu);
    SetLastError(ERROR_SUCCESS);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_SUCCESS);
}

static void
test_a_code_set_on_one_thread_is_not_seen_on_another(void)
{
    struct thread_view view = {12345, 12345};
    pthread_t t;

    SetLastError(ERROR_NONE_MAPPED);
    CU_ASSERT_FATAL(pthread_create(&t, NULL, other_thread, &view) == 0);
    pthread_join(t, NULL);
    /* the other thread neither inherited this thread's code nor changed it */
    CU_ASSERT_EQUAL(view.initial, ERROR_SUCCESS);
    CU_ASSERT_EQUAL(view.after_set, ERROR_NO_TOKEN);
    CU_ASSERT_EQUAL(GetLastError(), ERROR_NONE_MAPPED);
}

static void
test_error_codes_have_their_winerror_values(void)
{
    /* callers compare against numbers from Windows' winerror.h */
    CU_ASSERT_EQUAL(ERROR_SUCCESS, 0);
    CU_ASSERT_EQUAL(ERROR_INVALID_HANDLE, 6);
    CU_ASSERT_EQUAL(ERROR_NOT_ENOUGH_MEMORY, 8);
    CU_ASSERT_EQUAL(ERROR_INVALID_PARAMETER, 87);
    CU_ASSERT_EQUAL(ERROR_INSUFFICIENT_BUFFER, 122);
    CU_ASSERT_EQUAL(ERROR_MORE_DATA, 234);
    CU_ASSERT_EQUAL(ERROR_NO_TOKEN, 1008);
    CU_ASSERT_EQUAL(ERROR_NONE_MAPPED, 1332);
    CU_ASSERT_EQUAL(ERROR_INVALID_SID, 1337);
    CU_ASSERT_EQUAL(ERROR_CANT_ACCESS_DOMAIN_INFO, 1351);
    CU_ASSERT_EQUAL(ERROR_NO_SUCH_DOMAIN, 1355);
}

static CU_TestInfo tests[] = {
    {"a thread starts with no error", test_a_thread_starts_with_no_error},
    {"the last code set is the one read back", test_the_last_code_set_is_the_one_read_back},
    {"a code set on one thread is not seen on another",
     test_a_code_set_on_one_thread_is_not_seen_on_another},
    {"error codes have their winerror values", test_error_codes_have_their_winerror_values},
    CU_TEST_INFO_NULL,
};

int
main(void)
{
    return test_run_suite("sspi_lasterror", tests);
}
