/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/statefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/uuid.h"

#define OPER_MIN 4                  /* running(4) .. crashed(12): announced states */
#define OPER_MAX 12
#define PERSISTENT_MAX 3

struct saving {
    void (*emit)(const char *line, void *ctx);
    void *ctx;
};

static void save_one(const struct vmm_tracked *m, void *ctx)
{
    const struct saving *s = ctx;
    char line[VMM_STATEFILE_LINE_MAX], uuid[VMM_UUID_TEXT_LEN];
    const char *name = m->name ? m->name : "";
    size_t len = vmm_text_utf8_cut(name, VMM_ADMIN_STRING_MAX);
    int n;

    vmm_uuid_format(m->uuid, uuid);
    n = snprintf(line, sizeof(line), "vm %s %d %d %s", uuid, m->oper, m->persistent,
                 len ? "" : "-");
    for (size_t i = 0; i < len; i++)
        n += snprintf(line + n, sizeof(line) - (size_t)n, "%02x", (unsigned char)name[i]);
    s->emit(line, s->ctx);
}

void vmm_statefile_save(const struct vmm_tracker *t, const char *uri,
                        void (*emit)(const char *line, void *ctx), void *ctx)
{
    struct saving s = { emit, ctx };
    char line[VMM_STATEFILE_LINE_MAX];

    if (!vmm_tracker_seeded(t) || strpbrk(uri, "\r\n") ||
        snprintf(line, sizeof(line), "uri %s", uri) >= (int)sizeof(line))
        return;
    emit(line, ctx);
    vmm_tracker_each(t, save_one, &s);
}

/* NAME as saved; false for odd length, a non-hex digit or a NUL octet. */
static bool unhex(const char *hex, char *out, size_t size)
{
    size_t len = strlen(hex), i;

    if (strcmp(hex, "-") == 0) {
        out[0] = '\0';
        return true;
    }
    if (len == 0 || len % 2 || len / 2 >= size)
        return false;
    for (i = 0; i < len / 2; i++) {
        int hi = vmm_text_hex_digit(hex[2 * i]), lo = vmm_text_hex_digit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return false;
        out[i] = (char)(hi << 4 | lo);
    }
    out[i] = '\0';
    return true;
}

static bool load_vm(struct vmm_statefile_load *ld, const char *rest)
{
    char uuid_text[VMM_UUID_TEXT_LEN], hex[VMM_STATEFILE_LINE_MAX], name[VMM_ADMIN_STRING_MAX + 1];
    unsigned char uuid[VMM_UUID_LEN];
    int oper, persistent, end = 0;

    if (sscanf(rest, "%36s %d %d %559s %n", uuid_text, &oper, &persistent, hex, &end) != 4 ||
        rest[end] != '\0' || vmm_uuid_parse(uuid_text, uuid) < 0 || oper < OPER_MIN ||
        oper > OPER_MAX || persistent < 1 || persistent > PERSISTENT_MAX ||
        !unhex(hex, name, sizeof(name)))
        return false;
    if (!ld->t && !(ld->t = vmm_tracker_new()))
        return false;
    return vmm_tracker_restore(ld->t, uuid, name, oper, persistent);
}

bool vmm_statefile_load_line(struct vmm_statefile_load *ld, const char *line)
{
    bool ok = false;

    if (strncmp(line, "uri ", 4) == 0 && !ld->uri)
        ok = (ld->uri = strdup(line + 4)) != NULL;
    else if (strncmp(line, "vm ", 3) == 0)
        ok = load_vm(ld, line + 3);
    if (!ok)
        ld->bad++;
    return ok;
}

struct vmm_tracker *vmm_statefile_load_end(struct vmm_statefile_load *ld, char **uri)
{
    struct vmm_tracker *t = ld->t;

    *uri = ld->uri;
    ld->uri = NULL;
    ld->t = NULL;
    if (*uri && !t)
        t = vmm_tracker_new();
    if (!*uri || !t) {
        vmm_tracker_free(t);
        free(*uri);
        *uri = NULL;
        return NULL;
    }
    vmm_tracker_mark_seeded(t);
    return t;
}
