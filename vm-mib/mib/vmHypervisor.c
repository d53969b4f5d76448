/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "mib/vmHypervisor.h"

#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/container.h"
#include "agent/value.h"
#include "core/clock.h"
#include "core/snapshot.h"
#include "mib/vmMIB.h"

/* Fills var; returns SNMP_ERR_NOERROR or SNMP_NOSUCHINSTANCE. */
typedef int scalar_get(netsnmp_variable_list *var);

struct scalar {
    const char *name;
    oid oid[10];
    size_t oidlen;
    scalar_get *get;                /* NULL: a read-write TruthValue */
    long *truth;
    netsnmp_handler_registration *reg;
};

static long pervm_enabled = TV_TRUE, bulk_enabled = TV_FALSE;
static const struct vmm_scalar_source *source;

static int set_string(netsnmp_variable_list *var, const char *s)
{
    if (!s)
        return SNMP_NOSUCHINSTANCE;
    vmm_value_admin_string(var, s);
    return SNMP_ERR_NOERROR;
}

static int get_hv_software(netsnmp_variable_list *var)
{
    const struct vmm_snapshot *snap = source->snapshot();

    return set_string(var, snap ? snap->hv_software : NULL);
}

static int get_hv_version(netsnmp_variable_list *var)
{
    const struct vmm_snapshot *snap = source->snapshot();

    return set_string(var, snap ? snap->hv_version : NULL);
}

/* No OID is registered for any libvirt hypervisor: zeroDotZero, as the MIB
 * asks for when the identity is unknown. */
static int get_hv_object_id(netsnmp_variable_list *var)
{
    static const oid zero_dot_zero[] = { 0, 0 };

    snmp_set_var_typed_value(var, ASN_OBJECT_ID, zero_dot_zero,
                             sizeof(zero_dot_zero));
    return SNMP_ERR_NOERROR;
}

static int get_hv_uptime(netsnmp_variable_list *var)
{
    vmm_value_ticks(var, vmm_clock_uptime_ticks());
    return SNMP_ERR_NOERROR;
}

static int get_vm_number(netsnmp_variable_list *var)
{
    const struct vmm_snapshot *snap = source->snapshot();

    if (!snap)
        return SNMP_NOSUCHINSTANCE;
    vmm_value_integer(var, vmm_value_int32_or_max(snap->nmachines));
    return SNMP_ERR_NOERROR;
}

static int get_table_last_change(netsnmp_variable_list *var)
{
    vmm_value_ticks(var, source->last_change());
    return SNMP_ERR_NOERROR;
}

static struct scalar scalars[] = {
    { "vmHvSoftware", { VMM_OBJECTS_OID, 1, 1 }, VMM_OBJECTS_LEN + 2, get_hv_software, NULL, NULL },
    { "vmHvVersion", { VMM_OBJECTS_OID, 1, 2 }, VMM_OBJECTS_LEN + 2, get_hv_version, NULL, NULL },
    { "vmHvObjectID", { VMM_OBJECTS_OID, 1, 3 }, VMM_OBJECTS_LEN + 2, get_hv_object_id, NULL, NULL },
    { "vmHvUpTime", { VMM_OBJECTS_OID, 1, 4 }, VMM_OBJECTS_LEN + 2, get_hv_uptime, NULL, NULL },
    { "vmNumber", { VMM_OBJECTS_OID, 2 }, VMM_OBJECTS_LEN + 1, get_vm_number, NULL, NULL },
    { "vmTableLastChange", { VMM_OBJECTS_OID, 3 }, VMM_OBJECTS_LEN + 1, get_table_last_change, NULL, NULL },
    { "vmPerVMNotificationsEnabled", { VMM_OBJECTS_OID, 9 }, VMM_OBJECTS_LEN + 1, NULL, &pervm_enabled, NULL },
    { "vmBulkNotificationsEnabled", { VMM_OBJECTS_OID, 10 }, VMM_OBJECTS_LEN + 1, NULL, &bulk_enabled, NULL },
};
#define NSCALARS (sizeof(scalars) / sizeof(scalars[0]))

static int read_only_handler(netsnmp_mib_handler *handler,
                             netsnmp_handler_registration *reg,
                             netsnmp_agent_request_info *reqinfo,
                             netsnmp_request_info *req)
{
    const struct scalar *sc = reg->my_reg_void;

    (void)handler;
    if (reqinfo->mode != MODE_GET)
        return SNMP_ERR_GENERR;
    for (; req; req = req->next) {
        int rc = sc->get(req->requestvb);

        if (rc != SNMP_ERR_NOERROR)
            netsnmp_set_request_error(reqinfo, req, rc);
    }
    return SNMP_ERR_NOERROR;
}

/* The value before this PDU's SET, kept on the request for UNDO. */
static void remember_old(netsnmp_request_info *req, long old)
{
    long *copy = malloc(sizeof(*copy));

    if (!copy)
        return;
    *copy = old;
    netsnmp_request_add_list_data(req,
        netsnmp_create_data_list("vm_mib:old", copy, free));
}

static void truth_request(const struct scalar *sc, int mode,
                          netsnmp_agent_request_info *reqinfo,
                          netsnmp_request_info *req)
{
    netsnmp_variable_list *var = req->requestvb;
    long *old;
    int rc;

    switch (mode) {
    case MODE_GET:
        vmm_value_integer(var, *sc->truth);
        break;
    case MODE_SET_RESERVE1:
        rc = netsnmp_check_vb_truthvalue(var);
        if (rc != SNMP_ERR_NOERROR)
            netsnmp_set_request_error(reqinfo, req, rc);
        break;
    case MODE_SET_ACTION:
        remember_old(req, *sc->truth);
        *sc->truth = *var->val.integer;
        break;
    case MODE_SET_UNDO:
        old = netsnmp_request_get_list_data(req, "vm_mib:old");
        if (old)
            *sc->truth = *old;
        break;
    case MODE_SET_COMMIT:
        snmp_log(LOG_INFO, "vm_mib: %s set to %s\n", sc->name,
                 *sc->truth == TV_TRUE ? "true" : "false");
        break;
    default:
        break;
    }
}

static int truth_handler(netsnmp_mib_handler *handler,
                         netsnmp_handler_registration *reg,
                         netsnmp_agent_request_info *reqinfo,
                         netsnmp_request_info *req)
{
    (void)handler;
    for (; req; req = req->next)
        truth_request(reg->my_reg_void, reqinfo->mode, reqinfo, req);
    return SNMP_ERR_NOERROR;
}

static int register_one(struct scalar *sc, const struct vmm_container_hooks *hooks)
{
    netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
        sc->name, sc->get ? read_only_handler : truth_handler, sc->oid,
        sc->oidlen, sc->get ? HANDLER_CAN_RONLY : HANDLER_CAN_RWRITE);

    if (!reg)
        return -1;
    reg->my_reg_void = sc;
    /* The switches live in the agent; only libvirt's objects need a snapshot. */
    if (sc->get && hooks->front &&
        netsnmp_inject_handler(reg, hooks->front()) != SNMPERR_SUCCESS) {
        netsnmp_handler_registration_free(reg);
        return -1;
    }
    if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
        return -1;             /* netsnmp_register_scalar freed reg */
    sc->reg = reg;
    return 0;
}

int vmm_vmHypervisor_register(const struct vmm_scalar_source *src,
                         const struct vmm_container_hooks *hooks)
{
    source = src;
    for (size_t i = 0; i < NSCALARS; i++) {
        if (register_one(&scalars[i], hooks) < 0) {
            snmp_log(LOG_ERR, "vm_mib: cannot register %s\n", scalars[i].name);
            return -1;
        }
    }
    return 0;
}

void vmm_vmHypervisor_unregister(void)
{
    for (size_t i = 0; i < NSCALARS; i++) {
        if (scalars[i].reg)
            netsnmp_unregister_handler(scalars[i].reg);
        scalars[i].reg = NULL;
    }
}

void vmm_vmHypervisor_set_notifications(bool pervm, bool bulk)
{
    pervm_enabled = pervm ? TV_TRUE : TV_FALSE;
    bulk_enabled = bulk ? TV_TRUE : TV_FALSE;
}

bool vmm_vmHypervisor_pervm_enabled(void)
{
    return pervm_enabled == TV_TRUE;
}

bool vmm_vmHypervisor_bulk_enabled(void)
{
    return bulk_enabled == TV_TRUE;
}
