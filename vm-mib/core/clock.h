/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/clock: the module's two clocks.  CLOCK_BOOTTIME for what is shown
 * (uptimes, start times: it counts suspended time as /proc does);
 * CLOCK_MONOTONIC for waits and ages, never shown. */
#ifndef VMM_CLOCK_H
#define VMM_CLOCK_H

#include <stdint.h>

/* CLOCK_BOOTTIME now, in centiseconds. */
uint64_t vmm_clock_boottime_cs(void);

/* vmHvUpTime: the host's uptime in TimeTicks, vmm_clock_boottime_cs() modulo
 * 2^32 (it wraps about every 497 days).  libvirt exposes no hypervisor
 * start time; on a hosted hypervisor such as KVM the host kernel is the
 * hypervisor. */
uint32_t vmm_clock_uptime_ticks(void);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t vmm_clock_now_ms(void);

#endif
