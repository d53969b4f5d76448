/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/tokens: the vmMib* snmpd.conf tokens, registered with snmpd.
 *
 * snmpd learns them from the dlmod line on, so they must follow it.  A bad
 * value is reported with file and line and the previous value is kept. */
#ifndef VMM_TOKENS_H
#define VMM_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"

/* Reset to defaults and register the tokens plus a POST_READ_CONFIG hook
 * that calls done() once the configuration files have been read. */
void vmm_tokens_register(void (*done)(void));
void vmm_tokens_unregister(void);

const struct vmm_config *vmm_tokens_config(void);

/* Whether snmpd has the tokens registered already, by this module or by
 * another copy of vm_mib.so; if so, path gets the file that registered them. */
bool vmm_tokens_owner(char *path, size_t size);

#endif
