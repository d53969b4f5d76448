/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/container: what the five VM-MIB tables share.
 *
 * Each table is a table_container (a sorted array: O(log n) per varbind for
 * GET and GETNEXT) behind the one vm_mib cache.  Rows live in an array that
 * the table file fills from each snapshot; the container only points at
 * them.  A table file supplies its rows and one function that renders a
 * column of a row.
 *
 * Refilling runs on snmpd's thread for every new snapshot, so it is kept
 * cheap: rows are written to a staging array, and when they have the same
 * indexes in the same order as the rows served — the usual case, the same
 * machines with new values — they are copied over them and the container
 * is left as it is.  Only a changed set of rows rebuilds the container. */
#ifndef VMM_CONTAINER_H
#define VMM_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define VMM_MAX_INDEXES 3

/* Every row begins with this; all VM-MIB indexes are Integer32. */
struct vmm_container_row {
    netsnmp_index key;
    oid idx[VMM_MAX_INDEXES];
};

/* Renders column col of row into var; returns SNMP_ERR_NOERROR or
 * SNMP_NOSUCHINSTANCE. */
typedef int vmm_container_column_fn(const void *row, unsigned col, netsnmp_variable_list *var);

/* SET modes of a writable table (the draft-05 control extension); rows and
 * table info are extracted as for GET. */
typedef void vmm_container_set_fn(int mode, netsnmp_agent_request_info *reqinfo,
                        netsnmp_request_info *req, const void *row, unsigned col);

/* What the generic code needs from the module, given at registration (wired
 * in vm_mib.c): the handler put in front of every registration that serves
 * libvirt's data (the cache's parking; NULL: none), and what a SET of a
 * column that accepts SETs gets right now, before its row is looked at:
 * SNMP_ERR_NOERROR to go on, or the error (NULL: always go on). */
struct vmm_container_hooks {
    netsnmp_mib_handler *(*front)(void);
    int (*set_refusal)(void);
};

/* A column in vmm_container.set_columns. */
#define VMM_COLUMN(c) (1UL << (c))

struct vmm_container {
    const char *name;
    oid oid[10];
    size_t oidlen;
    unsigned nindexes;
    unsigned min_column, max_column;
    vmm_container_column_fn *column;
    vmm_container_set_fn *set;                /* NULL: read-only */
    unsigned long set_columns;      /* VMM_COLUMN()s that accept a SET */
    size_t row_size;                /* bytes per row, struct vmm_container_row first */
    /* set by vmm_container_register / vmm_container_reserve */
    const struct vmm_container_hooks *hooks;
    netsnmp_handler_registration *reg;
    netsnmp_table_registration_info *info;  /* not owned by the handler chain */
    netsnmp_container *container;
    char *rows;                     /* served: the container points here */
    size_t nrows;
    char *staged;                   /* being filled */
    size_t nstaged, staged_capacity;
};

int vmm_container_register(struct vmm_container *t, const struct vmm_container_hooks *hooks);
void vmm_container_unregister(struct vmm_container *t);

/* Empty the table (no snapshot any more). */
void vmm_container_clear(struct vmm_container *t);
/* Refill: reserve room for at most n rows, add them, publish. */
int vmm_container_reserve(struct vmm_container *t, size_t n);
/* A new row with the given index values, or NULL if the reservation is full. */
void *vmm_container_add(struct vmm_container *t, const oid *idx);
/* Serve the rows added since vmm_container_reserve. */
void vmm_container_publish(struct vmm_container *t);

#endif
