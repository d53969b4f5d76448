/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/migration: is a migration of this machine to another host in progress?
 *
 * On the source of a live migration libvirt's state reads running for the
 * whole pre-copy, and a cancelled or failed migration ends with no event
 * there: only the machine's job tells (doc/design.md, Live migration).
 * Asked of one machine at a time, and only of
 * machines that are, or may be, migrating: it is a call to libvirtd.  The
 * destination's copy has no job stats ("available only on the source
 * host"): it is told by its lifecycle events. */
#ifndef VMM_MIGRATION_H
#define VMM_MIGRATION_H

#include <libvirt/libvirt.h>

/* 1: the machine's job is a migration out; 0: it has no such job; -1: not
 * known (the call failed: no such machine, a driver without jobs, the
 * destination's copy).  Calls libvirt: never on snmpd's thread. */
int vmm_migration_job_work(virDomainPtr dom);

#endif
