/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/index: the registry behind vmIndex, vmStorageIndex and vmNetworkIndex.
 *
 * RFC 7666 wants vmIndex constant at least across re-initialisations of the
 * hypervisor; we go further so that managers can key on it: an index is tied
 * to the machine's UUID for the life of the agent and, through persistence,
 * across snmpd restarts, and is never handed to a different UUID.  Entries
 * are never dropped, so a machine that is undefined and later redefined with
 * the same UUID gets its old number back.  vmStorageIndex is keyed by (UUID,
 * disk target name) and vmNetworkIndex by (UUID, MAC), each numbered from 1
 * within its machine under the same never-reuse rule.
 *
 * Indexes are Integer32 1..2147483647.  When a counter would pass the top,
 * the numbers of that kind are renumbered compactly from 1 in their previous
 * order (all machines known, or the machine's disks or NICs), so that a new
 * key always gets a number; RFC 7666 lets the indexes change at a
 * re-initialisation, and the listener is told so that managers can be.
 * The never-reuse rule holds again from there, within the new numbering.
 *
 * Pure C (no libvirt, no Net-SNMP) so the whole of it is unit-testable.  The
 * registry hands out and restores entries; core/indexfile writes them as
 * text lines and reads them back. */
#ifndef VMM_INDEX_H
#define VMM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/uuid.h"

#define VMM_INDEX_MAX 2147483647

/* The value of a next counter once the top number is held. */
#define VMM_INDEX_EXHAUSTED ((uint32_t)VMM_INDEX_MAX + 1)

/* Longest disk target name accepted; keeps every saved line well inside
 * the 1024-byte lines snmpd reads its persistent files with. */
#define VMM_INDEX_TARGET_MAX 255

/* A NIC's key: its MAC as lower-case xx:xx:xx:xx:xx:xx, and the NUL. */
#define VMM_INDEX_MAC_KEY_LEN 18

struct vmm_index;   /* opaque */

/* Who hears what the operator must know: say() gets one line of text (no
 * newline) to log, renumbered() is called after a renumbering, once the
 * new numbers are in place.  Either may be NULL. */
struct vmm_index_listener {
    void (*say)(const char *msg, void *ctx);
    void (*renumbered)(void *ctx);
    void *ctx;
};

/* NULL if out of memory. */
struct vmm_index *vmm_index_new(void);
void vmm_index_free(struct vmm_index *ix);   /* NULL is fine */

void vmm_index_set_listener(struct vmm_index *ix, const struct vmm_index_listener *l);

/* The machine's vmIndex, assigned on first sight (renumbering all known
 * machines if the numbers are used up); 0 only if memory ran out.  Earlier
 * results may be stale after a call that renumbered: a caller numbering a
 * set asks for all of them, then again (the second round assigns nothing). */
int vmm_index_vm(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN]);

/* The vmStorageIndex of the machine's disk target (e.g. "vda"), assigned on
 * first sight, renumbering the machine's disks as vmm_index_vm() does the
 * machines; 0 if memory ran out, or if target is NULL, empty,
 * longer than VMM_INDEX_TARGET_MAX or holds a blank or control character
 * (it could not be persisted).  Does not assign the machine a vmIndex. */
int vmm_index_disk(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN],
                   const char *target);

/* The vmNetworkIndex of the machine's interface with this MAC, as above. */
int vmm_index_nic(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN],
                  const unsigned char mac[6]);

/* Lookup only, 0 if unknown (no assignment). */
int vmm_index_find_vm(const struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN]);

/* True if anything was assigned since the last vmm_index_saved().
 * Restoring entries does not make the registry dirty. */
bool vmm_index_dirty(const struct vmm_index *ix);

/* ---- entries: what the registry knows, one fact each ------------------- */

enum vmm_index_field {
    VMM_INDEX_NEXT_VM,              /* the next vmIndex to hand out */
    VMM_INDEX_VM,                   /* a machine's vmIndex */
    VMM_INDEX_NEXT_DISK,            /* the next vmStorageIndex of a machine */
    VMM_INDEX_DISK,                 /* a disk's vmStorageIndex */
    VMM_INDEX_NEXT_NIC,             /* the next vmNetworkIndex of a machine */
    VMM_INDEX_NIC,                  /* an interface's vmNetworkIndex */
};

struct vmm_index_entry {
    enum vmm_index_field field;
    unsigned char uuid[VMM_UUID_LEN];   /* all but VMM_INDEX_NEXT_VM */
    const char *key;                /* DISK: the target; NIC: vmm_index_mac_key() */
    uint32_t number;                /* an index, or a next counter */
};

/* Every fact, to be saved: NEXT_VM first, then per machine by UUID its VM,
 * NEXT_DISK (if above 1), DISKs, NEXT_NIC (if above 1), NICs.  The next
 * counters keep numbers from reuse after a restart even if some entries
 * were lost; they run 1..VMM_INDEX_EXHAUSTED. */
void vmm_index_each(const struct vmm_index *ix,
                    void (*fn)(const struct vmm_index_entry *e, void *ctx), void *ctx);

/* Everything assigned is saved: clears the dirty flag. */
void vmm_index_saved(struct vmm_index *ix);

/* Why vmm_index_restore() refused an entry. */
enum vmm_index_refusal {
    VMM_INDEX_RESTORED = 0,
    VMM_INDEX_BAD_KEY,              /* a disk target vmm_index_disk() would refuse */
    VMM_INDEX_OUT_OF_RANGE,         /* index not 1..MAX, counter not 1..EXHAUSTED */
    VMM_INDEX_CONFLICT,             /* the index has another owner, or the key
                                     * another index */
    VMM_INDEX_NO_MEMORY,
};

/* Restore one saved fact; anything refused leaves ix unchanged.  A fact
 * already known is accepted.  A NEXT only ever raises its counter; one of
 * 1 for a machine not known is accepted and changes nothing. */
enum vmm_index_refusal vmm_index_restore(struct vmm_index *ix, const struct vmm_index_entry *e);

/* The highest number in use of the kind a NEXT entry counts (the machine's
 * disks or NICs, or all vmIndexes): what a saved counter is weighed
 * against.  0 if none. */
uint32_t vmm_index_highest(const struct vmm_index *ix, const struct vmm_index_entry *next);

void vmm_index_mac_key(const unsigned char mac[6], char key[VMM_INDEX_MAC_KEY_LEN]);

#endif
