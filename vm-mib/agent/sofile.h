/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/sofile: the file snmpd loaded the module from, and whether it has
 * been replaced since.  The module is linked -z nodelete, so a reload
 * (SIGHUP) runs the code loaded first even after a package upgrade put a
 * new vm_mib.so in its place; only a restart of snmpd loads the new one,
 * and the operator is told so once. */
#ifndef VMM_SOFILE_H
#define VMM_SOFILE_H

/* At every load: the first remembers the file; a later one logs one
 * warning when the file on disk is no longer the one running (once per
 * replacement). */
void vmm_sofile_check(void);

#endif
