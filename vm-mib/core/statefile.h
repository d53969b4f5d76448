/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/statefile: what was announced (core/tracker) as text lines, the form
 * snmpd's persistent file keeps it in, so that a restarted snmpd announces
 * what changed while it was down instead of taking its first picture as
 * the starting point.
 *
 * Lines (no newline, at most VMM_STATEFILE_LINE_MAX - 1 characters):
 *
 *   uri URI                                the hypervisor the states are of
 *   vm UUID OPER PERSISTENT NAME           one machine
 *
 * UUID as core/uuid writes it, OPER the last vmOperState announced (4..12:
 * the states a notification names), PERSISTENT vmPersistent (1..3), NAME
 * its vmName in hex (two lower-case digits per octet; empty: "-").  Pure
 * C, unit-tested. */
#ifndef VMM_STATEFILE_H
#define VMM_STATEFILE_H

#include <stdbool.h>

#include "core/tracker.h"

/* "vm " + UUID + " 12 3 " + a 255-octet name in hex, and the NUL. */
#define VMM_STATEFILE_LINE_MAX 560

/* Emit the lines of t, followed on hypervisor uri.  Nothing for a tracker
 * that has not seen a complete list (its states are no starting point), or
 * for a URI that a line cannot hold. */
void vmm_statefile_save(const struct vmm_tracker *t, const char *uri,
                        void (*emit)(const char *line, void *ctx), void *ctx);

/* One load: the lines of one file. */
struct vmm_statefile_load {
    struct vmm_tracker *t;          /* being filled */
    char *uri;                      /* from the uri line; NULL: none yet */
    unsigned bad;                   /* lines refused */
};

/* Take one line; false (and bad counted) for a line that does not parse. */
bool vmm_statefile_load_line(struct vmm_statefile_load *ld, const char *line);

/* The tracker the lines make, seeded (also with no machine), and in *uri
 * the hypervisor they are of; both the caller's.  NULL (and *uri NULL)
 * when the lines had no uri line. */
struct vmm_tracker *vmm_statefile_load_end(struct vmm_statefile_load *ld, char **uri);

#endif
