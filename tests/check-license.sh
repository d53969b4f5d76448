#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
#
# check-license.sh - every file of vm-mib says its license: an
# "SPDX-License-Identifier: BSD-3-Clause" line within its first six lines
# (after a shebang or an XML declaration), in the file's comment syntax.  One check per file, plus LICENSE itself.
#
# The files: in a git checkout, git's (tracked, and new files not ignored,
# so that a file is checked before it is committed); in a tarball, the
# list "make dist" wrote into it (tests/dist-files.list), because a tree
# built in place holds many files that were never distributed.
#
# Not checked (the list below, each with its reason): the license texts,
# documentation, package metadata, images and autotools output;
# debian/copyright states the license of all of them.
#
# Output: "ok - FILE" / "not ok - FILE" lines and a final "N passed,
# N failed, N skipped" line; exit 1 on any failure, 77 when neither git
# nor the tarball's list can name the files.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
spdx='SPDX-License-Identifier: BSD-3-Clause'
head_lines=6

. "$(dirname "$0")/checks.sh"

# excluded PATH: true for a file that needs no SPDX line (see above).
excluded() {
    case $1 in
        LICENSE) ;;                     # the license text itself
        debian/copyright) ;;            # the license statement of every file
        *.md|debian/README.Debian) ;;   # documentation; README's "License"
        # Package metadata: the changelog and the source format allow no
        # comment; control, docs and install are declarations, not code.
        debian/changelog|debian/source/format) ;;
        debian/control|debian/vm-mib.docs|debian/vm-mib.install) ;;
        .gitignore|*/.gitignore) ;;     # git's configuration, not source
        *.png|*.jpg) ;;                 # images
        # autotools output: in the tarball only, made by autoreconf.
        configure|aclocal.m4|config.h.in|Makefile.in|*/Makefile.in) ;;
        build-aux/*|m4/libtool.m4|m4/lt*.m4) ;;
        *) return 1 ;;
    esac
}

# list_files: the files to look at, one per line, relative to $top.
list_files() {
    if [ -e "$top/.git" ] && command -v git >/dev/null 2>&1; then
        git -C "$top" ls-files --cached --others --exclude-standard
    elif [ -f "$top/tests/dist-files.list" ]; then
        cat "$top/tests/dist-files.list"
    else
        return 1
    fi
}

files=$(list_files) || {
    echo "# SKIP: $top is neither a git checkout nor a tarball with tests/dist-files.list"
    skipped=1; summary
    exit 77
}

if grep -q '^Copyright (c) 2026 the vm-mib authors$' "$top/LICENSE" 2>/dev/null &&
   grep -q '^3\. Neither the name of the copyright holder nor the names of its$' "$top/LICENSE"; then
    pass "LICENSE is the BSD-3-Clause text with the vm-mib authors' copyright"
else
    fail "LICENSE is the BSD-3-Clause text with the vm-mib authors' copyright"
fi

not_checked=0
while IFS= read -r f; do
    # A file deleted but not yet committed is no longer part of the tree.
    [ -f "$top/$f" ] || continue
    if excluded "$f"; then
        not_checked=$((not_checked + 1)); continue
    fi
    if head -n "$head_lines" "$top/$f" | grep -qF "$spdx"; then
        pass "$f"
    else
        fail "$f (no \"$spdx\" in its first $head_lines lines)"
    fi
done <<EOF
$files
EOF
echo "# $not_checked files not checked (the exclusion list in $0)"

summary
[ "$failed" -eq 0 ]
