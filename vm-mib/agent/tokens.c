#include "agent/tokens.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

static struct vmm_config cfg;
static void (*config_done)(void);

static const char *const help[] = {
    "libvirt-URI",
    "seconds (0 = read libvirt for every request)",
    "yes|no",
    "yes|no",
    "yes|no",
    "milliseconds",
    "milliseconds (0-10000)",
    "seconds (0 = no grace)",
};

static void parse_token(const char *token, char *line)
{
    const char *err = vmm_config_apply(&cfg, token, line);

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
        register_app_config_handler(vmm_config_tokens[i], parse_token, NULL,
                                    help[i]);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
                           post_read_config, NULL);
}

void vmm_tokens_unregister(void)
{
    snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_POST_READ_CONFIG,
                             post_read_config, NULL, 1);
    for (size_t i = 0; i < vmm_config_ntokens; i++)
        unregister_app_config_handler(vmm_config_tokens[i]);
    config_done = NULL;
}

const struct vmm_config *vmm_tokens_config(void)
{
    return &cfg;
}
