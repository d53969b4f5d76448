/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/indexfile: the index registry (core/index) as text lines, the form
 * snmpd's persistent file keeps it in: the Net-SNMP side stores each saved
 * line as the value of one persistent-config token and feeds them back,
 * one load per file.
 *
 * Lines (no newline, at most VMM_INDEXFILE_LINE_MAX - 1 characters), fields
 * separated by one space:
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
 * held).  Line order does not matter to a load.  Pure C, unit-tested. */
#ifndef VMM_INDEXFILE_H
#define VMM_INDEXFILE_H

#include "core/index.h"

/* Room for the longest line vmm_indexfile_save() emits, NUL included
 * ("next-disk " + UUID + " " + 10 digits; "disk " + UUID + " " + target
 * + " " + 10 digits).  Longer input lines are refused. */
#define VMM_INDEXFILE_LINE_MAX 320

/* How far a saved next counter may run ahead of the highest number in use.
 * Saving writes each counter as the highest number held + 1, and entries
 * are never dropped, so a larger one means entry lines were lost; a counter
 * beyond this window is taken for corruption: one bad line must not push
 * the numbers arbitrarily high (every vmAffectedVMs bitmap grows with the
 * highest vmIndex, by one octet per 8). */
#define VMM_INDEXFILE_NEXT_WINDOW 1024

/* Bad lines said one by one per load; the others are only counted. */
#define VMM_INDEXFILE_BAD_SHOWN 5

/* Emit every line of the registry, then mark it saved. */
void vmm_indexfile_save(struct vmm_index *ix,
                        void (*emit)(const char *line, void *ctx), void *ctx);

struct vmm_indexfile_load;  /* one load: one file's lines */

/* A load into ix; say() (may be NULL) gets one line of text per refusal
 * worth telling.  NULL if out of memory. */
struct vmm_indexfile_load *vmm_indexfile_load_begin(struct vmm_index *ix,
                                                    void (*say)(const char *msg, void *ctx),
                                                    void *ctx);

/* Restore one line as saved.  Leading, trailing and repeated blanks are
 * tolerated; UUIDs and MACs may be upper-case.  A line that repeats what
 * is already known is accepted.  Returns 0 if taken; -1, leaving the
 * registry unchanged, if the line does not parse, has an out-of-range
 * number, conflicts with what is known (vmm_index_restore()) or memory ran
 * out.  Of the lines refused in one load, the first
 * VMM_INDEXFILE_BAD_SHOWN are said, with the reason.
 *
 * NEXT lines are weighed at vmm_indexfile_load_end(), when every number in
 * use is known: one that would skip more than VMM_INDEXFILE_NEXT_WINDOW
 * numbers above the highest in use is refused like a bad line; the others
 * only ever raise the counters. */
int vmm_indexfile_load_line(struct vmm_indexfile_load *ld, const char *line);

/* Weighs the NEXT lines, says how many refused lines were not said one by
 * one, and frees ld (NULL is fine). */
void vmm_indexfile_load_end(struct vmm_indexfile_load *ld);

#endif
