#!/usr/bin/env python3
"""Sums valgrind memcheck logs by origin and fails on a definite leak from the project's code.

  valgrind_report.py LOG...

A loss record's origin is the project when one of its frames lies in the copied `nightshift` binary or a plugin
library (the binary links the project's modules and C shims statically; Foundation and the Swift runtime are shared
libraries elsewhere), otherwise third-party (runtime, libc, libcurl, libwebsockets, libpq). The first project frame
is demangled with `swift demangle` to name the place. Exit status 1 when a project definite leak remains (after
scripts/leaks/valgrind.supp), 2 when no log holds a leak summary (the host never ended gracefully).
Python standard library only.
"""

import re
import subprocess
import sys

RECORD = re.compile(r"==\d+== ([\d,]+) (?:\(([\d,]+) direct, ([\d,]+) indirect\) )?bytes in ([\d,]+) blocks are "
                    r"(definitely|possibly) lost")
FRAME = re.compile(r"==\d+==    (?:at|by) 0x[0-9A-F]+: (.*?)(?: \((?:in )?(.*)\))?$")
SUMMARY = re.compile(r"==\d+==\s+(definitely|indirectly|possibly) lost: ([\d,]+) bytes in ([\d,]+) blocks"
                     r"|==\d+==\s+(suppressed): ([\d,]+) bytes in ([\d,]+) blocks")
PROJECT_FILES = re.compile(r"/bin/(nightshift|lib[\w-]+\.so)$|/plugins/libsoak-flaky\.so$")


def number(text):
    return int(text.replace(",", ""))


def demangle(symbol):
    try:
        return subprocess.run(["swift", "demangle", "--simplified", "--compact", symbol], capture_output=True,
                              text=True, timeout=20).stdout.strip() or symbol
    except (OSError, subprocess.TimeoutExpired):
        return symbol


def parse(path):
    """(summary {kind: (bytes, blocks)}, records [(kind, bytes, project frame or None, first frame)])."""
    summary, records, current = {}, [], None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        match = SUMMARY.search(line)
        if match:
            kind, size, blocks = [group for group in match.groups() if group is not None]
            summary[kind] = (number(size), number(blocks))
            continue
        match = RECORD.match(line)
        if match:
            current = [match.group(5), number(match.group(1)), None, None]
            records.append(current)
            continue
        match = FRAME.match(line)
        if match and current is not None:
            function, where = match.group(1), match.group(2) or ""
            if current[3] is None and not function.startswith(("malloc", "calloc", "realloc", "operator new",
                                                                "posix_memalign", "aligned_alloc", "swift_slowAlloc")):
                current[3] = function
            if current[2] is None and PROJECT_FILES.search(where):
                current[2] = function
        elif current is not None and line.endswith("== "):
            current = None
    return summary, records


def main(paths):
    totals, project, reports = {}, {}, 0
    third_party = {}
    for path in paths:
        summary, records = parse(path)
        if not summary and not records:
            continue
        reports += 1
        for kind, (size, blocks) in summary.items():
            bytes_so_far, blocks_so_far = totals.get(kind, (0, 0))
            totals[kind] = (bytes_so_far + size, blocks_so_far + blocks)
        for kind, size, frame, first in records:
            if kind != "definitely":
                continue
            table = project if frame else third_party
            key = demangle(frame) if frame else (first or "?")
            table[key] = table.get(key, 0) + size
    print("valgrind: %d leak reports (one per gracefully ended host life)" % reports)
    for kind in ("definitely", "indirectly", "possibly", "suppressed"):
        size, blocks = totals.get(kind, (0, 0))
        print("  %-10s lost: %8d bytes in %d blocks" % (kind, size, blocks))
    print("  definite, from the project (Sources/, plugins/): %d bytes" % sum(project.values()))
    for key, size in sorted(project.items(), key=lambda item: -item[1]):
        print("    %8d  %s" % (size, key[:150]))
    print("  definite, third-party only (runtime, libraries): %d bytes" % sum(third_party.values()))
    for key, size in sorted(third_party.items(), key=lambda item: -item[1]):
        print("    %8d  %s" % (size, key[:150]))
    if reports == 0:
        print("FAIL: no leak report: the host did not end gracefully under valgrind")
        return 2
    if project:
        print("FAIL: definite leaks from the project's code (see above; the full stacks are in the logs)")
        return 1
    print("ok: no definite leak from the project's code")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
