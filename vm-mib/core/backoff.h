/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/backoff: reconnect delays, 1 s doubling up to 60 s. */
#ifndef VMM_BACKOFF_H
#define VMM_BACKOFF_H

#define VMM_BACKOFF_FIRST 1
#define VMM_BACKOFF_MAX 60

/* The delay to wait after a failed attempt that followed a delay of
 * previous seconds (0 = the first failure). */
unsigned vmm_backoff_next(unsigned previous);

#endif
