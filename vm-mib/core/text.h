/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/text: SnmpAdminString values (UTF-8, at most 255 octets), hex digits. */
#ifndef VMM_TEXT_H
#define VMM_TEXT_H

#include <stddef.h>

#define VMM_ADMIN_STRING_MAX 255

/* Length of s cut to at most max octets without splitting a UTF-8
 * character (a cut never leaves a partial multi-byte sequence). */
size_t vmm_text_utf8_cut(const char *s, size_t max);

/* The value of a hex digit (either case), -1 for any other character. */
int vmm_text_hex_digit(char c);

#endif
