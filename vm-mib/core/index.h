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
 * Pure C (no libvirt, no Net-SNMP) so the whole of it is unit-testable; the
 * Net-SNMP side stores each vmm_index_save() line as the value of one snmpd
 * persistent-config token and feeds them back to vmm_index_load_line(). */
#ifndef VMM_INDEX_H
#define VMM_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#define VMM_INDEX_MAX 2147483647

/* Longest disk target name accepted; keeps every line well inside the
 * 1024-byte lines snmpd reads its persistent files with. */
#define VMM_INDEX_TARGET_MAX 255

/* Room for the longest line vmm_index_save() emits, NUL included
 * ("next-disk " + UUID + " " + 10 digits; "disk " + UUID + " " + target
 * + " " + 10 digits).  Longer input lines are rejected by load_line. */
#define VMM_INDEX_LINE_MAX 320

/* How far a saved next counter may run ahead of the highest number in use.
 * save() writes each counter as the highest number held + 1, and entries
 * are never dropped, so a larger one means entry lines were lost; a counter
 * beyond this window is taken for corruption: one bad line must not push
 * the numbers arbitrarily high (every vmAffectedVMs bitmap grows with the
 * highest vmIndex, by one octet per 8). */
#define VMM_INDEX_NEXT_WINDOW 1024

/* Bad lines reported one by one per load; the others are only counted. */
#define VMM_INDEX_BAD_SHOWN 5

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
int vmm_index_vm(struct vmm_index *ix, const unsigned char uuid[16]);

/* The vmStorageIndex of the machine's disk target (e.g. "vda"), assigned on
 * first sight, renumbering the machine's disks as vmm_index_vm() does the
 * machines; 0 if memory ran out, or if target is NULL, empty,
 * longer than VMM_INDEX_TARGET_MAX or holds a blank or control character
 * (it could not be persisted).  Does not assign the machine a vmIndex. */
int vmm_index_disk(struct vmm_index *ix, const unsigned char uuid[16],
                   const char *target);

/* The vmNetworkIndex of the machine's interface with this MAC, as above. */
int vmm_index_nic(struct vmm_index *ix, const unsigned char uuid[16],
                  const unsigned char mac[6]);

/* Lookup only, 0 if unknown (no assignment). */
int vmm_index_find_vm(const struct vmm_index *ix, const unsigned char uuid[16]);

/* True if anything was assigned since the last vmm_index_save().  Loading
 * lines does not make the registry dirty: it only restores saved state. */
bool vmm_index_dirty(const struct vmm_index *ix);

/* Emit the whole registry as text lines (no newline, at most
 * VMM_INDEX_LINE_MAX - 1 characters), fields separated by one space:
 *
 *   next-vm NEXT                     next vmIndex to hand out
 *   vm UUID INDEX
 *   next-disk UUID NEXT              next vmStorageIndex within the machine
 *   disk UUID TARGET INDEX
 *   next-nic UUID NEXT               next vmNetworkIndex within the machine
 *   nic UUID MAC INDEX
 *
 * UUID is lower-case 8-4-4-4-12, MAC lower-case xx:xx:xx:xx:xx:xx, INDEX
 * 1..2147483647 and NEXT 1..2147483648 (2147483648: the top number is
 * held).  The next counters keep numbers from reuse after a restart even if
 * some entry lines were lost.  Line order does not matter to
 * vmm_index_load_line().  Clears the dirty flag. */
void vmm_index_save(struct vmm_index *ix,
                    void (*emit)(const char *line, void *ctx), void *ctx);

/* Restore one line written by vmm_index_save().  Leading, trailing and
 * repeated blanks are tolerated; UUIDs and MACs may be upper-case.  A line
 * that repeats what is already known is accepted.  Returns 0 if applied;
 * -1, leaving ix unchanged, if the line does not parse, has an out-of-range
 * number, conflicts with what is known (an index already owned by another
 * UUID/target/MAC, or a key already holding another index) or memory ran
 * out.  Of the lines refused in one load, the first VMM_INDEX_BAD_SHOWN
 * are said, with the reason.
 *
 * NEXT values are weighed at vmm_index_load_end(), when every number in use
 * is known: one that would skip more than VMM_INDEX_NEXT_WINDOW numbers
 * above the highest in use is refused like a bad line; the others only
 * ever raise the counters. */
int vmm_index_load_line(struct vmm_index *ix, const char *line);

/* The end of one load (one file's lines): weighs the NEXT values and says
 * how many refused lines were not said one by one.  Assigning or saving
 * ends a load that was not ended. */
void vmm_index_load_end(struct vmm_index *ix);

/* UUID text helpers (lower-case 8-4-4-4-12); parse also takes upper-case
 * and rejects anything else, including surrounding text.  0 / -1. */
void vmm_uuid_format(const unsigned char uuid[16], char out[37]);
int vmm_uuid_parse(const char *text, unsigned char uuid[16]);

#endif
