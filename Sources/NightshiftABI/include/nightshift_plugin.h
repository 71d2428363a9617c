/*
 * nightshift_plugin.h — the Nightshift plugin ABI, version 1.
 *
 * This header is the single source of truth for the boundary between the Nightshift host and its plugins.
 * Swift has no stable ABI on Linux, so nothing but the C types declared here ever crosses the boundary:
 * a plugin built by another compiler version, or written in C, either loads or is refused by name.
 *
 * The full contract, with each capability's call sequence, is docs/abi.md in the Nightshift repository.
 *
 * Versioning
 *   - One exported entry symbol per ABI major: `nightshift_plugin_v1`. A new major is a new symbol and new tables.
 *   - Every table starts with `size` (bytes, as its writer was built) and is append-only within a major: fields are
 *     only ever added at the end, in a new minor, and never change meaning. A reader treats a missing tail as absent
 *     (NULL / 0) and ignores a tail it does not know; it reads no more than `size` bytes (beyond the 8-byte head every
 *     table starts with), nor past what its own header defines.
 *   - ns_plugin_v1.abi_minor is the minor the plugin *needs*: the lowest minor whose fields it relies on, not the
 *     header it happened to be compiled with. The host refuses a plugin whose major differs from its own, or whose
 *     minor is newer than its own, naming both versions; an older minor always loads on a newer host.
 *   - The host's table (ns_host) follows the same rule in the other direction: before calling a service added after
 *     1.0, a plugin checks that `offsetof(ns_host, field) + sizeof(field) <= host->size` and that it is not NULL.
 *   - The hot-path structs (ns_event, ns_order, ns_order_update) never change within a major; ns_layout_hash()
 *     fingerprints their layout as the compiler sees it, so silent drift (packing, a stale header) is refused.
 *
 * Ownership
 *   - Strings are (ptr, len) pairs, UTF-8, not NUL-terminated unless stated.
 *   - Inputs are borrowed for the duration of the call and must be copied if kept.
 *   - A plugin's outputs (strings it returns or writes into out-parameters) stay valid until the plugin's next call
 *     on the same instance. The host copies what it keeps.
 *   - Host memory handed to a plugin is valid for the lifetime each function states: the current call (HTTP
 *     responses), the instance's life (config values), or the process's life (symbol names).
 *   - Whoever allocates frees: the host never frees plugin memory and vice versa.
 *   - The ns_plugin_v1 table and its capability tables are static: the host reads them once, at load, and keeps its
 *     own copy. A library is never unloaded, so function pointers stay valid for the life of the process.
 *
 * Threading
 *   - The host calls one plugin instance from one thread at a time (never concurrently), though not always from the
 *     same thread. Different instances of the same plugin may be called concurrently, so state shared between
 *     instances (globals) needs the plugin's own locking; per-instance state needs none.
 *   - Host services (ns_host) may be called only from inside a call the host made into the instance, on that thread.
 *     A plugin that runs threads of its own must not call the host from them.
 *   - A call should return promptly: the host enforces a per-call deadline (`call_deadline`) and escalates a stall.
 *
 * Errors
 *   - Every fallible function returns an ns_status. NS_RETRY feeds the host's retry wrapper / reconnect supervisor;
 *     NS_FATAL stops the instance (and escalates per policy); NS_INVALID_CONFIG is a configuration error (exit 78).
 *   - After a non-OK status the host calls last_error() for a human-readable reason, which must never contain a secret.
 *   - A host service that returns non-OK sets the reason ns_host.last_error() returns.
 */
#ifndef NIGHTSHIFT_PLUGIN_H
#define NIGHTSHIFT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Versions and constants */

#define NS_ABI_MAJOR 1
#define NS_ABI_MINOR 0
/** The symbol every v1 plugin exports: `const ns_plugin_v1 *nightshift_plugin_v1(void)`. */
#define NS_ENTRY_SYMBOL_V1 "nightshift_plugin_v1"

/** Prices and quantities are fixed point with 8 decimal places: 1.5 is 150000000. */
#define NS_FIXED_SCALE 100000000LL

/** Status codes returned across the boundary, in both directions. An open set: treat unknown values as NS_FATAL. */
typedef int32_t ns_status;
enum {
    NS_OK = 0,              /**< success */
    NS_RETRY = 1,           /**< transient failure: the host may retry / reconnect under its policy */
    NS_FATAL = 2,           /**< permanent failure: do not retry */
    NS_INVALID_CONFIG = 3,  /**< the instance's configuration is unusable */
};

/** A borrowed UTF-8 string: `len` bytes at `ptr` (ptr may be NULL when len is 0). */
typedef struct ns_str {
    const char *ptr;
    size_t len;
} ns_str;

/** Plugin kinds, a bit set in ns_plugin_v1.kinds. */
enum {
    NS_KIND_POLL_SOURCE = 1u << 0,    /**< scheduled data source: describes HTTP requests, parses responses */
    NS_KIND_STREAM_SOURCE = 1u << 1,  /**< streaming data source: describes a WebSocket, parses frames */
    NS_KIND_STRATEGY = 1u << 2,       /**< consumes events, submits orders */
    NS_KIND_BROKER = 1u << 3,         /**< executes orders */
};

/** Log levels, as in swift-log (ns_host.log's `level`). */
enum {
    NS_LEVEL_TRACE = 0,
    NS_LEVEL_DEBUG = 1,
    NS_LEVEL_INFO = 2,
    NS_LEVEL_NOTICE = 3,
    NS_LEVEL_WARNING = 4,
    NS_LEVEL_ERROR = 5,
    NS_LEVEL_CRITICAL = 6,
};

/* MARK: - Hot-path structs (fixed layout within a major; covered by ns_layout_hash) */

/** Kinds of market event. */
enum {
    NS_EVENT_QUOTE = 1,     /**< bid/ask/bid_size/ask_size */
    NS_EVENT_TRADE = 2,     /**< price/size */
    NS_EVENT_BAR = 3,       /**< open/high/low/price(close)/volume */
    NS_EVENT_FORECAST = 4,  /**< low-rate; details in payload (JSON) */
    NS_EVENT_MARKET = 5,    /**< prediction-market snapshot: bid/ask (yes side), price = last; details in payload */
    NS_EVENT_CUSTOM = 100,  /**< plugin-defined; details in payload */
};

/**
 * One market event. High-rate events cross the boundary in arrays of these, never as one JSON string per tick.
 * `payload` is for low-rate kinds only (forecasts, market metadata) and is borrowed like every input.
 */
typedef struct ns_event {
    uint32_t kind;       /**< NS_EVENT_* */
    uint32_t symbol;     /**< interned symbol id (ns_host.intern) */
    int64_t ts_ns;       /**< event time, ns since the Unix epoch, UTC */
    int64_t price;       /**< trade price, bar close, last price (fixed point) */
    int64_t size;        /**< trade size (fixed point) */
    int64_t bid;         /**< best bid (fixed point) */
    int64_t ask;         /**< best ask (fixed point) */
    int64_t bid_size;    /**< (fixed point) */
    int64_t ask_size;    /**< (fixed point) */
    int64_t open;        /**< bar open (fixed point) */
    int64_t high;        /**< bar high (fixed point) */
    int64_t low;         /**< bar low (fixed point) */
    int64_t volume;      /**< bar volume (fixed point) */
    uint32_t source;     /**< set by the host: index of the emitting instance */
    uint32_t flags;      /**< reserved, 0 */
    ns_str payload;      /**< optional JSON for low-rate kinds */
} ns_event;

enum { NS_SIDE_BUY = 1, NS_SIDE_SELL = 2 };
enum { NS_ORDER_MARKET = 1, NS_ORDER_LIMIT = 2 };
enum { NS_TIF_DAY = 1, NS_TIF_GTC = 2, NS_TIF_IOC = 3, NS_TIF_FOK = 4 };
/** For binary (prediction) markets: which contract the order trades. */
enum { NS_OUTCOME_NONE = 0, NS_OUTCOME_YES = 1, NS_OUTCOME_NO = 2 };

/** An order. Strategies leave client_order_id empty; the host assigns a deterministic one before routing. */
typedef struct ns_order {
    uint32_t symbol;        /**< interned symbol id */
    int32_t side;           /**< NS_SIDE_* */
    int32_t type;           /**< NS_ORDER_* */
    int32_t tif;            /**< NS_TIF_* */
    int32_t outcome;        /**< NS_OUTCOME_* */
    int32_t reserved;       /**< 0 */
    int64_t qty;            /**< quantity (fixed point) */
    int64_t limit_price;    /**< limit price (fixed point); 0 for market orders */
    int64_t ts_ns;          /**< decision time */
    ns_str client_order_id; /**< set by the host; unique and deterministic per (run, strategy, sequence) */
    ns_str reason;          /**< the strategy's short explanation, logged with the order */
} ns_order;

/** Order states. */
enum {
    NS_ORDER_STATUS_NEW = 1,
    NS_ORDER_STATUS_PARTIALLY_FILLED = 2,
    NS_ORDER_STATUS_FILLED = 3,
    NS_ORDER_STATUS_CANCELED = 4,
    NS_ORDER_STATUS_REJECTED = 5,
    NS_ORDER_STATUS_UNKNOWN = 6,  /**< outcome unknown (timeout, disconnect): in flight until reconciled */
};

/** What a broker knows about an order. Quantities are cumulative. */
typedef struct ns_order_update {
    uint32_t symbol;
    int32_t status;          /**< NS_ORDER_STATUS_* */
    int64_t filled_qty;      /**< cumulative filled (fixed point) */
    int64_t remaining_qty;   /**< still open (fixed point) */
    int64_t avg_price;       /**< average fill price (fixed point), 0 if none */
    int64_t ts_ns;
    ns_str client_order_id;
    ns_str venue_order_id;
    ns_str reason;           /**< rejection reason or note */
} ns_order_update;

/** FNV-1a step over one 64-bit value. */
static inline uint64_t ns__fnv(uint64_t h, uint64_t v) {
    for (int i = 0; i < 8; i++) { h ^= (v >> (i * 8)) & 0xff; h *= 1099511628211ULL; }
    return h;
}

/**
 * A fingerprint of the hot-path struct layouts as this compiler lays them out.
 * The plugin stores its value in ns_plugin_v1.layout_hash; the host refuses a plugin whose value differs from its own.
 */
static inline uint64_t ns_layout_hash(void) {
    uint64_t h = 14695981039346656037ULL;
    h = ns__fnv(h, NS_ABI_MAJOR);
    h = ns__fnv(h, sizeof(ns_str));
    h = ns__fnv(h, sizeof(ns_event));
    h = ns__fnv(h, offsetof(ns_event, ts_ns));
    h = ns__fnv(h, offsetof(ns_event, volume));
    h = ns__fnv(h, offsetof(ns_event, source));
    h = ns__fnv(h, offsetof(ns_event, payload));
    h = ns__fnv(h, sizeof(ns_order));
    h = ns__fnv(h, offsetof(ns_order, qty));
    h = ns__fnv(h, offsetof(ns_order, client_order_id));
    h = ns__fnv(h, offsetof(ns_order, reason));
    h = ns__fnv(h, sizeof(ns_order_update));
    h = ns__fnv(h, offsetof(ns_order_update, filled_qty));
    h = ns__fnv(h, offsetof(ns_order_update, client_order_id));
    h = ns__fnv(h, offsetof(ns_order_update, reason));
    return h;
}

/* MARK: - Host services */

/** A structured field attached to a log line or event row. */
enum { NS_FIELD_STRING = 0, NS_FIELD_INT = 1, NS_FIELD_DOUBLE = 2, NS_FIELD_BOOL = 3 };
typedef struct ns_field {
    ns_str key;
    int32_t type;      /**< NS_FIELD_* */
    int32_t reserved;  /**< 0 */
    int64_t i;         /**< NS_FIELD_INT, NS_FIELD_BOOL (0/1) */
    double d;          /**< NS_FIELD_DOUBLE */
    ns_str s;          /**< NS_FIELD_STRING */
} ns_field;

typedef struct ns_http_header {
    ns_str name;
    ns_str value;
} ns_http_header;

/** An HTTP request the host performs on a plugin's behalf, under the instance's retry policy. */
typedef struct ns_http_request {
    ns_str method;                  /**< "GET", "POST", ... */
    ns_str url;                     /**< absolute URL; empty means "no request" where a function says so */
    const ns_http_header *headers;  /**< n_headers entries */
    size_t n_headers;
    ns_str body;
    int64_t timeout_ns;             /**< per-attempt timeout; 0 = the policy's */
    ns_str idempotency_key;         /**< a POST is retried only when this is set (e.g. the client_order_id) */
    ns_str label;                   /**< short name for retry events, e.g. "ensemble" */
} ns_http_request;

/** The host's answer. Memory is the host's, valid until the plugin returns from the current call. */
typedef struct ns_http_response {
    int32_t status;                 /**< HTTP status; 0 when no response arrived (see error) */
    int32_t reserved;
    const ns_http_header *headers;  /**< names lower-cased */
    size_t n_headers;
    ns_str body;
    ns_str error;                   /**< transport error when status == 0 */
} ns_http_response;

/**
 * Services the host offers each plugin instance. Passed to create(); valid for the instance's life.
 * Every function takes `ctx` first. Call only from inside a host call into the instance, on that thread.
 */
typedef struct ns_host {
    uint32_t size;        /**< sizeof(ns_host) as the host was built; fields past it are absent */
    uint16_t abi_major;
    uint16_t abi_minor;
    void *ctx;            /**< the instance's host context: pass it to every function below */

    /**
     * Writes one structured event row (and log line). `event_type` empty means "log".
     * Secrets are redacted by the host. All arguments borrowed.
     */
    void (*log)(void *ctx, int32_t level, ns_str event_type, ns_str message, const ns_field *fields, size_t n_fields);

    /** The host clock, ns since the Unix epoch (virtual under replay). */
    int64_t (*now_ns)(void *ctx);

    /** Interns a symbol (borrowed), returning an id that is stable for the process's life and shared by every instance. Never 0. */
    uint32_t (*intern)(void *ctx, ns_str symbol);

    /** The text of an interned symbol; host memory valid for the process's life. Empty if unknown. */
    ns_str (*symbol_name)(void *ctx, uint32_t symbol);

    /**
     * Sources: publishes a batch of events to subscribers, in order. The host copies them (payload included) before
     * returning and sets each event's `source`; the plugin may reuse the array at once.
     */
    ns_status (*emit)(void *ctx, const ns_event *events, size_t n);

    /**
     * Strategies: submits an order. The host assigns the client_order_id, applies risk limits and routes it to a
     * broker. NS_OK means accepted for routing (not filled); a risk block returns NS_FATAL with last_error set.
     */
    ns_status (*submit_order)(void *ctx, const ns_order *order);

    /**
     * Performs an HTTP request under the instance's retry policy and blocks until it succeeds or retries are exhausted.
     * The request is borrowed. NS_OK with any HTTP status means a response arrived; `out` is host memory valid until
     * the plugin returns from the current call. A POST is retried only with an idempotency_key.
     */
    ns_status (*http)(void *ctx, const ns_http_request *request, ns_http_response *out);

    /**
     * Reads a scalar from the instance's validated config (schema defaults applied) by dotted path: "a.b" for a
     * nested key, "symbols.0" for an array item. `out` is host memory valid for the instance's life. Strings come back
     * raw, numbers in JSON spelling ("99.5"), booleans as "true"/"false", null as "".
     * A path that names no scalar (a missing key, or an object or array itself) returns NS_INVALID_CONFIG, sets `out`
     * to the empty string and sets last_error; a plugin treats that as "absent" for optional keys.
     */
    ns_status (*config_get)(void *ctx, ns_str path, ns_str *out);

    /**
     * Stream sources: sends a text frame (borrowed) on the open connection. Valid only inside on_open/on_frame;
     * NS_RETRY when the connection is gone.
     */
    ns_status (*stream_send)(void *ctx, ns_str frame);

    /**
     * Brokers: reports an asynchronous order update (a fill that arrives after submit returned), borrowed. Call it
     * from inside a host call (on_events, query, submit); the host routes it to the order's strategy.
     */
    ns_status (*order_update)(void *ctx, const ns_order_update *update);

    /** The reason for the last non-OK status a host service returned to this instance. Host memory, valid until the next service call. */
    ns_str (*last_error)(void *ctx);
} ns_host;

/* MARK: - Capability tables */

/**
 * A scheduled source (NS_KIND_POLL_SOURCE). Per cycle the host calls begin_cycle, then next_request until it yields
 * no request, performing each request (with retries) and handing the response to on_response:
 *   begin_cycle -> (next_request -> [host performs the request] -> on_response)* -> next_request with an empty url.
 * Cycles never overlap. A source with nothing to fetch may emit from begin_cycle directly. When retries are exhausted
 * the host skips the rest of the cycle (a cycle_skipped event) and begins the next one on schedule; NS_FATAL from any
 * of the three fails the instance (restart within its intensity limits). All three are required.
 */
typedef struct ns_poll_source_v1 {
    uint32_t size;
    uint32_t reserved;
    /** Starts a cycle at `now_ns`. May emit. */
    ns_status (*begin_cycle)(void *inst, int64_t now_ns);
    /** Describes the next request into `out`; leaves out->url empty when the cycle is complete. Output valid until the next call. */
    ns_status (*next_request)(void *inst, ns_http_request *out);
    /** Parses a response (any status). NS_RETRY asks the host to retry the request (e.g. a truncated body). May emit. */
    ns_status (*on_response)(void *inst, const ns_http_response *response);
} ns_poll_source_v1;

/** A WebSocket request described by a stream source. */
typedef struct ns_stream_request {
    ns_str url;                     /**< ws:// or wss:// */
    const ns_http_header *headers;
    size_t n_headers;
} ns_stream_request;

/**
 * A streaming source (NS_KIND_STREAM_SOURCE). The host connects (TLS, reconnects, heartbeats); the plugin speaks the
 * protocol:
 *   describe -> [host connects] -> on_open -> on_frame* -> on_close -> [backoff] -> describe -> ...
 * on_close follows every on_open, whatever the reason. NS_RETRY from a callback drops the connection and reconnects
 * under the policy; NS_FATAL stops it for good. All four are required.
 */
typedef struct ns_stream_source_v1 {
    uint32_t size;
    uint32_t reserved;
    /** Describes where to connect. Output valid until the next call. */
    ns_status (*describe)(void *inst, ns_stream_request *out);
    /** The connection is open: reset protocol state; may send (authenticate). */
    ns_status (*on_open)(void *inst);
    /** One complete text frame. May send, may emit. */
    ns_status (*on_frame)(void *inst, ns_str frame);
    /** The connection is gone (any reason). */
    void (*on_close)(void *inst);
} ns_stream_source_v1;

/**
 * A strategy (NS_KIND_STRATEGY). The host delivers the events of the sources it subscribes to, in batches, and each
 * update on its own orders:
 *   on_events* interleaved with on_order_update*, one at a time; submit_order may be called from either.
 * NS_FATAL fails the instance (restart within its intensity limits). on_events is required.
 */
typedef struct ns_strategy_v1 {
    uint32_t size;
    uint32_t reserved;
    /** A batch of events, in order per source. May submit orders. */
    ns_status (*on_events)(void *inst, const ns_event *events, size_t n);
    /** An update on one of this strategy's orders. May be NULL. */
    ns_status (*on_order_update)(void *inst, const ns_order_update *update);
} ns_strategy_v1;

/**
 * A broker (NS_KIND_BROKER). The host routes orders to it one at a time and reconciles orders whose outcome is unknown:
 *   on_events* (if subscribed) interleaved with submit* and query*; order_update may be called from any of them.
 * submit and query are required; on_events may be NULL.
 */
typedef struct ns_broker_v1 {
    uint32_t size;
    uint32_t reserved;
    /**
     * Submits an order (client_order_id set by the host). Writes what is known into `out`.
     * If the outcome is unknown (timeout after sending), set out->status = NS_ORDER_STATUS_UNKNOWN: the host will
     * reconcile with query() and never blindly resubmit.
     */
    ns_status (*submit)(void *inst, const ns_order *order, ns_order_update *out);
    /** Looks an order up by client_order_id (borrowed): reconciliation and fill tracking. Writes into `out`. */
    ns_status (*query)(void *inst, ns_str client_order_id, ns_order_update *out);
    /** Market events the broker is subscribed to (a paper broker fills against them). May be NULL. */
    ns_status (*on_events)(void *inst, const ns_event *events, size_t n);
} ns_broker_v1;

/* MARK: - The plugin */

/**
 * What a plugin is and does. Returned by the entry symbol; static storage, never freed, never written after it is
 * returned. The host validates it before running any other plugin code: versions first, then `size`, the layout hash,
 * create/destroy/last_error (all required), `kinds` (non-empty, known bits) and one complete capability table per
 * declared kind (its own `size` at least what ABI 1.0 defines).
 */
typedef struct ns_plugin_v1 {
    uint32_t size;           /**< sizeof(ns_plugin_v1) as the plugin was built; at least NS_PLUGIN_V1_0_SIZE */
    uint16_t abi_major;      /**< NS_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;      /**< the minor it needs (not necessarily the header's NS_ABI_MINOR) */
    uint64_t layout_hash;    /**< ns_layout_hash() as the plugin was compiled */
    ns_str name;             /**< e.g. "open-meteo-ensemble" */
    ns_str version;          /**< the plugin's own version, e.g. "1.2.0" */
    ns_str description;
    uint32_t kinds;          /**< NS_KIND_* bits */
    uint32_t reserved;
    /**
     * The config schema (JSON; see docs/abi.md), checked against the instance's YAML before create(). The host applies
     * its `default`s, so config_json and config_get see them.
     */
    ns_str config_schema;

    /**
     * Creates an instance. `config_json` is the validated config subtree as JSON (borrowed); `instance_name` is the
     * deployment's name for it (borrowed). `host` lives as long as the instance. On success writes the instance pointer
     * to `out_instance` (passed as `inst` to every later call). On failure returns non-OK — NS_INVALID_CONFIG for an
     * unusable configuration (the host exits 78 at start-up) — and may point `error` at a static or thread-local
     * message. May call host services. Called again, on a fresh instance, when the host restarts a failed one.
     */
    ns_status (*create)(const ns_host *host, ns_str instance_name, ns_str config_json, void **out_instance, ns_str *error);
    /** Destroys an instance and frees what it owns; the host makes no further calls on it. */
    void (*destroy)(void *inst);
    /** The reason for the last non-OK status on this instance (never a secret). Plugin memory, valid until the next call. */
    ns_str (*last_error)(void *inst);

    const ns_poll_source_v1 *poll_source;      /**< NULL unless NS_KIND_POLL_SOURCE */
    const ns_stream_source_v1 *stream_source;  /**< NULL unless NS_KIND_STREAM_SOURCE */
    const ns_strategy_v1 *strategy;            /**< NULL unless NS_KIND_STRATEGY */
    const ns_broker_v1 *broker;                /**< NULL unless NS_KIND_BROKER */
} ns_plugin_v1;

/** The entry point type. */
typedef const ns_plugin_v1 *(*ns_entry_v1)(void);

/**
 * Size of ns_plugin_v1 as ABI 1.0 defines it: the end of the `broker` field. A fixed value — it does not grow when a
 * later minor appends fields — so a host or a plugin can tell a 1.0 table from a longer one. The host refuses a table
 * whose `size` is smaller, and reads no more than it defines itself however large `size` is.
 */
#define NS_PLUGIN_V1_0_SIZE (offsetof(ns_plugin_v1, broker) + sizeof(const ns_broker_v1 *))

/** Host side only: the layout hash as compiled into the host (defined in the host's ABI target). */
uint64_t ns_host_layout_hash(void);

#ifdef __cplusplus
}
#endif
#endif /* NIGHTSHIFT_PLUGIN_H */
