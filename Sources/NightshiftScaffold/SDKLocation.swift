import Foundation

/// A Nightshift checkout used as the SDK of a generated plugin package.
///
/// A Swift plugin depends on the checkout's `NightshiftKit` and `NightshiftKitTesting` products through
/// `.package(path:)`, which needs no network; a C plugin compiles against the checkout's ABI header.
public struct SDKLocation: Sendable, Hashable {
    /// The header's directory inside a checkout.
    public static let includeSubpath = "Sources/NightshiftABI/include"

    /// The checkout's absolute, standardised path.
    public let root: String

    /// Checks that `path` is a Nightshift checkout: it holds `Package.swift` and the ABI header.
    ///
    /// - Throws: ``ScaffoldError`` with code ``ScaffoldError/Code/sdkNotFound`` naming the missing file.
    public init(root path: String) throws(ScaffoldError) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let root = URL(fileURLWithPath: absolute).standardizedFileURL.path
        for required in ["Package.swift", Self.includeSubpath + "/nightshift_plugin.h"] {
            guard FileManager.default.fileExists(atPath: root + "/" + required) else {
                throw ScaffoldError(
                    .sdkNotFound, "\(root) is not a Nightshift checkout: \(required) is missing")
            }
        }
        self.root = root
    }

    /// Finds the checkout a `nightshift` executable was built in, walking up from its directory.
    ///
    /// A binary built by `swift build` lives in `<checkout>/.build/<triple>/debug/`, so the first ancestor that is a
    /// checkout is the SDK. Returns `nil` for an installed binary with no checkout above it.
    public static func locate(fromExecutable executable: String) -> SDKLocation? {
        let resolved = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var directory = resolved.deletingLastPathComponent()
        while directory.path != "/" && !directory.path.isEmpty {
            if let location = try? SDKLocation(root: directory.path) { return location }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// The directory holding `nightshift_plugin.h`.
    public var includeDirectory: String { root + "/" + Self.includeSubpath }

    /// The identity SwiftPM gives the checkout as a path dependency: its directory name, lower-cased.
    public var packageIdentity: String { URL(fileURLWithPath: root).lastPathComponent.lowercased() }

    /// Where `swift build` in the checkout puts the plugins that ship with it (`libpaper-broker.so`, …).
    public var productsDirectory: String { root + "/.build/debug" }
}
