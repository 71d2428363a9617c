/*
 * The libFuzzer entry points shared by every Nightshift fuzz target (built by scripts/fuzz.sh).
 *
 * One binary serves all targets: it is run through a link named fuzz-<target>, and the name after "fuzz-" selects
 * the Swift body (FuzzTarget.all in Sources/NightshiftFuzzTargets). The bodies live in Swift; this file only hands
 * libFuzzer's bytes to them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs target `name` on `size` bytes at `data` (Swift, @_cdecl in FuzzTarget.swift). */
extern void nightshift_fuzz_run(const char *name, const uint8_t *data, size_t size);

static const char *target;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    const char *slash = strrchr((*argv)[0], '/');
    const char *name = slash ? slash + 1 : (*argv)[0];
    if (strncmp(name, "fuzz-", 5) != 0) {
        fprintf(stderr, "run this binary through a link named fuzz-<target>, e.g. .build/fuzz/bin/fuzz-json\n");
        exit(64);
    }
    target = name + 5;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nightshift_fuzz_run(target, data, size);
    return 0;
}
