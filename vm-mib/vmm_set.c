#include "vmm_set.h"

#include <stdlib.h>
#include <libvirt/virterror.h>

#include "vmm_conn.h"
#include "vmm_tokens.h"

#define UNDO_KEY "vm_mib:undo"

bool vmm_set_enabled(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req)
{
    if (vmm_tokens_config()->writable)
        return true;
    netsnmp_set_request_error(reqinfo, req, SNMP_ERR_NOTWRITABLE);
    return false;
}

bool vmm_set_check_integer(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     long lo, long hi, long *value)
{
    int rc = netsnmp_check_vb_int_range(req->requestvb, lo, hi);

    if (rc != SNMP_ERR_NOERROR) {
        netsnmp_set_request_error(reqinfo, req, rc);
        return false;
    }
    *value = *req->requestvb->val.integer;
    return true;
}

static void free_undo(void *p)
{
    struct vmm_undo *u = p;

    if (u->dom)
        virDomainFree(u->dom);
    free(u->old_map);
    free(u->new_map);
    free(u);
}

struct vmm_undo *vmm_set_begin(netsnmp_agent_request_info *reqinfo,
                               netsnmp_request_info *req, const unsigned char *uuid)
{
    virConnectPtr conn = vmm_conn_get();
    struct vmm_undo *u;

    if (!conn) {
        vmm_set_refuse(reqinfo, req, SNMP_ERR_RESOURCEUNAVAILABLE, "SET",
                       "libvirt is not connected");
        return NULL;
    }
    if (!(u = calloc(1, sizeof(*u)))) {
        netsnmp_set_request_error(reqinfo, req, SNMP_ERR_RESOURCEUNAVAILABLE);
        return NULL;
    }
    if (!(u->dom = virDomainLookupByUUID(conn, uuid))) {
        free(u);
        vmm_set_refuse(reqinfo, req, SNMP_ERR_INCONSISTENTVALUE, "SET",
                       "the machine no longer exists");
        return NULL;
    }
    netsnmp_request_add_list_data(req, netsnmp_create_data_list(UNDO_KEY, u, free_undo));
    return u;
}

struct vmm_undo *vmm_set_undo(netsnmp_request_info *req)
{
    return netsnmp_request_get_list_data(req, UNDO_KEY);
}

void vmm_set_refuse(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                    int error, const char *what, const char *why)
{
    snmp_log(LOG_INFO, "vm_mib: %s refused: %s\n", what, why);
    netsnmp_set_request_error(reqinfo, req, error);
}

void vmm_set_failed(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                    int error, const char *what)
{
    const char *msg = virGetLastErrorMessage();

    snmp_log(LOG_WARNING, "vm_mib: %s failed: %s\n", what, msg ? msg : "unknown error");
    netsnmp_set_request_error(reqinfo, req, error);
}
