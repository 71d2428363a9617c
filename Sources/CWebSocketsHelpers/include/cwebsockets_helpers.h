#pragma once

/// Values from libwebsockets that Swift cannot import because they are computed macros.
///
/// Threading: pure functions, callable from any thread.

#include <stddef.h>

/// The headroom libwebsockets needs in front of every payload passed to `lws_write` (`LWS_PRE`).
size_t ns_lws_pre(void);
