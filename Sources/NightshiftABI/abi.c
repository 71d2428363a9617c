#include "nightshift_plugin.h"

/// The layout hash as the host's C compiler sees the hot-path structs; the loader compares each plugin's against it.
uint64_t ns_host_layout_hash(void) { return ns_layout_hash(); }
