/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/host.h"

#include <dirent.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSFS_NET "/sys/class/net"

unsigned vmm_host_ifindex(const char *name)
{
    if (!name || !*name || strlen(name) >= IF_NAMESIZE)
        return 0;
    return if_nametoindex(name);
}

static bool sysfs_has(const char *dev, const char *entry)
{
    char path[PATH_MAX];
    struct stat st;

    snprintf(path, sizeof(path), SYSFS_NET "/%s/%s", dev, entry);
    return lstat(path, &st) == 0;
}

static bool is_physical(const char *dev)
{
    return sysfs_has(dev, "device") || sysfs_has(dev, "bonding");
}

/* A VLAN (or similar stacked device) counts when its lower device does. */
static bool is_uplink(const char *dev)
{
    char path[PATH_MAX];
    DIR *d;
    struct dirent *e;
    bool found = false;

    if (is_physical(dev))
        return true;
    snprintf(path, sizeof(path), SYSFS_NET "/%s", dev);
    if (!(d = opendir(path)))
        return false;
    while (!found && (e = readdir(d)))
        if (strncmp(e->d_name, "lower_", 6) == 0)
            found = is_physical(e->d_name + 6);
    closedir(d);
    return found;
}

static unsigned bridge_uplink(const char *bridge)
{
    char path[PATH_MAX];
    DIR *d;
    struct dirent *e;
    unsigned found = 0, count = 0;

    if (strchr(bridge, '/') || strcmp(bridge, "..") == 0)
        return 0;
    snprintf(path, sizeof(path), SYSFS_NET "/%s/brif", bridge);
    if (!(d = opendir(path)))
        return 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !is_uplink(e->d_name))
            continue;
        count++;
        found = vmm_host_ifindex(e->d_name);
    }
    closedir(d);
    return count == 1 ? found : 0;
}

unsigned vmm_host_uplink(const char *type, const char *source)
{
    if (!type || !source || !*source)
        return 0;
    if (strcmp(type, "direct") == 0)
        return vmm_host_ifindex(source);
    if (strcmp(type, "bridge") == 0 || strcmp(type, "network") == 0)
        return bridge_uplink(source);   /* a network's name is no bridge: 0 */
    return 0;
}

/* Field 22 of /proc/<pid>/stat is the start time in clock ticks since
 * boot; the command name before it may contain spaces, so parse after ')'. */
uint64_t vmm_host_process_start_cs(long pid)
{
    char path[64], buf[1024], *p;
    unsigned long long ticks;
    long hz = sysconf(_SC_CLK_TCK);
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (pid <= 0 || hz <= 0 || !(f = fopen(path, "r")))
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (!(p = strrchr(buf, ')')))
        return 0;
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
               "%*d %*d %*d %*d %*d %*d %llu", &ticks) != 1)
        return 0;
    return ticks * 100 / (unsigned long long)hz;
}

long vmm_host_qemu_pid(const char *name)
{
    char path[PATH_MAX];
    long pid = 0;
    FILE *f;

    if (!name || strchr(name, '/'))
        return 0;
    snprintf(path, sizeof(path), "/run/libvirt/qemu/%s.pid", name);
    if (!(f = fopen(path, "r")))
        return 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    return pid;
}
