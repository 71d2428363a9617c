#include <libwebsockets.h>
#include "cwebsockets_helpers.h"

size_t ns_lws_pre(void) {
    return LWS_PRE;
}
