# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# VMM_REQUIRE_PKG(VARIABLE-PREFIX, PKG-CONFIG-MODULES, DEBIAN-PACKAGE)
# ------------------------------------------------------------------
# PKG_CHECK_MODULES whose failure tells the operator which Debian
# package to install instead of printing pkg-config's raw message.
AC_DEFUN([VMM_REQUIRE_PKG], [
  PKG_CHECK_MODULES([$1], [$2], [],
    [AC_MSG_ERROR([$2 not found: install the Debian package $3 (apt-get install $3)])])
])

# VMM_WARNINGS
# ------------
# -Wall -Wextra always; --enable-werror (used by CI) turns them into errors.
AC_DEFUN([VMM_WARNINGS], [
  AC_ARG_ENABLE([werror],
    [AS_HELP_STRING([--enable-werror], [treat compiler warnings as errors])],
    [], [enable_werror=no])
  VMM_CFLAGS="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
  AS_IF([test "x$enable_werror" = xyes], [VMM_CFLAGS="$VMM_CFLAGS -Werror"])
  # Net-SNMP touched off snmpd's thread (core/thread.h): test builds abort,
  # others say it once on stderr.
  AC_ARG_ENABLE([thread-checks],
    [AS_HELP_STRING([--enable-thread-checks],
      [abort when Net-SNMP is called off snmpd's thread (default: as --enable-werror)])],
    [], [enable_thread_checks=$enable_werror])
  AS_IF([test "x$enable_thread_checks" = xyes],
    [VMM_CFLAGS="$VMM_CFLAGS -DVMM_THREAD_CHECKS_FATAL=1"])
  AC_SUBST([VMM_CFLAGS])
])
