/* vmm_cache: the one netsnmp_cache in front of every VM-MIB object.
 *
 * Its load hook takes one libvirt snapshot; every scalar and table handler
 * reads from that snapshot, so one request costs libvirt at most one
 * refresh and all of its varbinds agree with each other. */
#ifndef VMM_CACHE_H
#define VMM_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "vmm_snapshot.h"

int vmm_cache_init(void);
void vmm_cache_shutdown(void);

/* seconds; 0 = a fresh snapshot for every request. */
void vmm_cache_set_timeout(int seconds);

/* A new cache handler to inject in front of one registration.  Net-SNMP's
 * cache helper loads at most once per request and cache object, however many
 * registrations share it. */
netsnmp_mib_handler *vmm_cache_handler(void);

/* The snapshot of the current request; NULL while libvirt is unreachable. */
const struct vmm_snapshot *vmm_cache_snapshot(void);

/* vmTableLastChange in TimeTicks. */
uint32_t vmm_cache_last_change(void);

/* The next request takes a new snapshot (a machine changed state, the
 * connection came or went). */
void vmm_cache_invalidate(void);

/* A machine's definition changed: parse it again with the next snapshot. */
void vmm_cache_definition_changed(const unsigned char *uuid);

/* A new snapshot now (resync); NULL if libvirt cannot be read. */
const struct vmm_snapshot *vmm_cache_refresh(void);

#endif
