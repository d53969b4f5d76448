/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/value: typed values for varbinds, in the MIB's syntaxes. */
#ifndef VMM_VALUE_H
#define VMM_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

void vmm_value_integer(netsnmp_variable_list *var, long value);
void vmm_value_ticks(netsnmp_variable_list *var, uint32_t ticks);
void vmm_value_counter64(netsnmp_variable_list *var, unsigned long long value);
void vmm_value_octets(netsnmp_variable_list *var, const void *data, size_t len);
/* SnmpAdminString: cut to 255 octets on a UTF-8 character boundary. */
void vmm_value_admin_string(netsnmp_variable_list *var, const char *s);
/* Integer32 (-1|0..2147483647) style: values above the range are capped. */
long vmm_value_int32_or_max(unsigned long long value);

#endif
