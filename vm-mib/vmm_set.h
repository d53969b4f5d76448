/* vmm_set: what the writable columns (vmMibWritable yes) share: the write
 * switch, the live domain behind a row, the record of what a SET did (for
 * UNDO), and error reporting with libvirt's message in the log.
 *
 * Phases: RESERVE1 checks type and range, RESERVE2 looks the machine up
 * live and checks that the change is possible now — so a PDU is validated
 * whole before any libvirt call —, ACTION makes the reversible changes and
 * UNDO reverts them, COMMIT makes the irreversible ones and expires the
 * cache so that the next GET shows the result. */
#ifndef VMM_SET_H
#define VMM_SET_H

#include <stdbool.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/libvirt.h>

/* The record of one varbind's change, kept on the request. */
struct vmm_undo {
    virDomainPtr dom;
    int action;                     /* vmm_control action (vmAdminState) */
    unsigned long long old, value;  /* vCPUs / KiB before and requested */
    unsigned vcpu;                  /* vmCpuAffinity: the vCPU and its maps */
    unsigned char *old_map, *new_map;
    int map_len;
    bool done;                      /* ACTION made the change */
};

/* RESERVE1: false (and notWritable set) when writes are off. */
bool vmm_set_enabled(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req);

/* RESERVE1: INTEGER in lo..hi, else wrongType / wrongValue; returns the value. */
bool vmm_set_check_integer(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     long lo, long hi, long *value);

/* RESERVE2: the live domain of uuid in a new undo record attached to req,
 * or NULL with resourceUnavailable (no read-write libvirt) or
 * inconsistentValue (machine gone) set. */
struct vmm_undo *vmm_set_begin(netsnmp_agent_request_info *reqinfo,
                               netsnmp_request_info *req, const unsigned char *uuid);
struct vmm_undo *vmm_set_undo(netsnmp_request_info *req);

/* Set error on req and log why (with libvirt's last message if libvirt). */
void vmm_set_refuse(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                    int error, const char *what, const char *why);
void vmm_set_failed(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                    int error, const char *what);

#endif
