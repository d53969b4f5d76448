/* core/clock: TimeTicks arithmetic for vmHvUpTime and vmTableLastChange. */
#ifndef VMM_TIME_H
#define VMM_TIME_H

#include <stdint.h>
#include <time.h>

/* Centiseconds in t, modulo 2^32 as TimeTicks wrap (about every 497 days). */
uint32_t vmm_ticks_from_timespec(const struct timespec *t);

/* vmHvUpTime: the host's uptime, CLOCK_BOOTTIME (counts suspended time too).
 * libvirt exposes no hypervisor start time; on a hosted hypervisor such as
 * KVM the host kernel is the hypervisor. */
uint32_t vmm_hv_uptime_ticks(void);

/* Milliseconds of CLOCK_MONOTONIC: for waits and ages, never for display. */
uint64_t vmm_now_ms(void);

#endif
