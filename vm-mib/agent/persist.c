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

/* snmpd reads the persistent file too (without -C), after the module has
 * read it (read_own_lines): the same lines again, nothing to add.  Feeding
 * them would also make a next counter's weighing depend on when it is done,
 * and netsnmp_config_error() on bad lines would count towards snmpd's limit
 * of 500 errors per file, beyond which snmpd stops reading the rest of it,
 * other modules' lines included.  The token stays registered so that snmpd
 * does not call it unknown. */
static void parse_line(const char *token, char *line)
{
    (void)token; (void)line;
}

struct text {
    char *buf;
    size_t len, cap;
    bool failed;
};

static void emit(const char *line, void *ctx)
{
    struct text *t = ctx;
    size_t need = t->len + sizeof(TOKEN) + strlen(line) + 2;

    if (t->failed)
        return;
    if (vmm_array_grow((void **)&t->buf, &t->cap, need, 1) < 0) {
        t->failed = true;
        return;
    }
    t->len += (size_t)sprintf(t->buf + t->len, "%s%s %s", t->len ? "\n" : "", TOKEN, line);
}

/* read_config_store opens, appends, fsyncs and closes the file per call:
 * all entries go in one call (thousands of lines for a large host). */
static int store(int major, int minor, void *server, void *client)
{
    struct text t = { NULL, 0, 0, false };

    (void)major; (void)minor; (void)server; (void)client;
    if (!registry)
        return SNMPERR_SUCCESS;
    vmm_indexfile_save(registry, emit, &t);
    if (t.failed)
        snmp_log(LOG_ERR, "vm_mib: out of memory saving the index registry\n");
    else if (t.len)
        read_config_store(netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID,
                                                NETSNMP_DS_LIB_APPTYPE), t.buf);
    free(t.buf);
    return SNMPERR_SUCCESS;
}

/* snmpd reads its persistent file only without -C, and before any -c file:
 * a dlmod line in such a file would see the entries too late.  So the module
 * reads its own lines, as one load: bad lines are logged up to a few, then
 * counted (a corrupt file must not flood the log). */
static void read_own_lines(void)
{
    char path[1024], line[1024];
    const char *app = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);
    const char *env = netsnmp_getenv("SNMP_PERSISTENT_FILE");
    struct vmm_indexfile_load *ld;
    FILE *f;

    if (env)
        snprintf(path, sizeof(path), "%s", env);
    else
        snprintf(path, sizeof(path), "%s/%s.conf", get_persistent_directory(),
                 app ? app : "snmpd");
    if (!(f = fopen(path, "r")))
        return;
    if (!(ld = vmm_indexfile_load_begin(registry, say, NULL))) {
        snmp_log(LOG_ERR, "vm_mib: out of memory loading the index registry\n");
        fclose(f);
        return;
    }
    reading = path;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, TOKEN " ", sizeof(TOKEN)) == 0)
            vmm_indexfile_load_line(ld, line + sizeof(TOKEN));
    }
    vmm_indexfile_load_end(ld);
    reading = NULL;
    fclose(f);
}

int vmm_persist_register(void)
{
    if (!(registry = vmm_index_new()))
        return -1;
    vmm_index_set_listener(registry, &listener);
    read_own_lines();
    register_app_config_handler(TOKEN, parse_line, NULL, NULL);
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
