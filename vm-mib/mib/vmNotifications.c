/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "mib/vmNotifications.h"

#include <stdlib.h>
#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "core/state.h"
#include "core/thread.h"
#include "core/vmlist.h"
#include "mib/mib2c/vmTable_columns.h"
#include "mib/mib2c/vmTable_enums.h"
#include "mib/vmHypervisor.h"
#include "mib/vmMIB.h"

#define VM_ENTRY VMM_OBJECTS_OID, 4, 1                  /* vmEntry */
#define KINDS 10                    /* vmRunning(1) .. vmDeleted(10) */
#define KIND_DELETED 10
#define BULK_OFFSET 10              /* vmBulkRunning is 11 */

static const oid snmptrap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static struct vmm_vmlist pending[KINDS + 1];
static unsigned flush_alarm;
static int window_ms = 1000;

/* The notification (1..10) for a machine now in state oper; 0 for states
 * that have none (unknown, other, preparing). */
static int kind_of(int oper)
{
    switch (oper) {
    case VMOPERSTATE_RUNNING:      return 1;
    case VMOPERSTATE_SHUTTINGDOWN: return 2;
    case VMOPERSTATE_SHUTDOWN:     return 3;
    case VMOPERSTATE_PAUSED:       return 4;
    case VMOPERSTATE_SUSPENDING:   return 5;
    case VMOPERSTATE_SUSPENDED:    return 6;
    case VMOPERSTATE_RESUMING:     return 7;
    case VMOPERSTATE_MIGRATING:    return 8;
    case VMOPERSTATE_CRASHED:      return 9;
    default:                       return 0;
    }
}

static void add_trap_oid(netsnmp_variable_list **vars, int kind)
{
    oid trap[] = { VMM_NOTIFICATIONS_OID, (oid)kind };

    snmp_varlist_add_variable(vars, snmptrap_oid, OID_LENGTH(snmptrap_oid), ASN_OBJECT_ID,
                              (const u_char *)trap, sizeof(trap));
}

static void add_column(netsnmp_variable_list **vars, int column, long vm_index,
                       u_char type, const void *value, size_t len)
{
    oid name[] = { VM_ENTRY, (oid)column, (oid)vm_index };

    snmp_varlist_add_variable(vars, name, OID_LENGTH(name), type, value, len);
}

static void send_notification(netsnmp_variable_list *vars)
{
    vmm_thread_assert_main(__func__);
    send_v2trap(vars);
    snmp_free_varbind(vars);
}

static void send_per_vm(long vm_index, const char *name, const unsigned char *uuid,
                        int kind, long old_oper, long persistent)
{
    netsnmp_variable_list *vars = NULL;

    add_trap_oid(&vars, kind);
    add_column(&vars, COLUMN_VMNAME, vm_index, ASN_OCTET_STR, name, strlen(name));
    add_column(&vars, COLUMN_VMUUID, vm_index, ASN_OCTET_STR, uuid, 16);
    add_column(&vars, COLUMN_VMOPERSTATE, vm_index, ASN_INTEGER, &old_oper,
               sizeof(old_oper));
    if (kind == KIND_DELETED)
        add_column(&vars, COLUMN_VMPERSISTENT, vm_index, ASN_INTEGER, &persistent,
                   sizeof(persistent));
    send_notification(vars);
}

static void flush(unsigned reg, void *arg)
{
    static const oid affected[] = { VMM_OBJECTS_OID, 11, 0 };   /* vmAffectedVMs.0 */

    (void)reg; (void)arg;
    flush_alarm = 0;
    for (int kind = 1; kind <= KINDS; kind++) {
        netsnmp_variable_list *vars = NULL;

        if (!pending[kind].len)
            continue;
        if (vmm_vmHypervisor_bulk_enabled()) {
            add_trap_oid(&vars, kind + BULK_OFFSET);
            snmp_varlist_add_variable(&vars, affected, OID_LENGTH(affected), ASN_OCTET_STR,
                                      pending[kind].map, pending[kind].len);
            send_notification(vars);
        }
        vmm_vmlist_clear(&pending[kind]);
    }
}

static void gather(int kind, long vm_index)
{
    if (vmm_vmlist_add(&pending[kind], vm_index) < 0)
        return;
    if (!flush_alarm) {
        struct timeval t = { window_ms / 1000, (window_ms % 1000) * 1000 };

        flush_alarm = snmp_alarm_register_hr(t, 0, flush, NULL);
    }
}

void vmm_vmNotifications_transition(long vm_index, const char *name, const unsigned char *uuid,
                           int old_oper, int new_oper, int persistent, bool deleted)
{
    int kind = deleted ? KIND_DELETED : kind_of(new_oper);

    if (vm_index <= 0 || kind == 0)
        return;
    DEBUGMSGTL(("vm_mib:notify", "vmIndex %ld: %s -> %s%s\n", vm_index,
                vmm_state_oper_name(old_oper), vmm_state_oper_name(new_oper),
                deleted ? " (deleted)" : ""));
    if (vmm_vmHypervisor_pervm_enabled())
        send_per_vm(vm_index, name ? name : "", uuid, kind, old_oper, persistent);
    if (vmm_vmHypervisor_bulk_enabled())
        gather(kind, vm_index);
}

void vmm_vmNotifications_set_window(int ms)
{
    window_ms = ms;
}

void vmm_vmNotifications_shutdown(void)
{
    if (flush_alarm)
        snmp_alarm_unregister(flush_alarm);
    flush_alarm = 0;
    for (int kind = 1; kind <= KINDS; kind++)
        vmm_vmlist_clear(&pending[kind]);
}
