#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const vmm_config_tokens[] = {
    "vmMibUri", "vmMibCacheTimeout", "vmMibWritable",
    "vmMibPerVmNotifications", "vmMibBulkNotifications", "vmMibBulkWindow",
    "vmMibRefreshWait", "vmMibStaleGrace",
};
const size_t vmm_config_ntokens =
    sizeof(vmm_config_tokens) / sizeof(vmm_config_tokens[0]);

void vmm_config_defaults(struct vmm_config *cfg)
{
    const char *env = getenv("LIBVIRT_DEFAULT_URI");

    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->uri, sizeof(cfg->uri), "%s",
             env && *env && strlen(env) < sizeof(cfg->uri) ? env
                                                          : "qemu:///system");
    cfg->cache_timeout = 5;
    cfg->writable = false;
    cfg->pervm_notifications = true;
    cfg->bulk_notifications = false;
    cfg->bulk_window_ms = 1000;
    cfg->refresh_wait_ms = 500;
    cfg->stale_grace = 30;
}

/* snmpd hands us the rest of the line; trailing blanks are not part of it. */
static size_t word_length(const char *s)
{
    size_t n = 0;

    while (s[n] && !isspace((unsigned char)s[n]))
        n++;
    return n;
}

static bool only_blanks(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

static const char *parse_bool(const char *value, bool *out)
{
    static const char *const yes[] = { "yes", "true", "on", "1" };
    static const char *const no[] = { "no", "false", "off", "0" };
    size_t len = word_length(value);

    if (len == 0 || !only_blanks(value + len))
        return "expected yes or no";
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strlen(yes[i]) == len && strncasecmp(value, yes[i], len) == 0) {
            *out = true;
            return NULL;
        }
        if (strlen(no[i]) == len && strncasecmp(value, no[i], len) == 0) {
            *out = false;
            return NULL;
        }
    }
    return "expected yes or no";
}

static const char *parse_int(const char *value, long max, int *out)
{
    char *end;
    long v;

    if (!isdigit((unsigned char)*value))
        return "expected a non-negative whole number";
    errno = 0;
    v = strtol(value, &end, 10);
    if (errno == ERANGE || v > max) {
        static char msg[64];

        snprintf(msg, sizeof(msg), "value out of range 0..%ld", max);
        return msg;
    }
    if (!only_blanks(end))
        return "expected a non-negative whole number";
    *out = (int)v;
    return NULL;
}

/* A libvirt URI starts with a scheme ("qemu:", "test+unix:") and is one word. */
static const char *parse_uri(const char *value, char *out, size_t outlen)
{
    size_t len = word_length(value), i = 0;

    if (len == 0)
        return "expected a libvirt URI such as qemu:///system";
    if (!only_blanks(value + len))
        return "a libvirt URI is a single word";
    if (len >= outlen)
        return "URI too long";
    while (i < len && (isalnum((unsigned char)value[i]) || value[i] == '+' ||
                       value[i] == '-' || value[i] == '.'))
        i++;
    if (i == 0 || i == len || value[i] != ':' || !isalpha((unsigned char)*value))
        return "expected a libvirt URI such as qemu:///system";
    memcpy(out, value, len);
    out[len] = '\0';
    return NULL;
}

const char *vmm_config_apply(struct vmm_config *cfg, const char *token,
                             const char *value)
{
    if (!value)
        value = "";
    while (isspace((unsigned char)*value))
        value++;

    if (strcmp(token, "vmMibUri") == 0)
        return parse_uri(value, cfg->uri, sizeof(cfg->uri));
    if (strcmp(token, "vmMibCacheTimeout") == 0)
        return parse_int(value, VMM_CACHE_TIMEOUT_MAX, &cfg->cache_timeout);
    if (strcmp(token, "vmMibWritable") == 0)
        return parse_bool(value, &cfg->writable);
    if (strcmp(token, "vmMibPerVmNotifications") == 0)
        return parse_bool(value, &cfg->pervm_notifications);
    if (strcmp(token, "vmMibBulkNotifications") == 0)
        return parse_bool(value, &cfg->bulk_notifications);
    if (strcmp(token, "vmMibBulkWindow") == 0)
        return parse_int(value, VMM_BULK_WINDOW_MAX, &cfg->bulk_window_ms);
    if (strcmp(token, "vmMibRefreshWait") == 0)
        return parse_int(value, VMM_REFRESH_WAIT_MAX, &cfg->refresh_wait_ms);
    if (strcmp(token, "vmMibStaleGrace") == 0)
        return parse_int(value, VMM_STALE_GRACE_MAX, &cfg->stale_grace);
    return "unknown vm_mib token";
}
