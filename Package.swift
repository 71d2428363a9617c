// swift-tools-version:6.0
import PackageDescription

/// Nightshift: a host that runs trading-bot plugins unattended and handles its own failures.
///
/// Arrows point down only: the CLI uses the host library; the host uses the pure modules, the stores and the C shims;
/// plugins see only the C ABI header (through the SDK). The host never imports the SDK.

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// A Swift plugin: one dynamic-library product built from `plugins/<directory>`, linking the SDK statically.
///
/// The plugin's code is an ordinary library target that tests link in-process; the entry symbol
/// (`nightshift_plugin_v1`, one line in `plugins/<directory>/Entry`) is a target of its own that only the product
/// links, so several plugins can share one test binary without a duplicate symbol.
func plugin(
    _ product: String, target: String, directory: String, dependencies: [Target.Dependency] = []
) -> (Product, [Target]) {
    (
        .library(name: product, type: .dynamic, targets: [target + "Entry"]),
        [
            .target(
                name: target, dependencies: ["NightshiftKit"] + dependencies, path: "plugins/\(directory)",
                exclude: ["Entry"],
                swiftSettings: strict),
            .target(
                name: target + "Entry", dependencies: [.target(name: target), "NightshiftKit"],
                path: "plugins/\(directory)/Entry", swiftSettings: strict),
        ]
    )
}

let plugins = [
    plugin("synthetic-quotes", target: "SyntheticQuotes", directory: "synthetic-quotes"),
    plugin("mean-reversion", target: "MeanReversion", directory: "mean-reversion"),
    plugin("paper-broker", target: "PaperBroker", directory: "paper-broker"),
    plugin("open-meteo-ensemble", target: "OpenMeteoEnsemble", directory: "open-meteo-ensemble"),
    plugin("kalshi-markets", target: "KalshiMarkets", directory: "kalshi-markets", dependencies: ["KalshiWire"]),
    plugin(
        "kalshi-broker", target: "KalshiBroker", directory: "kalshi-broker", dependencies: ["KalshiWire", "CCrypto"]),
    plugin("weather-edge", target: "WeatherEdge", directory: "weather-edge"),
    plugin("example-strategy", target: "ExampleStrategy", directory: "example-strategy"),
    plugin("alpaca-stream", target: "AlpacaStream", directory: "alpaca-stream"),
    plugin("alpaca-broker", target: "AlpacaBroker", directory: "alpaca-broker"),
    plugin("quote-momentum", target: "QuoteMomentum", directory: "quote-momentum"),
]

let package = Package(
    name: "Nightshift",
    products: [
        .executable(name: "nightshift", targets: ["nightshift"]),
        .library(name: "NightshiftKit", targets: ["NightshiftKit"]),
        .library(name: "NightshiftKitTesting", targets: ["NightshiftKitTesting"]),
    ] + plugins.map(\.0),
    targets: [
        // MARK: System-library shims (Debian packages)
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPostgreSQL", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CWebSockets", pkgConfig: "libwebsockets", providers: [.apt(["libwebsockets-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),

        // MARK: The plugin ABI: one C header
        .target(name: "NightshiftABI"),

        // MARK: Pure, I/O-free building blocks
        .target(name: "NightshiftResilience", swiftSettings: strict),

        // MARK: Configuration and events
        .target(name: "NightshiftJSON", swiftSettings: strict),
        .target(name: "NightshiftConfig", dependencies: ["NightshiftJSON", "CYAML"], swiftSettings: strict),
        .target(
            name: "NightshiftEvents", dependencies: ["NightshiftJSON", "CSQLite", "CPostgreSQL"],
            swiftSettings: strict),

        // MARK: Transport shells: libcurl HTTP and libwebsockets WebSocket (no policy; the host adds it)
        .target(name: "CCurlHelpers"),
        .target(name: "CWebSocketsHelpers"),
        .target(
            name: "NightshiftIO",
            dependencies: ["CCurl", "CCurlHelpers", "CWebSockets", "CWebSocketsHelpers"],
            swiftSettings: strict
        ),

        // MARK: Metrics and health over HTTP (a registry, the Prometheus text format, a libmicrohttpd shell)
        .target(name: "NightshiftMetrics", dependencies: ["CMicroHTTPD"], swiftSettings: strict),

        // MARK: The runtime
        .target(
            name: "NightshiftHost",
            dependencies: [
                "NightshiftABI", "NightshiftResilience", "NightshiftConfig", "NightshiftEvents", "NightshiftIO",
                "CCrypto", "NightshiftJSON", "CPostgreSQL", "NightshiftMetrics",
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "nightshift", dependencies: ["NightshiftHost", "NightshiftScaffold"], swiftSettings: strict),

        // MARK: Plugin scaffolding for `nightshift plugin new` (code generation, not runtime)
        .target(name: "NightshiftScaffold", swiftSettings: strict),

        // MARK: Benchmarks (figures against baselines measured in the same run; never a test assertion)
        .executableTarget(
            name: "nightshift-bench",
            dependencies: ["NightshiftHost", "NightshiftEvents", "NightshiftConfig", "NightshiftABI"],
            path: "Benchmarks/nightshift-bench",
            swiftSettings: strict
        ),

        // MARK: The SDK for plugin authors
        .target(name: "NightshiftKit", dependencies: ["NightshiftABI"], swiftSettings: strict),
        .target(name: "NightshiftKitTesting", dependencies: ["NightshiftKit", "NightshiftABI"], swiftSettings: strict),
        // Kalshi's wire shapes, shared by the two Kalshi plugins (linked into each).
        .target(
            name: "KalshiWire", dependencies: ["NightshiftKit"], path: "plugins/kalshi-wire", swiftSettings: strict),

        // MARK: Fuzz target bodies (libFuzzer mains are built by scripts/fuzz.sh; the suite replays the corpora)
        .target(
            name: "NightshiftFuzzTargets",
            dependencies: [
                "NightshiftJSON", "NightshiftConfig", "NightshiftEvents", "NightshiftHost", "NightshiftABI",
                "NightshiftKit", "NightshiftKitTesting", "AlpacaStream", "OpenMeteoEnsemble", "KalshiMarkets",
                "KalshiBroker", "AlpacaBroker",
            ],
            swiftSettings: strict),

        // MARK: Tests
        .target(name: "NightshiftTestSupport", path: "Tests/NightshiftTestSupport", swiftSettings: strict),
        .testTarget(name: "NightshiftResilienceTests", dependencies: ["NightshiftResilience"], swiftSettings: strict),
        .testTarget(name: "NightshiftJSONTests", dependencies: ["NightshiftJSON"], swiftSettings: strict),
        .testTarget(
            name: "NightshiftConfigTests", dependencies: ["NightshiftConfig"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "NightshiftEventsTests", dependencies: ["NightshiftEvents"], swiftSettings: strict),
        .testTarget(
            name: "NightshiftIOTests", dependencies: ["NightshiftIO", "NightshiftTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "NightshiftKitTests",
            dependencies: [
                "NightshiftKitTesting", "NightshiftKit", "NightshiftABI", "SyntheticQuotes", "MeanReversion", "PaperBroker",
                "OpenMeteoEnsemble", "KalshiMarkets", "KalshiBroker", "KalshiWire", "WeatherEdge",
                "AlpacaStream", "AlpacaBroker", "QuoteMomentum", "NightshiftTestSupport",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NightshiftMetricsTests", dependencies: ["NightshiftMetrics", "NightshiftTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "NightshiftFuzzTargetsTests", dependencies: ["NightshiftFuzzTargets"], swiftSettings: strict),
        .testTarget(name: "NightshiftScaffoldTests", dependencies: ["NightshiftScaffold"], swiftSettings: strict),
        .testTarget(
            name: "NightshiftHostTests",
            dependencies: ["NightshiftHost", "NightshiftTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ] + plugins.flatMap(\.1)
)
