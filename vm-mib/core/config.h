/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/config: the vmMib* snmpd.conf tokens as plain C.
 *
 * Parsing is kept apart from Net-SNMP's config API so that every accepted and
 * rejected value can be unit-tested; agent/tokens wires these parsers into
 * snmpd.conf handling. */
#ifndef VMM_CONFIG_H
#define VMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define VMM_URI_MAX 1024
#define VMM_CACHE_TIMEOUT_MAX 86400  /* one day */
#define VMM_BULK_WINDOW_MAX 60000    /* one minute, in ms */
#define VMM_REFRESH_WAIT_MAX 10000   /* ms */
#define VMM_STALE_GRACE_MAX 86400    /* one day */

struct vmm_config {
    char uri[VMM_URI_MAX];
    int cache_timeout;               /* seconds; 0 = read libvirt per request */
    bool writable;
    bool pervm_notifications;
    bool bulk_notifications;
    int bulk_window_ms;
    int refresh_wait_ms;             /* how long a request waits for a fresh snapshot */
    int stale_grace;                 /* seconds the last snapshot outlives a lost connection */
};

/* Parses value into the field of a struct vmm_config; NULL on success,
 * else the reason (possibly written into why[whylen]). */
typedef const char *vmm_token_parser(const char *value, long max, void *field,
                                     char *why, size_t whylen);

/* One entry per snmpd.conf token, in the order vm_mib(8) (TOKENS) lists them. */
struct vmm_token {
    const char *name;
    const char *help;               /* snmpd -H */
    vmm_token_parser *parse;
    size_t field;                   /* offsetof(struct vmm_config, ...) */
    long max;                       /* numbers: the largest value accepted */
};

extern const struct vmm_token vmm_config_tokens[];
extern const size_t vmm_config_ntokens;

/* Fill in the documented defaults.  The URI default is $LIBVIRT_DEFAULT_URI,
 * else qemu:///system (never libvirt's per-user default). */
void vmm_config_defaults(struct vmm_config *cfg);

/* Apply one "token value" line.  Returns NULL on success; otherwise a
 * message for config_perror() (possibly written into why[whylen]) and cfg
 * is left unchanged. */
const char *vmm_config_apply(struct vmm_config *cfg, const char *token,
                             const char *value, char *why, size_t whylen);

#endif
