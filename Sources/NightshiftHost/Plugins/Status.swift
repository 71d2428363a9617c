import NightshiftABI

/// The ABI's status codes as `ns_status` values (C enum constants import as `Int`).
enum Status {
    static let ok = ns_status(NS_OK)
    static let retry = ns_status(NS_RETRY)
    static let fatal = ns_status(NS_FATAL)
    static let invalidConfig = ns_status(NS_INVALID_CONFIG)
}
