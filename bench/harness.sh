# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Sourced first by the benchmark scripts (bash): the source tree, the build
# measured (abs_top_builddir may name the build of an older commit, for the
# "before" figures) and the integration tests' harness, which starts and
# stops every daemon by PID.
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
export abs_top_srcdir abs_top_builddir
. "$abs_top_srcdir/tests/integration/lib.sh"
