/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/container.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/thread.h"

static int table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
                         netsnmp_agent_request_info *reqinfo,
                         netsnmp_request_info *req)
{
    const struct vmm_container *t = reg->my_reg_void;
    bool set = MODE_IS_SET(reqinfo->mode);

    (void)handler;
    if (reqinfo->mode != MODE_GET && !(set && t->set))
        return SNMP_ERR_NOERROR;
    for (; req; req = req->next) {
        const void *row;
        netsnmp_table_request_info *ti;
        int rc;

        if (req->processed)
            continue;
        row = netsnmp_container_table_row_extract(req);
        ti = netsnmp_extract_table_info(req);
        if (set) {
            if (row && ti)
                t->set(reqinfo->mode, reqinfo, req, row, ti->colnum);
            continue;
        }
        rc = row && ti ? t->column(row, ti->colnum, req->requestvb) : (int)SNMP_NOSUCHINSTANCE;
        if (rc != SNMP_ERR_NOERROR)
            netsnmp_set_request_error(reqinfo, req, rc);
    }
    return SNMP_ERR_NOERROR;
}

/* The column of a SET's name, 0 when it names none (the table or entry). */
static unsigned column_of(const struct vmm_container *t, const netsnmp_variable_list *var)
{
    if (var->name_length <= t->oidlen + 1 || var->name[t->oidlen] != 1 ||
        var->name[t->oidlen + 1] >= sizeof(t->set_columns) * 8)
        return 0;
    return (unsigned)var->name[t->oidlen + 1];
}

/* RFC 3416 4.2.5 decides by the object before the instance: a column that
 * never accepts a SET (read-only, the not-accessible indexes, every column
 * while writes are off) answers notWritable (step 2), also for a missing
 * row or a malformed index; only a column that does accept SETs goes on to
 * noCreation for a missing row (step 7, Net-SNMP's table and container
 * helpers) and resourceUnavailable (step 11: with libvirt unreachable the
 * emptied tables would say noCreation).  So it runs first, before the
 * table helper. */
static int set_gate(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
                    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *reqs)
{
    const struct vmm_container *t = reg->my_reg_void;
    bool left = false;

    if (reqinfo->mode != MODE_SET_RESERVE1)
        return netsnmp_call_next_handler(handler, reg, reqinfo, reqs);
    for (netsnmp_request_info *req = reqs; req; req = req->next) {
        int refusal = SNMP_ERR_NOTWRITABLE;

        if (req->processed)
            continue;
        if (t->set_columns & VMM_COLUMN(column_of(t, req->requestvb)))
            refusal = t->hooks->set_refusal ? t->hooks->set_refusal() : SNMP_ERR_NOERROR;
        if (refusal != SNMP_ERR_NOERROR)
            netsnmp_set_request_error(reqinfo, req, refusal);
        else
            left = true;
    }
    return left ? netsnmp_call_next_handler(handler, reg, reqinfo, reqs) : SNMP_ERR_NOERROR;
}

static int inject(netsnmp_handler_registration *reg, netsnmp_mib_handler *h)
{
    if (h && netsnmp_inject_handler(reg, h) == SNMPERR_SUCCESS)
        return 0;
    netsnmp_handler_free(h);
    return -1;
}

/* Handlers run outermost first: the table helper, the front (parking), the
 * container, then table_handler; a writable table has set_gate in front of
 * them all. */
static int inject_handlers(struct vmm_container *t, netsnmp_mib_handler *container)
{
    return inject(t->reg, container) < 0 ||
           (t->hooks->front && inject(t->reg, t->hooks->front()) < 0) ||
           inject(t->reg, netsnmp_get_table_handler(t->info)) < 0 ||
           (t->set && inject(t->reg, netsnmp_create_handler("vm_mib:set_gate", set_gate)) < 0)
           ? -1 : 0;
}

int vmm_container_register(struct vmm_container *t, const struct vmm_container_hooks *hooks)
{
    netsnmp_table_registration_info *info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);

    t->hooks = hooks;
    t->info = info;
    t->reg = netsnmp_create_handler_registration(t->name, table_handler, t->oid, t->oidlen,
        t->set ? HANDLER_CAN_RWRITE | HANDLER_CAN_NOT_CREATE : HANDLER_CAN_RONLY);
    t->container = netsnmp_container_find("vm_mib:table_container");
    if (!info || !t->reg || !t->container)
        goto fail;
    t->reg->my_reg_void = t;
    for (unsigned i = 0; i < t->nindexes; i++)
        netsnmp_table_helper_add_index(info, ASN_INTEGER);
    info->min_column = t->min_column;
    info->max_column = t->max_column;
    if (inject_handlers(t, netsnmp_container_table_handler_get(
            info, t->container, TABLE_CONTAINER_KEY_NETSNMP_INDEX)) < 0)
        goto fail;
    /* netsnmp_register_handler frees reg (and the container) on failure. */
    if (netsnmp_register_handler(t->reg) != MIB_REGISTERED_OK) {
        t->reg = NULL;
        t->container = NULL;
        return -1;
    }
    return 0;
fail:
    if (t->reg)
        netsnmp_handler_registration_free(t->reg);
    t->reg = NULL;
    return -1;
}

void vmm_container_unregister(struct vmm_container *t)
{
    if (t->reg)
        netsnmp_container_table_unregister(t->reg);
    else if (t->container)
        CONTAINER_FREE(t->container);
    t->reg = NULL;
    t->container = NULL;
    if (t->info)
        netsnmp_table_registration_info_free(t->info);
    t->info = NULL;
    free(t->rows);
    free(t->staged);
    t->rows = t->staged = NULL;
    t->nrows = t->nstaged = t->staged_capacity = 0;
}

void vmm_container_clear(struct vmm_container *t)
{
    if (t->container)
        CONTAINER_CLEAR(t->container, NULL, NULL);
    t->nrows = 0;
}

int vmm_container_reserve(struct vmm_container *t, size_t n)
{
    char *grown;

    t->nstaged = 0;
    if (n <= t->staged_capacity)
        return 0;
    if (!(grown = realloc(t->staged, n * t->row_size)))
        return -1;
    t->staged = grown;
    t->staged_capacity = n;
    return 0;
}

void *vmm_container_add(struct vmm_container *t, const oid *idx)
{
    struct vmm_container_row *row;

    if (t->nstaged >= t->staged_capacity)
        return NULL;
    row = (struct vmm_container_row *)(t->staged + t->nstaged++ * t->row_size);
    memset(row, 0, t->row_size);
    memcpy(row->idx, idx, t->nindexes * sizeof(oid));
    row->key.len = t->nindexes;
    return row;
}

static bool same_indexes(const struct vmm_container *t)
{
    if (t->nstaged != t->nrows)
        return false;
    for (size_t i = 0; i < t->nrows; i++) {
        const struct vmm_container_row *a = (const void *)(t->rows + i * t->row_size);
        const struct vmm_container_row *b = (const void *)(t->staged + i * t->row_size);

        if (memcmp(a->idx, b->idx, t->nindexes * sizeof(oid)) != 0)
            return false;
    }
    return true;
}

/* Rows point at themselves (key.oids); set after every copy or move. */
static void point_keys(char *rows, size_t n, size_t row_size)
{
    for (size_t i = 0; i < n; i++) {
        struct vmm_container_row *row = (struct vmm_container_row *)(rows + i * row_size);

        row->key.oids = row->idx;
    }
}

/* The staging array is let go after each refill: between snapshots it
 * would only double the rows' memory. */
void vmm_container_publish(struct vmm_container *t)
{
    vmm_thread_assert_main(__func__);
    if (same_indexes(t)) {
        if (t->nrows)               /* both NULL when empty: no memcpy then */
            memcpy(t->rows, t->staged, t->nrows * t->row_size);
        point_keys(t->rows, t->nrows, t->row_size);
        free(t->staged);
    } else {
        vmm_container_clear(t);
        free(t->rows);
        t->rows = t->staged;
        t->nrows = t->nstaged;
        point_keys(t->rows, t->nrows, t->row_size);
        for (size_t i = 0; i < t->nrows; i++)
            CONTAINER_INSERT(t->container, t->rows + i * t->row_size);
    }
    t->staged = NULL;
    t->nstaged = t->staged_capacity = 0;
}
