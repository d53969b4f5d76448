/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/tokens.h"

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
