#pragma once

/// Non-variadic wrappers over libcurl's variadic entry points.
///
/// Swift cannot call C variadic functions, so `curl_easy_setopt` and `curl_easy_getinfo` are exposed here once per
/// argument type. Each wrapper forwards to libcurl unchanged and returns its `CURLcode`.
///
/// Threading: the same as libcurl's easy interface: a handle is used by one thread at a time; the caller serialises.
/// Ownership: strings passed to the `_string` setter are copied by libcurl (libcurl >= 7.17) except where libcurl's
/// documentation says otherwise (CURLOPT_POSTFIELDS: use CURLOPT_COPYPOSTFIELDS instead).

#include <curl/curl.h>

/// Sets a `long` option (flags, timeouts in milliseconds, enums).
CURLcode ns_curl_setopt_long(CURL *handle, CURLoption option, long value);

/// Sets a `curl_off_t` option (`*_LARGE` sizes).
CURLcode ns_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value);

/// Sets a zero-terminated string option; libcurl copies the string before returning.
CURLcode ns_curl_setopt_string(CURL *handle, CURLoption option, const char *value);

/// Sets an opaque pointer option (callback context, `struct curl_slist *`, error buffer). The caller keeps it alive
/// for as long as libcurl may use it.
CURLcode ns_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);

/// Sets a write-shaped callback (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION).
CURLcode ns_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);

/// Reads a `long` transfer property (CURLINFO_RESPONSE_CODE, CURLINFO_NUM_CONNECTS).
CURLcode ns_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
