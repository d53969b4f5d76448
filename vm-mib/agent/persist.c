/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/persist.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/cache.h"
#include "core/array.h"
#include "core/index.h"
#include "core/indexfile.h"

#define TOKEN "vmMibIndex"

static struct vmm_index *registry;
static const char *reading;         /* the file being loaded, for the log */

static void say(const char *msg, void *ctx)
{
    (void)ctx;
    snmp_log(LOG_WARNING, "vm_mib: %s%s%s\n", reading ? reading : "", reading ? ": " : "", msg);
}

/* vmTableLastChange is the only change marker VM-MIB has: managers that
 * watch it read again.  The new numbers are stored even if no table fill
 * (which has them stored) follows. */
static void renumbered(void *ctx)
{
    (void)ctx;
    vmm_cache_numbers_changed();
    snmp_store_needed(NULL);
}

static const struct vmm_index_listener listener = { say, renumbered, NULL };


struct vmm_persist_lines {
    const char *token;
    char *buf;
    size_t len, cap;
    bool failed;
};

struct vmm_persist_lines *vmm_persist_lines_new(const char *token)
{
    struct vmm_persist_lines *l = calloc(1, sizeof(*l));

    if (l)
        l->token = token;
    return l;
}

void vmm_persist_lines_emit(const char *line, void *lines)
{
    struct vmm_persist_lines *l = lines;
    size_t need = l->len + strlen(l->token) + strlen(line) + 3;

    if (l->failed)
        return;
    if (vmm_array_grow((void **)&l->buf, &l->cap, need, 1) < 0) {
        l->failed = true;
        return;
    }
    l->len += (size_t)sprintf(l->buf + l->len, "%s%s %s", l->len ? "\n" : "", l->token, line);
}

/* read_config_store opens, appends, fsyncs and closes the file per call:
 * all entries go in one call (thousands of lines for a large host). */
void vmm_persist_lines_store(struct vmm_persist_lines *l, const char *what)
{
    if (!l || l->failed)
        snmp_log(LOG_ERR, "vm_mib: out of memory saving %s\n", what);
    else if (l->len)
        read_config_store(netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID,
                                                NETSNMP_DS_LIB_APPTYPE), l->buf);
    if (l)
        free(l->buf);
    free(l);
}

static int store(int major, int minor, void *server, void *client)
{
    struct vmm_persist_lines *l;

    (void)major; (void)minor; (void)server; (void)client;
    if (!registry)
        return SNMPERR_SUCCESS;
    if ((l = vmm_persist_lines_new(TOKEN)))
        vmm_indexfile_save(registry, vmm_persist_lines_emit, l);
    vmm_persist_lines_store(l, "the index registry");
    return SNMPERR_SUCCESS;
}

static void persistent_file(char *path, size_t size)
{
    const char *app = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);
    const char *env = netsnmp_getenv("SNMP_PERSISTENT_FILE");

    if (env)
        snprintf(path, size, "%s", env);
    else
        snprintf(path, size, "%s/%s.conf", get_persistent_directory(), app ? app : "snmpd");
}

/* snmpd reads its persistent file only without -C, and before any -c file:
 * a dlmod line in such a file would see the entries too late.  So the module
 * reads its own lines. */
void vmm_persist_read(const char *token, void (*fn)(const char *rest, void *ctx), void *ctx)
{
    char path[1024], line[1024];
    size_t len = strlen(token);
    FILE *f;

    persistent_file(path, sizeof(path));
    if (!(f = fopen(path, "r")))
        return;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, token, len) == 0 && line[len] == ' ')
            fn(line + len + 1, ctx);
    }
    fclose(f);
}

static void index_line(const char *rest, void *ld)
{
    vmm_indexfile_load_line(ld, rest);
}

/* One load: bad lines are logged up to a few, then counted (a corrupt file
 * must not flood the log). */
static void read_own_lines(void)
{
    struct vmm_indexfile_load *ld = vmm_indexfile_load_begin(registry, say, NULL);
    char path[1024];

    if (!ld) {
        snmp_log(LOG_ERR, "vm_mib: out of memory loading the index registry\n");
        return;
    }
    persistent_file(path, sizeof(path));
    reading = path;
    vmm_persist_read(TOKEN, index_line, ld);
    vmm_indexfile_load_end(ld);
    reading = NULL;
}

/* snmpd reads the persistent file too (without -C), after the module has
 * read it: the same lines again, nothing to add.  Feeding them would also
 * make a next counter's weighing depend on when it is done, and
 * netsnmp_config_error() on bad lines would count towards snmpd's limit of
 * 500 errors per file, beyond which snmpd stops reading the rest of it,
 * other modules' lines included.  The token stays registered so that snmpd
 * does not call it unknown. */
static void ignore_line(const char *token, char *line)
{
    (void)token; (void)line;
}

void vmm_persist_token(const char *token)
{
    register_app_config_handler(token, ignore_line, NULL, NULL);
}

int vmm_persist_register(void)
{
    if (!(registry = vmm_index_new()))
        return -1;
    vmm_index_set_listener(registry, &listener);
    read_own_lines();
    vmm_persist_token(TOKEN);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_STORE_DATA, store, NULL);
    return 0;
}

void vmm_persist_unregister(void)
{
    snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_STORE_DATA, store, NULL, 1);
    unregister_app_config_handler(TOKEN);
    vmm_index_free(registry);
    registry = NULL;
}

struct vmm_index *vmm_persist_registry(void)
{
    return registry;
}

void vmm_persist_changed(void)
{
    if (registry && vmm_index_dirty(registry))
        snmp_store_needed(NULL);
}
