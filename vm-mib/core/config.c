/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static const char *parse_bool(const char *value, long max, void *field, char *why,
                              size_t whylen)
{
    static const char *const yes[] = { "yes", "true", "on", "1" };
    static const char *const no[] = { "no", "false", "off", "0" };
    size_t len = word_length(value);
    bool *out = field;

    (void)max; (void)why; (void)whylen;
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

static const char *parse_int(const char *value, long max, void *field, char *why,
                             size_t whylen)
{
    int *out = field;
    char *end;
    long v;

    if (!isdigit((unsigned char)*value))
        return "expected a non-negative whole number";
    errno = 0;
    v = strtol(value, &end, 10);
    if (errno == ERANGE || v > max) {
        snprintf(why, whylen, "value out of range 0..%ld", max);
        return why;
    }
    if (!only_blanks(end))
        return "expected a non-negative whole number";
    *out = (int)v;
    return NULL;
}

/* A libvirt URI starts with a scheme ("qemu:", "test+unix:") and is one word. */
static const char *parse_uri(const char *value, long max, void *field, char *why,
                             size_t whylen)
{
    size_t len = word_length(value), i = 0;
    char *out = field;

    (void)why; (void)whylen;
    if (len == 0)
        return "expected a libvirt URI such as qemu:///system";
    if (!only_blanks(value + len))
        return "a libvirt URI is a single word";
    if (len >= (size_t)max)
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

#define FIELD(f) offsetof(struct vmm_config, f)

const struct vmm_token vmm_config_tokens[] = {
    { "vmMibUri", "libvirt-URI", parse_uri, FIELD(uri), VMM_URI_MAX },
    { "vmMibCacheTimeout", "seconds (0 = read libvirt for every request)", parse_int,
      FIELD(cache_timeout), VMM_CACHE_TIMEOUT_MAX },
    { "vmMibWritable", "yes|no", parse_bool, FIELD(writable), 0 },
    { "vmMibPerVmNotifications", "yes|no", parse_bool, FIELD(pervm_notifications), 0 },
    { "vmMibBulkNotifications", "yes|no", parse_bool, FIELD(bulk_notifications), 0 },
    { "vmMibBulkWindow", "milliseconds", parse_int, FIELD(bulk_window_ms),
      VMM_BULK_WINDOW_MAX },
    { "vmMibRefreshWait", "milliseconds (0-10000)", parse_int, FIELD(refresh_wait_ms),
      VMM_REFRESH_WAIT_MAX },
    { "vmMibStaleGrace", "seconds (0 = no grace)", parse_int, FIELD(stale_grace),
      VMM_STALE_GRACE_MAX },
};
const size_t vmm_config_ntokens = sizeof(vmm_config_tokens) / sizeof(vmm_config_tokens[0]);

const char *vmm_config_apply(struct vmm_config *cfg, const char *token,
                             const char *value, char *why, size_t whylen)
{
    if (!value)
        value = "";
    while (isspace((unsigned char)*value))
        value++;
    for (size_t i = 0; i < vmm_config_ntokens; i++) {
        const struct vmm_token *t = &vmm_config_tokens[i];

        if (strcmp(token, t->name) == 0)
            return t->parse(value, t->max, (char *)cfg + t->field, why, whylen);
    }
    return "unknown vm_mib token";
}
