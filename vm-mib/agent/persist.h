/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/persist: the index registry, kept in snmpd's persistent store, and
 * the means for other parts to keep lines there.
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

/* What other parts keep in the same file, as "TOKEN line" lines. */

/* Each such line the file has now (the module reads them itself: snmpd
 * reads the file only without -C, and before the dlmod line's file). */
void vmm_persist_read(const char *token, void (*fn)(const char *rest, void *ctx), void *ctx);

/* Register TOKEN for snmpd's own read of the file, which ignores it. */
void vmm_persist_token(const char *token);

/* From a STORE_DATA callback: collect lines (emit fits core's savers),
 * then store them in one write and free them; what says what failed, if
 * memory ran out (new may return NULL: store says so). */
struct vmm_persist_lines;
struct vmm_persist_lines *vmm_persist_lines_new(const char *token);
void vmm_persist_lines_emit(const char *line, void *lines);
void vmm_persist_lines_store(struct vmm_persist_lines *lines, const char *what);

#endif
