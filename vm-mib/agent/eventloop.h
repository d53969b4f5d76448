/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/eventloop: libvirt's event loop run by snmpd's own select loop.
 *
 * libvirt needs an event implementation for keepalive, close detection and
 * domain events.  Ours maps libvirt's handles onto register_readfd /
 * register_writefd and its timeouts onto snmp_alarm, so everything runs in
 * snmpd's single thread.  libvirt accepts one implementation per process and
 * keeps its pointers forever; vm_mib.so is therefore linked -z nodelete and
 * the implementation stays registered across module reloads. */
#ifndef VMM_EVENTLOOP_H
#define VMM_EVENTLOOP_H

/* Register our implementation unless one is already in place.  Returns 0
 * when libvirt's events are driven by snmpd's loop (ours, registered now or
 * by an earlier load of the module), -1 (and a log line) when another
 * component of this process owns libvirt's event loop or ours cannot run. */
int vmm_eventloop_ensure(void);

#endif
