/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/hrstorage.h"

#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "core/array.h"

/* Debian's libsnmp-dev lacks net-snmp/agent/hardware/fsys.h.  Only the two
 * leading members of its netsnmp_fsys_info are relied upon (the index and
 * the mount path); the functions are exported by libnetsnmpmibs and are the
 * ones hrStorageTable itself uses (host/hrh_storage.c, hrh_filesys.c). */
struct fsys_head {
    netsnmp_index idx;
    char path[1];
};
struct netsnmp_fsys_info_s;
struct netsnmp_fsys_info_s *netsnmp_fsys_get_first(void);
struct netsnmp_fsys_info_s *netsnmp_fsys_get_next(const struct netsnmp_fsys_info_s *);
netsnmp_cache *netsnmp_fsys_get_cache(void);
void init_hw_fsys(void);

#define HR_STORAGE_FSYS_OFFSET 30            /* NETSNMP_MEM_TYPE_MAX */

/* The mount table, read once per refresh rather than once per disk. */
struct mount {
    char *dir;
    bool listed;                    /* hrStorageTable shows it */
};
static struct mount *mounts;
static size_t nmounts, mounts_cap;

static void free_mounts(void)
{
    for (size_t i = 0; i < nmounts; i++)
        free(mounts[i].dir);
    free(mounts);
    mounts = NULL;
    nmounts = mounts_cap = 0;
}

static bool network_fs(const char *type);

static void read_mounts(void)
{
    bool skip_remote = netsnmp_ds_get_boolean(NETSNMP_DS_APPLICATION_ID,
                                              NETSNMP_DS_AGENT_SKIPNFSINHOSTRESOURCES);
    FILE *f = setmntent("/proc/self/mounts", "r");
    struct mntent *m;

    free_mounts();
    if (!f)
        return;
    while ((m = getmntent(f))) {
        if (vmm_array_grow((void **)&mounts, &mounts_cap, nmounts + 1, sizeof(*mounts)) < 0)
            break;
        if (!(mounts[nmounts].dir = strdup(m->mnt_dir)))
            break;
        mounts[nmounts].listed = strcmp(m->mnt_type, "autofs") != 0 &&
                                 !(skip_remote && network_fs(m->mnt_type));
        nmounts++;
    }
    endmntent(f);
}

void vmm_hrstorage_refresh(void)
{
    netsnmp_cache *c;

    /* An snmpd without HOST-RESOURCES-MIB (an AgentX subagent started with
     * -I dlmod) has no filesystem list yet; this creates it, and does
     * nothing where hrStorageTable already did. */
    init_hw_fsys();
    c = netsnmp_fsys_get_cache();
    if (c)
        netsnmp_cache_check_and_reload(c);
    read_mounts();
}

void vmm_hrstorage_release(void)
{
    free_mounts();
}

static bool network_fs(const char *type)
{
    static const char *const remote[] = { "nfs", "nfs4", "smbfs", "cifs", "afs", "lofs" };

    for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
        if (strcmp(type, remote[i]) == 0)
            return true;
    return false;
}

static size_t prefix_match(const char *mount, const char *path)
{
    size_t n = strlen(mount);

    if (strcmp(mount, "/") == 0)
        return 1;
    if (strncmp(mount, path, n) != 0 || (path[n] != '/' && path[n] != '\0'))
        return 0;
    return n;
}

/* The mount point holding path, among the filesystems hrStorageTable lists:
 * no autofs, no network filesystems when skipNFSInHostResources is set. */
static const char *mount_point(const char *path)
{
    const char *found = NULL;
    size_t best = 0;

    for (size_t i = 0; i < nmounts; i++) {
        size_t len = prefix_match(mounts[i].dir, path);

        if (len > best && mounts[i].listed) {
            best = len;
            found = mounts[i].dir;
        }
    }
    return found;
}

long vmm_hrstorage_index(const char *path)
{
    const char *mount;

    if (!path || path[0] != '/' || !(mount = mount_point(path)))
        return 0;
    for (const struct fsys_head *f = (const void *)netsnmp_fsys_get_first(); f;
         f = (const void *)netsnmp_fsys_get_next((const void *)f))
        if (strcmp(f->path, mount) == 0)
            return (long)f->idx.oids[0] + HR_STORAGE_FSYS_OFFSET;
    return 0;
}
