/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/tokens.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

static struct vmm_config cfg;
static void (*config_done)(void);

static void parse_token(const char *token, char *line)
{
    char why[80];
    const char *err = vmm_config_apply(&cfg, token, line, why, sizeof(why));

    if (err)
        netsnmp_config_error("%s \"%s\": %s; keeping the previous value",
                             token, line ? line : "", err);
}

static int post_read_config(int major, int minor, void *server, void *client)
{
    (void)major; (void)minor; (void)server; (void)client;
    if (config_done)
        config_done();
    return SNMPERR_SUCCESS;
}

void vmm_tokens_register(void (*done)(void))
{
    vmm_config_defaults(&cfg);
    config_done = done;
    for (size_t i = 0; i < vmm_config_ntokens; i++)
        register_app_config_handler(vmm_config_tokens[i].name, parse_token, NULL,
                                    vmm_config_tokens[i].help);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
                           post_read_config, NULL);
}

void vmm_tokens_unregister(void)
{
    snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
                             post_read_config, NULL, 1);
    for (size_t i = 0; i < vmm_config_ntokens; i++)
        unregister_app_config_handler(vmm_config_tokens[i].name);
    config_done = NULL;
}

const struct vmm_config *vmm_tokens_config(void)
{
    return &cfg;
}

/* Net-SNMP keeps one handler per token for the whole process, so the
 * handler of the first token tells whether an instance is loaded, also one
 * from another copy of the .so with globals of its own; dladdr names the
 * file that handler lives in. */
bool vmm_tokens_owner(char *path, size_t size)
{
    const char *app = netsnmp_ds_get_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_APPTYPE);
    struct config_line *line = app ? read_config_get_handlers(app) : NULL;
    Dl_info info;

    while (line && strcmp(line->config_token, vmm_config_tokens[0].name) != 0)
        line = line->next;
    if (!line)
        return false;
    if (dladdr((void *)line->parse_line, &info) && info.dli_fname)
        snprintf(path, size, "%s", info.dli_fname);
    else
        snprintf(path, size, "an unknown file");
    return true;
}
