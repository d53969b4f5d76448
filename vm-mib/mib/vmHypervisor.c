#include "mib/vmHypervisor.h"

#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/cache.h"
#include "core/clock.h"
#include "agent/value.h"

#define VM_OBJECTS 1, 3, 6, 1, 2, 1, 236, 1
#define TV_TRUE 1
#define TV_FALSE 2

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

static int set_string(netsnmp_variable_list *var, const char *s)
{
    if (!s)
        return SNMP_NOSUCHINSTANCE;
    vmm_set_admin_string(var, s);
    return SNMP_ERR_NOERROR;
}

static int get_hv_software(netsnmp_variable_list *var)
{
    const struct vmm_snapshot *snap = vmm_cache_snapshot();

    return set_string(var, snap ? snap->hv_software : NULL);
}

static int get_hv_version(netsnmp_variable_list *var)
{
    const struct vmm_snapshot *snap = vmm_cache_snapshot();

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
    vmm_set_ticks(var, vmm_hv_uptime_ticks());
    return SNMP_ERR_NOERROR;
}

static int get_vm_number(netsnmp_variable_list *var)
{
    const struct vmm_snapshot *snap = vmm_cache_snapshot();

    if (!snap)
        return SNMP_NOSUCHINSTANCE;
    vmm_set_integer(var, vmm_int32_or_max(snap->nmachines));
    return SNMP_ERR_NOERROR;
}

static int get_table_last_change(netsnmp_variable_list *var)
{
    vmm_set_ticks(var, vmm_cache_last_change());
    return SNMP_ERR_NOERROR;
}

static struct scalar scalars[] = {
    { "vmHvSoftware", { VM_OBJECTS, 1, 1 }, 10, get_hv_software, NULL, NULL },
    { "vmHvVersion", { VM_OBJECTS, 1, 2 }, 10, get_hv_version, NULL, NULL },
    { "vmHvObjectID", { VM_OBJECTS, 1, 3 }, 10, get_hv_object_id, NULL, NULL },
    { "vmHvUpTime", { VM_OBJECTS, 1, 4 }, 10, get_hv_uptime, NULL, NULL },
    { "vmNumber", { VM_OBJECTS, 2 }, 9, get_vm_number, NULL, NULL },
    { "vmTableLastChange", { VM_OBJECTS, 3 }, 9, get_table_last_change, NULL, NULL },
    { "vmPerVMNotificationsEnabled", { VM_OBJECTS, 9 }, 9, NULL, &pervm_enabled, NULL },
    { "vmBulkNotificationsEnabled", { VM_OBJECTS, 10 }, 9, NULL, &bulk_enabled, NULL },
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
        vmm_set_integer(var, *sc->truth);
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

static int register_one(struct scalar *sc)
{
    netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
        sc->name, sc->get ? read_only_handler : truth_handler, sc->oid,
        sc->oidlen, sc->get ? HANDLER_CAN_RONLY : HANDLER_CAN_RWRITE);

    if (!reg)
        return -1;
    reg->my_reg_void = sc;
    /* The switches live in the agent; only libvirt's objects need a snapshot. */
    if (sc->get && netsnmp_inject_handler(reg, vmm_cache_handler()) != SNMPERR_SUCCESS) {
        netsnmp_handler_registration_free(reg);
        return -1;
    }
    if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK)
        return -1;             /* netsnmp_register_scalar freed reg */
    sc->reg = reg;
    return 0;
}

int vmm_scalars_register(void)
{
    for (size_t i = 0; i < NSCALARS; i++) {
        if (register_one(&scalars[i]) < 0) {
            snmp_log(LOG_ERR, "vm_mib: cannot register %s\n", scalars[i].name);
            return -1;
        }
    }
    return 0;
}

void vmm_scalars_unregister(void)
{
    for (size_t i = 0; i < NSCALARS; i++) {
        if (scalars[i].reg)
            netsnmp_unregister_handler(scalars[i].reg);
        scalars[i].reg = NULL;
    }
}

void vmm_scalars_set_notifications(bool pervm, bool bulk)
{
    pervm_enabled = pervm ? TV_TRUE : TV_FALSE;
    bulk_enabled = bulk ? TV_TRUE : TV_FALSE;
}

bool vmm_pervm_notifications_enabled(void)
{
    return pervm_enabled == TV_TRUE;
}

bool vmm_bulk_notifications_enabled(void)
{
    return bulk_enabled == TV_TRUE;
}
