/*
 * The handle table: slots reused with a new generation each time, behind one mutex, and the
 * reference counts of the objects behind them.
 */
#include "sspi_handles.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * dwLower = slot index + 1 (0 is never valid, so zeroed handles are rejected);
 * dwUpper = HANDLE_MAGIC ^ (generation << 8 | kind), so a credential handle never passes
 * for a context handle and a reused slot never passes for its previous tenant.
 */
#define HANDLE_MAGIC ((ULONG_PTR)0x5353504900000000ull)
#define MAX_SLOTS (1u << 24)

struct slot {
    struct sspi_ref *obj; /* NULL when free; the table holds a reference on it */
    enum sspi_handle_kind kind;
    uint32_t generation;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *slots;
static size_t nslots;

static ULONG_PTR
upper_tag(const struct slot *s)
{
    return HANDLE_MAGIC ^ ((ULONG_PTR)s->generation << 8 | (ULONG_PTR)s->kind);
}

/* The live slot a handle names, or NULL. Called with the lock held. */
static struct slot *
find(const SecHandle *handle, enum sspi_handle_kind kind)
{
    struct slot *s;

    if (handle == NULL || handle->dwLower == 0 || handle->dwLower > nslots)
        return NULL;
    s = &slots[handle->dwLower - 1];
    if (s->obj == NULL || s->kind != kind || handle->dwUpper != upper_tag(s))
        return NULL;
    return s;
}

static bool
grow(void)
{
    size_t n = nslots == 0 ? 64 : nslots * 2;
    struct slot *bigger;
    size_t i;

    if (n > MAX_SLOTS)
        return false;
    bigger = realloc(slots, n * sizeof(*bigger));
    if (bigger == NULL)
        return false;
    for (i = nslots; i < n; i++)
        bigger[i] = (struct slot){NULL, 0, 0};
    slots = bigger;
    nslots = n;
    return true;
}

void
sspi_ref_init(struct sspi_ref *ref, void (*free_object)(struct sspi_ref *ref))
{
    ref->count = 1;
    ref->free = free_object;
}

void
sspi_ref_take(struct sspi_ref *ref)
{
    __atomic_add_fetch(&ref->count, 1, __ATOMIC_RELAXED);
}

void
sspi_ref_drop(struct sspi_ref *ref)
{
    /* ACQ_REL: the thread that frees sees every write made under the other references. */
    if (ref != NULL && __atomic_sub_fetch(&ref->count, 1, __ATOMIC_ACQ_REL) == 0)
        ref->free(ref);
}

SECURITY_STATUS
sspi_handle_new(enum sspi_handle_kind kind, struct sspi_ref *obj, SecHandle *out)
{
    size_t i;

    pthread_mutex_lock(&lock);
    for (i = 0; i < nslots && slots[i].obj != NULL; i++)
        ;
    if (i == nslots && !grow()) {
        pthread_mutex_unlock(&lock);
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    sspi_ref_take(obj);
    slots[i].obj = obj;
    slots[i].kind = kind;
    slots[i].generation++;
    out->dwLower = (ULONG_PTR)i + 1;
    out->dwUpper = upper_tag(&slots[i]);
    pthread_mutex_unlock(&lock);
    return SEC_E_OK;
}

/*
 * The reference is taken before the lock is released: a FreeCredentialsHandle on another
 * thread may drop the table's reference right after, and the object must outlive our use.
 */
struct sspi_ref *
sspi_handle_get(const SecHandle *handle, enum sspi_handle_kind kind)
{
    struct slot *s;
    struct sspi_ref *obj = NULL;

    pthread_mutex_lock(&lock);
    s = find(handle, kind);
    if (s != NULL) {
        obj = s->obj;
        sspi_ref_take(obj);
    }
    pthread_mutex_unlock(&lock);
    return obj;
}

bool
sspi_handle_live(const SecHandle *handle, enum sspi_handle_kind kind)
{
    bool live;

    pthread_mutex_lock(&lock);
    live = find(handle, kind) != NULL;
    pthread_mutex_unlock(&lock);
    return live;
}

struct sspi_ref *
sspi_handle_remove(const SecHandle *handle, enum sspi_handle_kind kind)
{
    struct slot *s;
    struct sspi_ref *obj = NULL;

    pthread_mutex_lock(&lock);
    s = find(handle, kind);
    if (s != NULL) {
        obj = s->obj;
        s->obj = NULL;
    }
    pthread_mutex_unlock(&lock);
    return obj;
}
