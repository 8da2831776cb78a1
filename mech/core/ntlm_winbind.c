/*
 * Domain logons through libwbclient. libwbclient has no timeout of its own below five minutes
 * (its read polls winbindd's socket in 5-second steps up to 300 s: Samba's nsswitch/
 * wb_common.c), so a logon cannot be asked on the acceptor's own thread with a bounded wait.
 * It is queued to a pool of long-lived worker threads instead, and the acceptor waits for its
 * answer at most the configured time. A worker that answers too late finds nobody waiting,
 * drops the answer and frees the job: the job is shared by reference count, so neither side
 * frees what the other still reads.
 *
 * A wbcContext is not safe to share between threads, but it keeps its winbindd connection
 * open from one request to the next: contexts are kept in a spare list and reused, one per
 * request at a time; one whose request failed for any reason but the DC's refusal is freed,
 * so the next request connects afresh. The jobs handed to winbindd and not yet answered,
 * abandoned ones included, are counted: beyond the caller's bound a logon is refused at once,
 * so a stuck winbindd cannot pile up threads and connections.
 */
#include "ntlm_winbind.h"

#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wbclient.h>

#include "ntlm_config.h"
#include "ntlm_crypto.h"
#include "ntlm_debug.h"
#include "ntlm_errors.h"

/* NT status codes a logon can end with (MS-ERREF 2.3.1). */
#define NT_STATUS_ACCESS_DENIED 0xC0000022u
#define NT_STATUS_NO_LOGON_SERVERS 0xC000005Eu
#define NT_STATUS_NO_SUCH_USER 0xC0000064u
#define NT_STATUS_WRONG_PASSWORD 0xC000006Au
#define NT_STATUS_LOGON_FAILURE 0xC000006Du
#define NT_STATUS_ACCOUNT_RESTRICTION 0xC000006Eu
#define NT_STATUS_INVALID_LOGON_HOURS 0xC000006Fu
#define NT_STATUS_INVALID_WORKSTATION 0xC0000070u
#define NT_STATUS_PASSWORD_EXPIRED 0xC0000071u
#define NT_STATUS_ACCOUNT_DISABLED 0xC0000072u
#define NT_STATUS_IO_TIMEOUT 0xC00000B5u
#define NT_STATUS_CANT_ACCESS_DOMAIN_INFO 0xC00000DAu
#define NT_STATUS_NO_SUCH_DOMAIN 0xC00000DFu
#define NT_STATUS_TRUSTED_DOMAIN_FAILURE 0xC000018Cu
#define NT_STATUS_TRUSTED_RELATIONSHIP_FAILURE 0xC000018Du
#define NT_STATUS_NETLOGON_NOT_STARTED 0xC0000192u
#define NT_STATUS_ACCOUNT_EXPIRED 0xC0000193u
#define NT_STATUS_PASSWORD_MUST_CHANGE 0xC0000224u
#define NT_STATUS_DOMAIN_CONTROLLER_NOT_FOUND 0xC0000233u
#define NT_STATUS_ACCOUNT_LOCKED_OUT 0xC0000234u
#define NT_STATUS_LOGON_TYPE_NOT_GRANTED 0xC000015Bu

/* The size of the name fields in winbindd's requests (fstring). */
#define NAME_FIELD 256

/* An idle worker ends after this many seconds without a job: winbindd itself closes a client
 * connection idle for 60 s ("winbind request timeout"), so nothing kept longer is worth it. */
#define WORKER_IDLE_SECONDS 60

/* Contexts kept for reuse beyond those in use; more than the bound's default is never needed
 * by a process whose logons do not all wait at once. */
#define SPARE_CONTEXTS 32

struct logon_job {
    pthread_mutex_t lock;
    pthread_cond_t answered;
    int refs; /* the waiting acceptor and the worker */
    bool done;
    struct logon_job *next; /* in the pool's queue */
    /* the request, copied: the caller may be gone when the worker reads it */
    char *user, *domain, *workstation;
    uint8_t challenge[8];
    uint8_t *nt_response, *lm_response;
    size_t nt_response_len, lm_response_len;
    /* the answer */
    uint32_t ret;
    struct ntlm_domain_user result;
};

/*
 * The process's workers and contexts. inflight counts the jobs queued or being asked, those
 * whose acceptor gave up included: a job leaves it only when winbindd has answered it (or
 * libwbclient gave up on it). idle workers wait for the queue; queued jobs wait for a worker.
 */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t work;
    struct logon_job *head, *tail;
    unsigned queued, inflight, workers, idle;
    struct wbcContext *spare[SPARE_CONTEXTS];
    unsigned spares;
} pool; /* set up by pool_init, before any use */

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void
job_free(struct logon_job *job)
{
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->answered);
    free(job->user);
    free(job->domain);
    free(job->workstation);
    free(job->nt_response);
    free(job->lm_response);
    ntlm_domain_user_clear(&job->result);
    ntlm_wipe(job, sizeof(*job));
    free(job);
}

static void
job_release(struct logon_job *job)
{
    bool last;

    pthread_mutex_lock(&job->lock);
    last = --job->refs == 0;
    pthread_mutex_unlock(&job->lock);
    if (last)
        job_free(job);
}

static uint8_t *
copy_bytes(const uint8_t *p, size_t len)
{
    uint8_t *copy = malloc(len > 0 ? len : 1);

    if (copy != NULL && len > 0)
        memcpy(copy, p, len);
    return copy;
}

static uint32_t
error_from_nt_status(uint32_t status)
{
    switch (status) {
    case NT_STATUS_NO_SUCH_USER:
        return NTLM_ERR_UNKNOWN_USER;
    case NT_STATUS_WRONG_PASSWORD:
    case NT_STATUS_LOGON_FAILURE:
        return NTLM_ERR_WRONG_PASSWORD;
    case NT_STATUS_ACCOUNT_DISABLED:
        return NTLM_ERR_ACCOUNT_DISABLED;
    case NT_STATUS_ACCOUNT_EXPIRED:
        return NTLM_ERR_ACCOUNT_EXPIRED;
    case NT_STATUS_PASSWORD_EXPIRED:
    case NT_STATUS_PASSWORD_MUST_CHANGE:
        return NTLM_ERR_PASSWORD_EXPIRED;
    case NT_STATUS_ACCOUNT_LOCKED_OUT:
        return NTLM_ERR_ACCOUNT_LOCKED;
    case NT_STATUS_ACCOUNT_RESTRICTION:
    case NT_STATUS_INVALID_LOGON_HOURS:
    case NT_STATUS_INVALID_WORKSTATION:
    case NT_STATUS_LOGON_TYPE_NOT_GRANTED:
        return NTLM_ERR_ACCOUNT_RESTRICTED;
    case NT_STATUS_NO_LOGON_SERVERS:
    case NT_STATUS_IO_TIMEOUT:
    case NT_STATUS_CANT_ACCESS_DOMAIN_INFO:
    case NT_STATUS_NO_SUCH_DOMAIN:
    case NT_STATUS_TRUSTED_DOMAIN_FAILURE:
    case NT_STATUS_TRUSTED_RELATIONSHIP_FAILURE:
    case NT_STATUS_NETLOGON_NOT_STARTED:
    case NT_STATUS_DOMAIN_CONTROLLER_NOT_FOUND:
    /* winbindd's answer to a caller outside winbindd_priv asking for a session key */
    case NT_STATUS_ACCESS_DENIED:
        return NTLM_ERR_DOMAIN_UNAVAILABLE;
    default:
        return NTLM_ERR_DOMAIN_REFUSED;
    }
}

/* Whether the comma-separated list already holds the SID one (n bytes). */
static bool
list_has(const char *list, const char *one, size_t n)
{
    const char *p = list;

    while (*p != '\0') {
        size_t len = strcspn(p, ",");

        if (len == n && memcmp(p, one, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

/*
 * "S-1-5-21-...,S-1-5-21-...": every SID of the logon once, in winbindd's order (the primary
 * group comes back again among the groups).
 */
static char *
sid_list(const struct wbcAuthUserInfo *info)
{
    char one[WBC_SID_STRING_BUFLEN];
    size_t len = 0, n;
    uint32_t i;
    char *list = malloc((size_t)info->num_sids * WBC_SID_STRING_BUFLEN + 1);

    if (list == NULL)
        return NULL;
    list[0] = '\0';
    for (i = 0; i < info->num_sids; i++) {
        if (wbcSidToStringBuf(&info->sids[i].sid, one, sizeof(one)) <= 0)
            continue;
        n = strnlen(one, sizeof(one) - 1);
        if (list_has(list, one, n))
            continue;
        if (len > 0)
            list[len++] = ',';
        memcpy(list + len, one, n);
        len += n;
        list[len] = '\0';
    }
    return list;
}

/* The directory's spelling of the names, or the client's where the answer has none. */
static uint32_t
take_answer(const struct logon_job *job, const struct wbcAuthUserInfo *info,
            struct ntlm_domain_user *out)
{
    memcpy(out->session_base_key, info->user_session_key, 16);
    out->user = strdup(info->account_name != NULL && info->account_name[0] != '\0'
                           ? info->account_name
                           : job->user);
    out->domain = strdup(info->domain_name != NULL && info->domain_name[0] != '\0'
                             ? info->domain_name
                             : job->domain);
    out->sids = sid_list(info);
    if (out->user == NULL || out->domain == NULL || out->sids == NULL)
        return NTLM_ERR_NOMEM;
    return 0;
}

/* A context from the spare list, or a new one (it connects on its first request). */
static struct wbcContext *
context_take(void)
{
    struct wbcContext *wb = NULL;

    pthread_mutex_lock(&pool.lock);
    if (pool.spares > 0)
        wb = pool.spare[--pool.spares];
    pthread_mutex_unlock(&pool.lock);
    return wb != NULL ? wb : wbcCtxCreate();
}

/*
 * Back to the spare list with its open connection, unless its request failed in a way that
 * may have left the connection unusable (libwbclient closes it on most failures, but a
 * fresh context costs one connect and is sure).
 */
static void
context_give(struct wbcContext *wb, bool reusable)
{
    if (reusable) {
        pthread_mutex_lock(&pool.lock);
        if (pool.spares < SPARE_CONTEXTS) {
            pool.spare[pool.spares++] = wb;
            wb = NULL;
        }
        pthread_mutex_unlock(&pool.lock);
    }
    if (wb != NULL)
        wbcCtxFree(wb);
}

/* The worker's half: one request to winbindd on a context nobody else uses meanwhile. */
static uint32_t
ask_winbindd(struct logon_job *job)
{
    struct wbcAuthUserParams params = {0};
    struct wbcAuthUserInfo *info = NULL;
    struct wbcAuthErrorInfo *error = NULL;
    struct wbcContext *wb;
    wbcErr err;
    uint32_t ret;

    wb = context_take();
    if (wb == NULL)
        return NTLM_ERR_NOMEM;
    params.account_name = job->user;
    params.domain_name = job->domain;
    params.workstation_name = job->workstation;
    params.level = WBC_AUTH_USER_LEVEL_RESPONSE;
    memcpy(params.password.response.challenge, job->challenge, 8);
    /* libwbclient refuses a data pointer with a zero length, and the reverse. */
    params.password.response.nt_data = job->nt_response_len > 0 ? job->nt_response : NULL;
    params.password.response.nt_length = (uint32_t)job->nt_response_len;
    params.password.response.lm_data = job->lm_response_len > 0 ? job->lm_response : NULL;
    params.password.response.lm_length = (uint32_t)job->lm_response_len;
    err = wbcCtxAuthenticateUserEx(wb, &params, &info, &error);
    if (err == WBC_ERR_SUCCESS) {
        ret = take_answer(job, info, &job->result);
        ntlm_debug("winbind: logon of \"%s\" in \"%s\" validated, %u SIDs", job->user,
                   job->domain, (unsigned)info->num_sids);
    } else if (err == WBC_ERR_AUTH_ERROR && error != NULL) {
        ret = error_from_nt_status(error->nt_status);
        ntlm_debug("winbind: logon of \"%s\" in \"%s\" refused: %s (0x%08x) %s", job->user,
                   job->domain, error->nt_string != NULL ? error->nt_string : "?",
                   (unsigned)error->nt_status,
                   error->display_string != NULL ? error->display_string : "");
    } else if (err == WBC_ERR_NO_MEMORY) {
        ret = NTLM_ERR_NOMEM;
    } else {
        ret = NTLM_ERR_DOMAIN_UNAVAILABLE;
        ntlm_debug("winbind: logon of \"%s\" in \"%s\" not possible: %s", job->user, job->domain,
                   wbcErrorString(err));
    }
    if (info != NULL) {
        ntlm_wipe(info->user_session_key, sizeof(info->user_session_key));
        ntlm_wipe(info->lm_session_key, sizeof(info->lm_session_key));
    }
    wbcFreeMemory(info);
    wbcFreeMemory(error);
    context_give(wb, err == WBC_ERR_SUCCESS || err == WBC_ERR_AUTH_ERROR);
    return ret;
}

/* The answer to whoever still waits; the last of the two to let go frees the job. */
static void
job_answer(struct logon_job *job, uint32_t ret)
{
    pthread_mutex_lock(&job->lock);
    job->ret = ret;
    job->done = true;
    pthread_cond_signal(&job->answered);
    pthread_mutex_unlock(&job->lock);
    job_release(job);
}

/* Called with pool.lock held and the queue not empty. */
static struct logon_job *
queue_pop(void)
{
    struct logon_job *job = pool.head;

    pool.head = job->next;
    if (pool.head == NULL)
        pool.tail = NULL;
    job->next = NULL;
    pool.queued--;
    return job;
}

/* A worker: takes jobs until none came for WORKER_IDLE_SECONDS. */
static void *
worker(void *arg)
{
    struct logon_job *job;
    struct timespec until;
    int err = 0;

    (void)arg;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        if (pool.head == NULL) {
            if (err == ETIMEDOUT)
                break;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += WORKER_IDLE_SECONDS;
            pool.idle++;
            err = pthread_cond_timedwait(&pool.work, &pool.lock, &until);
            pool.idle--;
            continue;
        }
        err = 0;
        job = queue_pop();
        pthread_mutex_unlock(&pool.lock);
        job_answer(job, ask_winbindd(job));
        pthread_mutex_lock(&pool.lock);
        pool.inflight--;
    }
    pool.workers--;
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

static struct logon_job *
job_new(const struct ntlm_domain_logon *in)
{
    struct logon_job *job = calloc(1, sizeof(*job));
    pthread_condattr_t attr;

    if (job == NULL)
        return NULL;
    job->user = strdup(in->user);
    job->domain = strdup(in->domain);
    /* The workstation only informs the DC's logs: a name too long for the field goes empty. */
    job->workstation = strdup(strlen(in->workstation) < NAME_FIELD ? in->workstation : "");
    job->nt_response = copy_bytes(in->nt_response, in->nt_response_len);
    job->lm_response = copy_bytes(in->lm_response, in->lm_response_len);
    job->nt_response_len = in->nt_response_len;
    job->lm_response_len = in->lm_response_len;
    memcpy(job->challenge, in->challenge, 8);
    job->refs = 2;
    pthread_mutex_init(&job->lock, NULL);
    /* The deadline is on the monotonic clock: setting the date must not stretch it. */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&job->answered, &attr);
    pthread_condattr_destroy(&attr);
    if (job->user == NULL || job->domain == NULL || job->workstation == NULL ||
        job->nt_response == NULL || job->lm_response == NULL) {
        job_free(job);
        return NULL;
    }
    return job;
}

/* A fork copies the pool but none of its workers: the child starts with none, and with no
 * job (their waiters were other threads of the parent). Spare contexts stay: libwbclient
 * reconnects a context first used in another process. */
static void
pool_lock_for_fork(void)
{
    pthread_mutex_lock(&pool.lock);
}

static void
pool_unlock_after_fork(void)
{
    pthread_mutex_unlock(&pool.lock);
}

static void
pool_reset_in_child(void)
{
    pthread_condattr_t attr;

    /* The forking thread took the lock in pool_lock_for_fork; it is this process's only one. */
    pool.head = pool.tail = NULL;
    pool.queued = pool.inflight = pool.workers = pool.idle = 0;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&pool.work, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_unlock(&pool.lock);
}

/*
 * libwbclient names the client in each request after the program, filling its static copy of
 * the name on first use without a lock: workers starting together would race on it. It is set
 * once, to the same name, before the first worker. The workers' condition variable waits on
 * the monotonic clock, as the acceptors' deadlines do.
 */
static void
pool_init(void)
{
    pthread_condattr_t attr;

    wbcSetClientProcessName(program_invocation_short_name);
    pthread_mutex_init(&pool.lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&pool.work, &attr);
    pthread_condattr_destroy(&attr);
    pthread_atfork(pool_lock_for_fork, pool_unlock_after_fork, pool_reset_in_child);
}

/* A detached worker with every signal blocked: a SIGPIPE from a dying winbindd socket, or a
 * signal meant for the server, must not be handled on it. */
static int
start_worker(void)
{
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, old;
    int err;

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    err = pthread_create(&thread, &attr, worker, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return err;
}

/*
 * Queues the job for a worker, starting one when no idle worker is left for it; refuses when
 * max_inflight jobs are already out. A worker that cannot be started is no failure while
 * another one will get to the queue.
 */
static uint32_t
pool_submit(struct logon_job *job, unsigned max_inflight)
{
    uint32_t ret = 0;

    pthread_mutex_lock(&pool.lock);
    if (pool.inflight >= max_inflight) {
        ret = NTLM_ERR_DOMAIN_BUSY;
        goto done;
    }
    if (pool.tail != NULL)
        pool.tail->next = job;
    else
        pool.head = job;
    pool.tail = job;
    pool.queued++;
    pool.inflight++;
    if (pool.idle >= pool.queued) {
        pthread_cond_signal(&pool.work);
    } else if (start_worker() == 0) {
        pool.workers++;
    } else if (pool.workers == 0) {
        /* Nobody would ever take it: it is the last in the queue, and the only one. */
        pool.head = pool.tail = NULL;
        pool.queued--;
        pool.inflight--;
        ret = NTLM_ERR_NOMEM;
    }
done:
    pthread_mutex_unlock(&pool.lock);
    return ret;
}

uint32_t
ntlm_domain_logon(const struct ntlm_domain_logon *in, struct ntlm_domain_user *out)
{
    struct logon_job *job;
    struct timespec deadline;
    unsigned max_inflight =
        in->max_inflight != 0 ? in->max_inflight : NTLM_DEFAULT_WINBIND_MAX_INFLIGHT;
    uint32_t ret;
    int err = 0;

    /* winbindd's request has 256-byte name fields that libwbclient fills with strncpy: a
     * longer name would be cut and checked as another one. No account has such a name. */
    if (strlen(in->user) >= NAME_FIELD || strlen(in->domain) >= NAME_FIELD) {
        ntlm_debug("winbind: a user or domain name of 256 bytes or more is no account's");
        return NTLM_ERR_UNKNOWN_USER;
    }
    pthread_once(&pool_once, pool_init);
    job = job_new(in);
    if (job == NULL)
        return NTLM_ERR_NOMEM;
    ret = pool_submit(job, max_inflight);
    if (ret) {
        if (ret == NTLM_ERR_DOMAIN_BUSY)
            ntlm_debug("winbind: logon of \"%s\" in \"%s\" refused: %u logons already wait "
                       "for winbindd (winbind_max_inflight)",
                       in->user, in->domain, max_inflight);
        job_free(job);
        return ret;
    }
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += in->timeout;
    pthread_mutex_lock(&job->lock);
    while (!job->done && err != ETIMEDOUT)
        err = pthread_cond_timedwait(&job->answered, &job->lock, &deadline);
    if (job->done) {
        ret = job->ret;
        if (ret == 0) {
            *out = job->result;
            memset(&job->result, 0, sizeof(job->result));
        }
    } else {
        ret = NTLM_ERR_DOMAIN_TIMEOUT;
        ntlm_debug("winbind: no answer for \"%s\" in \"%s\" within %u s", in->user, in->domain,
                   in->timeout);
    }
    pthread_mutex_unlock(&job->lock);
    job_release(job);
    return ret;
}

void
ntlm_domain_user_clear(struct ntlm_domain_user *user)
{
    ntlm_wipe(user->session_base_key, sizeof(user->session_base_key));
    free(user->user);
    free(user->domain);
    free(user->sids);
    memset(user, 0, sizeof(*user));
}

uint32_t
ntlm_domain_local_account(const char *sid, char **name, uid_t *uid)
{
    struct wbcDomainSid parsed;
    struct wbcContext *wb = NULL;
    struct passwd *pw = NULL;
    wbcErr err;
    uint32_t ret = NTLM_ERR_LOCAL_LOOKUP;

    if (wbcStringToSid(sid, &parsed) != WBC_ERR_SUCCESS)
        return NTLM_ERR_LOCAL_LOOKUP;
    pthread_once(&pool_once, pool_init);
    wb = context_take();
    if (wb == NULL)
        return NTLM_ERR_NOMEM;
    /* By SID, not by name: the account is the one the DC vouched for, and the name comes back
     * spelled the way winbindd's idmap and NSS module spell it. */
    err = wbcCtxGetpwsid(wb, &parsed, &pw);
    ntlm_debug("winbind: local account of %s: %s", sid,
               err == WBC_ERR_SUCCESS ? pw->pw_name : wbcErrorString(err));
    if (err == WBC_ERR_NO_MEMORY) {
        ret = NTLM_ERR_NOMEM;
    } else if (err == WBC_ERR_SUCCESS && pw->pw_name != NULL && pw->pw_name[0] != '\0') {
        *name = strdup(pw->pw_name);
        *uid = pw->pw_uid;
        ret = *name != NULL ? 0 : NTLM_ERR_NOMEM;
    }
    wbcFreeMemory(pw);
    context_give(wb, err == WBC_ERR_SUCCESS || err == WBC_ERR_DOMAIN_NOT_FOUND ||
                         err == WBC_ERR_INVALID_SID);
    return ret;
}
