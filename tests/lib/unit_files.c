/* Temp files for suites that drive module code directly (unit_files.h). */
#include "unit_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 16

static char dir[64];
static char *paths[MAX_FILES];
static size_t count;

const char *
unit_files_begin(const char *suite)
{
    umask(077);
    snprintf(dir, sizeof(dir), "/tmp/%s.XXXXXX", suite);
    if (mkdtemp(dir) == NULL) {
        perror(dir);
        exit(99);
    }
    return dir;
}

/* The path of name in dir, remembered for unit_files_end (once per name). */
static const char *
remember(const char *name)
{
    char path[256];
    size_t i;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    for (i = 0; i < count; i++) {
        if (strcmp(paths[i], path) == 0)
            return paths[i];
    }
    if (count == MAX_FILES || (paths[count] = strdup(path)) == NULL) {
        fprintf(stderr, "%s: too many files\n", path);
        exit(99);
    }
    return paths[count++];
}

const char *
unit_files_write(const char *name, const char *text)
{
    const char *path = remember(name);
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(99);
    }
    return path;
}

void
unit_files_use_config(const char *path)
{
    setenv("SSPIGSS_NTLM_CONFIG", path, 1);
    unsetenv("NTLM_USER_FILE");
    unsetenv("NTLMUSER");
    unsetenv("SSPIGSS_NTLM_DEBUG");
}

void
unit_files_end(void)
{
    char path[256];

    while (count > 0) {
        unlink(paths[--count]);
        free(paths[count]);
    }
    snprintf(path, sizeof(path), "%s/lockout-%lu.db", dir, (unsigned long)geteuid());
    unlink(path);
    rmdir(dir);
}
