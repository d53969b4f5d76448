/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/park: VM-MIB requests wait for fresh data without stopping snmpd.
 *
 * snmpd's thread never waits for libvirt.  A request that needs a newer
 * snapshot than the module has is parked (a Net-SNMP delegated request):
 * snmpd goes on serving every other PDU, and the request is answered when
 * the owner calls vmm_park_release() with a snapshot read after the request
 * arrived, or from the newest data once it has waited `wait` ms.  The
 * decision is taken once per PDU (the first time any VM-MIB handler sees
 * it), so a PDU — a GETBULK too — is answered from one snapshot.
 *
 * Runs on snmpd's thread only.  Sits in each registration's chain where
 * netsnmp_cache's handler would (below "table", above the container). */
#ifndef VMM_PARK_H
#define VMM_PARK_H

#include <stdbool.h>
#include <stdint.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

struct vmm_park_policy {
    /* May a PDU that arrived at arrival_ms (vmm_clock_now_ms) be answered now? */
    bool (*ready)(uint64_t arrival_ms);
    /* Something was parked: get a snapshot read after now. */
    void (*need_refresh)(void);
};

void vmm_park_init(const struct vmm_park_policy *policy);
void vmm_park_set_wait(int ms);

/* A new parking handler to inject into one registration. */
netsnmp_mib_handler *vmm_park_handler(void);

/* Answer every request parked at or before read_ms (the moment the newest
 * snapshot's read began); UINT64_MAX answers all of them.  Returns how many
 * requests are still parked. */
unsigned vmm_park_release(uint64_t read_ms);

/* deinit: answer everything still parked while the registrations exist. */
void vmm_park_shutdown(void);

/* When the PDU being handled arrived (first seen by a VM-MIB handler);
 * SET phases bound their own waits by it. */
uint64_t vmm_park_pdu_arrival(netsnmp_agent_request_info *reqinfo);

#endif
