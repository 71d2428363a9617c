#!/usr/bin/env python3
"""Sums LeakSanitizer reports by origin and fails on a leak from the project's code.

  asan_report.py REPORT...     (the files ASAN_OPTIONS=log_path=... wrote, one per process that leaked)

A leak's origin is the project when one of its frames lies in Sources/ or plugins/ (the AddressSanitizer build has
full paths in its frames), otherwise third-party. Leaks matching scripts/leaks/lsan.supp are already left out by
LeakSanitizer; their counts are shown. Any other AddressSanitizer error in a report (a use after free, an overflow)
is printed and fails the check too. Exit status 1 when a direct leak from the project or such an error remains.
Python standard library only.
"""

import re
import sys

LEAK = re.compile(r"^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\)")
FRAME = re.compile(r"^\s+#\d+ 0x[0-9a-f]+ in (\S+)(?: (\S+))?")
PROJECT = re.compile(r"/(Sources|plugins)/[^ ]+\.(swift|c)")


def parse(path):
    """[(kind, bytes, first project frame or None, first frame)] from one report."""
    leaks, current = [], None
    for line in open(path, errors="replace"):
        match = LEAK.match(line)
        if match:
            current = [match.group(1), int(match.group(2)), None, None]
            leaks.append(current)
            continue
        match = FRAME.match(line)
        if match and current is not None:
            function, where = match.group(1), match.group(2) or ""
            if current[3] is None and function not in ("malloc", "calloc", "realloc", "posix_memalign"):
                current[3] = "%s %s" % (function, where)
            if current[2] is None and PROJECT.search(where):
                current[2] = "%s %s" % (function, where[where.find("/Sources/") + 1 if "/Sources/" in where
                                                           else where.find("/plugins/") + 1:])
        elif not line.strip():
            current = None
    return leaks


def other_lines(path):
    """AddressSanitizer errors other than leaks, the SUMMARY lines, and the suppression counts."""
    errors, notes = [], []
    for line in open(path, errors="replace"):
        if "ERROR: AddressSanitizer" in line:
            errors.append(line.strip())
        elif line.startswith("SUMMARY:") or re.match(r"^\s*\d+\s+\d+\s+\S+$", line) or "Suppressions used" in line:
            notes.append(line.rstrip())
    return errors, notes


def main(paths):
    totals, project, third_party, errors = {}, {}, {}, []
    for path in paths:
        found, notes = other_lines(path)
        errors += found
        for note in notes:
            print("  %s: %s" % (path.rsplit("/", 1)[-1], note))
        for kind, size, frame, first in parse(path):
            totals[kind] = totals.get(kind, 0) + size
            table = project if frame else third_party
            key = (kind, frame or first or "?")
            table[key] = table.get(key, 0) + size
    print("LeakSanitizer: %d report files" % len(paths))
    print("  direct leaks:   %8d bytes" % totals.get("Direct", 0))
    print("  indirect leaks: %8d bytes" % totals.get("Indirect", 0))
    for title, table in (("from the project (Sources/, plugins/)", project), ("third-party only", third_party)):
        print("  %s: %d bytes" % (title, sum(table.values())))
        for (kind, key), size in sorted(table.items(), key=lambda item: -item[1]):
            print("    %8d  %-8s %s" % (size, kind.lower(), key[:150]))
    for error in errors:
        print("FAIL: " + error)
    if errors:
        return 1
    if any(kind == "Direct" for kind, _ in project):
        print("FAIL: direct leaks from the project's code (see above; the full stacks are in the reports)")
        return 1
    print("ok: no direct leak from the project's code")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
