/// The Swift package `plugin new --lang swift` generates: a manifest depending on the SDK by path, the plugin's
/// library target, the one-line entry target, and a Swift Testing suite driving the plugin through `PluginHarness`.
enum SwiftPackageTemplate {
    static func files(for request: ScaffoldRequest, values: TemplateValues) -> [ScaffoldFile] {
        let module = request.name.moduleName
        let kind = SwiftKindTemplates.template(for: request.kind)
        return [
            ScaffoldFile("Package.swift", values.render(manifest)),
            ScaffoldFile("Sources/\(module)/\(module)Plugin.swift", values.render(kind.plugin)),
            ScaffoldFile("Sources/\(module)/\(module)Config.swift", values.render(kind.config)),
            ScaffoldFile("Sources/\(module)Entry/Entry.swift", values.render(entry)),
            ScaffoldFile("Tests/\(module)Tests/\(module)Tests.swift", values.render(kind.tests)),
            ScaffoldFile(".gitignore", ".build/\n.swiftpm/\nvar/\n"),
        ]
    }

    static let manifest = #"""
        // swift-tools-version:6.0
        import PackageDescription

        /// {{name}}: a Nightshift {{kind}} plugin.
        ///
        /// `swift build` produces `.build/debug/lib{{name}}.so`, the file a deployment loads. The plugin's code is an
        /// ordinary library target (`{{Module}}`) that the tests link in-process; the entry symbol lives in
        /// `{{Module}}Entry`, which only the dynamic library links.
        let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

        let package = Package(
            name: "{{name}}",
            products: [
                .library(name: "{{name}}", type: .dynamic, targets: ["{{Module}}Entry"]),
            ],
            dependencies: [
                // The Nightshift checkout providing the SDK. A path dependency needs no network.
                .package(path: "{{sdkSwift}}"),
            ],
            targets: [
                .target(
                    name: "{{Module}}",
                    dependencies: [.product(name: "NightshiftKit", package: "{{identity}}")],
                    swiftSettings: strict),
                .target(
                    name: "{{Module}}Entry",
                    dependencies: ["{{Module}}", .product(name: "NightshiftKit", package: "{{identity}}")],
                    swiftSettings: strict),
                .testTarget(
                    name: "{{Module}}Tests",
                    dependencies: [
                        "{{Module}}",
                        .product(name: "NightshiftKit", package: "{{identity}}"),
                        .product(name: "NightshiftKitTesting", package: "{{identity}}"),
                    ],
                    swiftSettings: strict),
            ]
        )

        """#

    static let entry = #"""
        import NightshiftKit
        import {{Module}}

        /// The library's entry symbol: the one line that makes `{{Module}}Plugin` a loadable plugin.
        @_cdecl("nightshift_plugin_v1")
        public func nightshiftPlugin() -> UnsafeRawPointer { export({{Module}}Plugin.self) }

        """#
}

/// The kind-specific files of a generated Swift package.
struct SwiftKindTemplate {
    var plugin: String
    var config: String
    var tests: String
}

enum SwiftKindTemplates {
    static func template(for kind: ScaffoldRequest.Kind) -> SwiftKindTemplate {
        switch kind {
        case .strategy: strategy
        case .source: source
        case .broker: broker
        }
    }
}
