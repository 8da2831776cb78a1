/*
 * Authentication identities as opaque blocks (PSEC_WINNT_AUTH_IDENTITY_OPAQUE): made from
 * strings, taken apart into strings, wiped and freed. A block is a SEC_WINNT_AUTH_IDENTITY_EXW
 * with its strings behind it, so AcquireCredentialsHandle takes it as pAuthData, as on Windows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sspi.h"
#include "sspi_credentials.h"
#include "sspi_strings.h"

/* What precedes each block handed out here, so that it can be wiped whole and freed. */
struct block_header {
    uint64_t magic;
    size_t size; /* of the block after the header */
};

#define BLOCK_MAGIC 0x5353504941757468ull /* "SSPIAuth" */

static void *
block_new(size_t size)
{
    struct block_header *h = calloc(1, sizeof(*h) + size);

    if (h == NULL)
        return NULL;
    h->magic = BLOCK_MAGIC;
    h->size = size;
    return h + 1;
}

/* The header of a block from block_new, or NULL for anything else that has none. */
static struct block_header *
block_of(void *p)
{
    struct block_header *h = p != NULL ? (struct block_header *)p - 1 : NULL;

    return h != NULL && h->magic == BLOCK_MAGIC ? h : NULL;
}

/* Appends a copy of s (NUL included) at *at in the block and points *field at it. */
static void
put_string(PCWSTR s, size_t units, USHORT **field, ULONG *len, SEC_WCHAR **at)
{
    *field = NULL;
    *len = 0;
    if (s == NULL)
        return;
    memcpy(*at, s, (units + 1) * sizeof(**at));
    *field = (USHORT *)*at;
    *len = (ULONG)units;
    *at += units + 1;
}

/*
 * The packed credentials string is taken as the password: what Windows programs pass there
 * (CredUI's output, or a plain password, which Windows accepts too).
 */
SECURITY_STATUS SEC_ENTRY
SspiEncodeStringsAsAuthIdentity(PCWSTR pszUserName, PCWSTR pszDomainName,
                                PCWSTR pszPackedCredentialsString,
                                PSEC_WINNT_AUTH_IDENTITY_OPAQUE *ppAuthIdentity)
{
    size_t user = pszUserName != NULL ? sspi_wcslen(pszUserName) : 0;
    size_t domain = pszDomainName != NULL ? sspi_wcslen(pszDomainName) : 0;
    size_t password =
        pszPackedCredentialsString != NULL ? sspi_wcslen(pszPackedCredentialsString) : 0;
    SEC_WINNT_AUTH_IDENTITY_EXW *id;
    SEC_WCHAR *at;

    if (ppAuthIdentity == NULL)
        return SEC_E_INVALID_PARAMETER;
    id = block_new(sizeof(*id) + (user + domain + password + 3) * sizeof(SEC_WCHAR));
    if (id == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    at = (SEC_WCHAR *)(id + 1);
    id->Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id->Length = sizeof(*id);
    id->Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    put_string(pszUserName, user, &id->User, &id->UserLength, &at);
    put_string(pszDomainName, domain, &id->Domain, &id->DomainLength, &at);
    put_string(pszPackedCredentialsString, password, &id->Password, &id->PasswordLength, &at);
    *ppAuthIdentity = id;
    return SEC_E_OK;
}

/* A block holding the UTF-16 form of text (NULL text: *out NULL). */
static SECURITY_STATUS
wide_block(const char *text, PCWSTR *out)
{
    size_t units = 0;
    SEC_WCHAR *wide, *copy;

    *out = NULL;
    if (text == NULL)
        return SEC_E_OK;
    wide = sspi_wide_from_utf8(text, &units);
    if (wide == NULL)
        return SEC_E_INSUFFICIENT_MEMORY;
    copy = block_new((units + 1) * sizeof(*copy));
    if (copy != NULL)
        memcpy(copy, wide, (units + 1) * sizeof(*copy));
    explicit_bzero(wide, (units + 1) * sizeof(*wide));
    free(wide);
    *out = copy;
    return copy != NULL ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

/* Any identity AcquireCredentialsHandle takes (A or W, plain or EX); each output optional. */
SECURITY_STATUS SEC_ENTRY
SspiEncodeAuthIdentityAsStrings(PSEC_WINNT_AUTH_IDENTITY_OPAQUE pAuthIdentity, PCWSTR *ppszUserName,
                                PCWSTR *ppszDomainName, PCWSTR *ppszPackedCredentialsString)
{
    struct sspi_identity id;
    PCWSTR user = NULL, domain = NULL, password = NULL;
    SECURITY_STATUS status;

    if (pAuthIdentity == NULL)
        return SEC_E_INVALID_PARAMETER;
    status = sspi_identity_read(pAuthIdentity, &id);
    if (status != SEC_E_OK)
        return status;
    if (ppszUserName != NULL)
        status = wide_block(id.user, &user);
    if (status == SEC_E_OK && ppszDomainName != NULL)
        status = wide_block(id.domain, &domain);
    if (status == SEC_E_OK && ppszPackedCredentialsString != NULL)
        status = wide_block(id.password, &password);
    sspi_identity_clear(&id);
    if (status != SEC_E_OK) {
        SspiFreeAuthIdentity((void *)user);
        SspiFreeAuthIdentity((void *)domain);
        SspiFreeAuthIdentity((void *)password);
        return status;
    }
    if (ppszUserName != NULL)
        *ppszUserName = user;
    if (ppszDomainName != NULL)
        *ppszDomainName = domain;
    if (ppszPackedCredentialsString != NULL)
        *ppszPackedCredentialsString = password;
    return SEC_E_OK;
}

/* Blocks from the two functions above only, as Windows frees only its own allocations. */
VOID SEC_ENTRY
SspiZeroAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    struct block_header *h = block_of(AuthData);

    if (h != NULL)
        explicit_bzero(h + 1, h->size);
}

VOID SEC_ENTRY
SspiFreeAuthIdentity(PSEC_WINNT_AUTH_IDENTITY_OPAQUE AuthData)
{
    struct block_header *h = block_of(AuthData);

    if (h == NULL)
        return;
    explicit_bzero(h, sizeof(*h) + h->size);
    free(h);
}
