/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/persist: the index registry, kept in snmpd's persistent store.
 *
 * Each entry is a "vmMibIndex ..." line that snmpd writes into its
 * persistent snmpd.conf (/var/lib/snmp/snmpd.conf on Debian) from the
 * STORE_DATA callback; the module reads them back itself at start and on
 * every reload, so that a restart renumbers nothing.  What the registry
 * has to say (lines refused, renumberings) is logged; a renumbering moves
 * vmTableLastChange. */
#ifndef VMM_PERSIST_H
#define VMM_PERSIST_H

struct vmm_index;

int vmm_persist_register(void);
void vmm_persist_unregister(void);

struct vmm_index *vmm_persist_registry(void);

/* After assigning indexes: have snmpd store them soon if any are new. */
void vmm_persist_changed(void);

#endif
