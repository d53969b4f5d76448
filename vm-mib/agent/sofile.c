/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "agent/sofile.h"

/* What identifies a file's contents well enough here: a package upgrade
 * renames a new file into place (another inode), a copy over it changes
 * its size or time. */
struct identity {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

/* Kept across reloads (-z nodelete): the file that is running, and the
 * last replacement the operator was told about. */
static char path[4096];
static struct identity running, told;

static struct identity identify(const char *file)
{
    struct identity id = { 0 };
    struct stat st;

    if (stat(file, &st) == 0)
        id = (struct identity){ true, st.st_dev, st.st_ino, st.st_size, st.st_mtim };
    return id;
}

static bool same(const struct identity *a, const struct identity *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
           a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

void vmm_sofile_check(void)
{
    Dl_info info;
    struct identity now;

    if (!path[0]) {
        if (!dladdr((void *)vmm_sofile_check, &info) || !info.dli_fname)
            return;
        snprintf(path, sizeof(path), "%s", info.dli_fname);
        running = told = identify(path);
        return;
    }
    now = identify(path);
    if (same(&now, &running) || same(&now, &told))
        return;
    told = now;
    snmp_log(LOG_WARNING, "vm_mib: %s %s since snmpd loaded it; a reload keeps running the "
             "loaded module: restart snmpd to %s\n", path,
             now.exists ? "was replaced" : "was removed",
             now.exists ? "run the new one" : "unload it");
}
