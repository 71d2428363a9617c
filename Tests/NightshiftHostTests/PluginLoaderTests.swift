import Foundation
import Glibc
import Testing
@testable import NightshiftHost

/// The loader against real `.so` files built by the system C compiler: every refusal named, the host still alive.
@Suite struct PluginLoaderTests {
    let builder: CPluginBuilder
    static let source = "Tests/NightshiftHostTests/Fixtures/variant_plugin.c"

    init() throws { builder = try CPluginBuilder() }

    private func refusal(_ defines: [String], name: String) throws -> PluginLoadError {
        let path = try builder.build(Self.source, name: name, defines: defines)
        do {
            _ = try PluginLoader.load(path: path)
        } catch {
            #expect(error.path == path)
            return error
        }
        Issue.record("plugin built with \(defines) was accepted")
        throw CPluginBuilder.BuildError(message: "accepted")
    }

    @Test func loadsAGoodPluginAndReadsItsInfo() throws {
        let path = try builder.build(Self.source, name: "good", defines: ["NAME=\"good-one\""])
        let plugin = try PluginLoader.load(path: path)
        #expect(plugin.info.name == "good-one")
        #expect(plugin.info.version == "0.0.1")
        #expect(plugin.info.kinds == .strategy)
        #expect(plugin.info.abiMajor == HostABI.major)
        #expect(plugin.info.layoutHash == HostABI.layoutHash)
        #expect(plugin.info.sha256.count == 64)
        #expect(plugin.strategy != nil && plugin.broker == nil)
    }

    @Test func refusesAMissingFile() throws {
        let path = builder.directory.appendingPathComponent("absent.so").path
        #expect(throws: PluginLoadError.self) { try PluginLoader.load(path: path) }
        do { _ = try PluginLoader.load(path: path) } catch {
            #expect(error.code == .missingFile)
            #expect(error.description.contains(path))
        }
    }

    @Test func refusesADirectory() throws {
        do { _ = try PluginLoader.load(path: builder.directory.path) } catch {
            #expect(error.code == .notRegularFile)
            return
        }
        Issue.record("a directory was accepted")
    }

    @Test func refusesGroupOrWorldWritableFilesAndDirectories() throws {
        let path = try builder.build(Self.source, name: "writable")
        chmod(path, 0o666)
        do { _ = try PluginLoader.load(path: path); Issue.record("world-writable file accepted") } catch {
            #expect(error.code == .insecurePermissions)
            #expect(error.message.contains("writable"))
        }
        chmod(path, 0o644)
        chmod(builder.directory.path, 0o777)
        defer { chmod(builder.directory.path, 0o755) }
        do { _ = try PluginLoader.load(path: path); Issue.record("file in world-writable directory accepted") } catch {
            #expect(error.code == .insecurePermissions)
            #expect(error.message.contains("directory"))
        }
    }

    @Test func refusesAFileWithoutTheEntrySymbol() throws {
        let error = try refusal(["NO_ENTRY"], name: "noentry")
        #expect(error.code == .noEntrySymbol)
        #expect(error.message.contains("nightshift_plugin_v1"))
    }

    @Test func refusesAnotherMajorNamingBothVersions() throws {
        let error = try refusal(["MAJOR=2", "MINOR=0"], name: "major2")
        #expect(error.code == .abiMajorMismatch)
        #expect(error.message.contains("2.0"))
        #expect(error.message.contains("\(HostABI.major).\(HostABI.minor)"))
    }

    @Test func refusesAPluginNeedingANewerMinorNamingBothVersions() throws {
        let error = try refusal(["MINOR=\(HostABI.minor + 3)"], name: "minor")
        #expect(error.code == .abiMinorTooNew)
        #expect(error.message.contains("needs ABI \(HostABI.major).\(HostABI.minor + 3)"))
        #expect(error.message.contains("implements ABI \(HostABI.major).\(HostABI.minor)"))
    }

    @Test func refusesALayoutHashMismatch() throws {
        let error = try refusal(["BAD_LAYOUT"], name: "layout")
        #expect(error.code == .layoutMismatch)
        #expect(error.message.contains(String(HostABI.layoutHash, radix: 16)))
    }

    @Test func refusesATruncatedInfoTable() throws {
        let error = try refusal(["TABLE_SIZE=16"], name: "short")
        #expect(error.code == .malformedInfo)
        #expect(error.message.contains("16 bytes"))
    }

    @Test func aBogusLargeTableSizeReadsNoMoreThanTheHostDefines() throws {
        // The plugin claims a 1 GiB table; the loader copies only what ABI 1.0 defines and loads it normally.
        let path = try builder.build(Self.source, name: "huge", defines: ["TABLE_SIZE=1073741824"])
        let plugin = try PluginLoader.load(path: path)
        #expect(plugin.info.name == "variant")
    }

    @Test func refusesADeclaredKindWithoutItsTable() throws {
        let error = try refusal(["MISSING_TABLE"], name: "notable")
        #expect(error.code == .malformedInfo)
        #expect(error.message.contains("strategy"))
    }

    @Test func checksTheSHA256Pin() throws {
        let path = try builder.build(Self.source, name: "pinned")
        let digest = try PluginLoader.load(path: path).info.sha256
        #expect(try PluginLoader.load(path: path, sha256: digest.uppercased()).info.sha256 == digest)
        let wrong = String(repeating: "0", count: 64)
        do { _ = try PluginLoader.load(path: path, sha256: wrong); Issue.record("pin mismatch accepted") } catch {
            #expect(error.code == .digestMismatch)
            #expect(error.message.contains(digest) && error.message.contains(wrong))
        }
    }

    @Test func resolvesNamesInPluginDirectories() throws {
        let path = try builder.build(Self.source, name: "libfinder")
        #expect(try PluginLoader.resolve("finder", in: ["/nonexistent", builder.directory.path]) == path)
        #expect(throws: PluginLoadError.self) { try PluginLoader.resolve("absent", in: [builder.directory.path]) }
    }

    @Test func aPathMustLieInsideAConfiguredPluginDirectory() throws {
        let path = try builder.build(Self.source, name: "libpathed")
        let directory = builder.directory.path
        #expect(try PluginLoader.resolve(path, in: [directory]) == path)
        #expect(try PluginLoader.resolve("./libpathed.so", in: [directory], base: directory) == path)
        for outside in [path, "\(directory)/../\((directory as NSString).lastPathComponent)-other/libpathed.so", "/usr/lib/libc.so"] {
            do {
                _ = try PluginLoader.resolve(outside, in: outside == path ? ["/opt/plugins"] : [directory])
                Issue.record("\(outside) accepted outside the plugin directories")
            } catch {
                #expect(error.code == .outsidePluginDirectories)
                #expect(error.description.contains(outside == path ? "/opt/plugins" : directory))
            }
        }
        // A sibling directory sharing the prefix is not inside.
        #expect(throws: PluginLoadError.self) { try PluginLoader.resolve("\(directory)x/libpathed.so", in: [directory]) }
    }

    @Test func aSymlinkIsCheckedAtItsTarget() throws {
        let writable = builder.directory.appendingPathComponent("writable")
        try FileManager.default.createDirectory(at: writable, withIntermediateDirectories: true)
        chmod(writable.path, 0o777)
        let real = try builder.build(Self.source, name: "writable/linked")
        let link = builder.directory.appendingPathComponent("liblinked.so").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        do { _ = try PluginLoader.load(path: link); Issue.record("a link into a world-writable directory was accepted") } catch {
            #expect(error.code == .insecurePermissions)
            #expect(error.message.contains(writable.path))
        }
        chmod(writable.path, 0o755)
        #expect(try PluginLoader.load(path: link).info.name == "variant")
    }
}
