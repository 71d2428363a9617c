import Foundation
import Testing
@testable import NightshiftHost

/// The versioning policy against real `.so` files built by `cc` from `Fixtures/abi_compat_plugin.c`.
///
/// Where a test is about what the host *reads*, the fixture places the table so that it ends exactly where readable
/// memory ends (a guard page follows): a host reading one byte past what the plugin provided would crash. Those loads
/// run in the `nightshift plugin inspect` binary, so such a regression fails the test instead of the test process.
/// Refusals already covered by `PluginLoaderTests` (another major, a newer minor, a short or 1 GiB info table without
/// a guard page) are not repeated here.
@Suite struct ABICompatibilityTests {
    static let source = "Tests/NightshiftHostTests/Fixtures/abi_compat_plugin.c"
    let builder: CPluginBuilder

    init() throws { builder = try CPluginBuilder() }

    /// The capability kinds, as the fixture's `-D` flag and the loader's name for them.
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case strategy, broker, pollSource = "poll-source", streamSource = "stream-source"
        var define: String? {
            switch self {
            case .strategy: nil
            case .broker: "AS_BROKER"
            case .pollSource: "AS_POLL"
            case .streamSource: "AS_STREAM"
            }
        }
        var testDescription: String { rawValue }
    }

    /// Builds the fixture with `defines` and inspects it with the CLI.
    private func inspect(_ defines: [String], kind: Kind = .strategy, name: String) throws -> CommandRunner.Result {
        let path = try builder.build(Self.source, name: name, defines: defines + (kind.define.map { [$0] } ?? []))
        return try CommandRunner.nightshift(["plugin", "inspect", path, "--json"])
    }

    /// The JSON `plugin inspect --json` printed for an accepted plugin.
    private func accepted(_ result: CommandRunner.Result) throws -> [String: Any] {
        #expect(!result.signaled, "the host read past the table: \(result)")
        #expect(result.status == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object, "not JSON: \(result.stdout)")
    }

    /// The message of a refusal: exit 78, the reason on stderr.
    private func refused(_ result: CommandRunner.Result) -> String {
        #expect(!result.signaled, "the host read past the table: \(result)")
        #expect(result.status == 78, "\(result)")
        return result.stderr
    }

    // MARK: - Versions

    @Test func aPluginBuiltForTheOldestMinorLoadsReadingOnlyWhatThatMinorDefines() throws {
        // An older-minor plugin declares the 1.0 size and minor 0; only those bytes exist before the guard page.
        let json = try accepted(inspect(["MINOR=0", "TABLE_SIZE=NS_PLUGIN_V1_0_SIZE", "GUARDED"], name: "old-minor"))
        #expect(json["name"] as? String == "abi-compat")
        #expect((json["abi"] as? [String: Int])?["minor"] == 0)
        #expect(json["kinds"] as? [String] == ["strategy"])
    }

    @Test func aTableFromALaterHeaderNeedingOnlyThisMinorLoadsAndItsTailIsIgnored() throws {
        // Built against a header whose table has appended fields (a bogus function pointer among them), declaring
        // the larger size but needing only this host's minor: the host reads its own fields and nothing else.
        let json = try accepted(inspect(["EXTENDED", "GUARDED"], name: "extended"))
        #expect(json["name"] as? String == "abi-compat")
        #expect(json["layout_hash_matches_host"] as? Bool == true)
    }

    @Test(arguments: [HostABI.minor + 1, 65_535])
    func aNewerMinorIsRefusedFromItsVersionFieldsAlone(minor: Int) throws {
        // Only the size and version fields are provided: the refusal must come before anything else is read.
        let message = refused(try inspect(["MINOR=\(minor)", "GUARDED", "PROVIDED=8"], name: "minor-\(minor)"))
        #expect(message.contains("abi-minor-too-new"))
        #expect(message.contains("needs ABI \(HostABI.major).\(minor)"))
        #expect(message.contains("implements ABI \(HostABI.major).\(HostABI.minor)"))
    }

    @Test(arguments: [0, HostABI.major + 1])
    func anotherMajorIsRefusedFromItsVersionFieldsAlone(major: Int) throws {
        let message = refused(try inspect(["MAJOR=\(major)", "MINOR=0", "GUARDED", "PROVIDED=8"], name: "major-\(major)"))
        #expect(message.contains("abi-major-mismatch"))
        #expect(message.contains("built for ABI \(major).0"))
        #expect(message.contains("implements ABI \(HostABI.major).\(HostABI.minor)"))
    }

    // MARK: - Info table sizes

    @Test(arguments: ["0", "8", "64", "NS_PLUGIN_V1_0_SIZE-8"])
    func aTinyInfoTableIsRefusedWithoutReadingPastIt(size: String) throws {
        // The plugin provides exactly the bytes it declares (at least the 8 bytes of size and version).
        let provided = size == "0" ? "8" : size
        let message = refused(
            try inspect(["TABLE_SIZE=\(size)", "GUARDED", "PROVIDED=\(provided)"], name: "tiny-\(size.count)"))
        #expect(message.contains("malformed-info"))
        #expect(message.contains("the info table declares"))
        #expect(message.contains("ABI 1.0 defines"))
    }

    @Test func aHugeInfoTableSizeReadsNoMoreThanThisHostDefines() throws {
        let json = try accepted(inspect(["TABLE_SIZE=0xffffffffu", "GUARDED"], name: "huge-guarded"))
        #expect(json["kinds"] as? [String] == ["strategy"])
    }

    // MARK: - Capability table sizes

    @Test(arguments: Kind.allCases, ["CAP_SIZE=0", "CAP_SIZE=8", "CAP_SHORTFALL=8"])
    func aTruncatedCapabilityTableIsRefused(kind: Kind, size: String) throws {
        let message = refused(try inspect([size, "CAP_GUARDED"], kind: kind, name: "cap-\(kind)-\(size.count)"))
        #expect(message.contains("malformed-info"))
        #expect(message.contains("the \(kind.rawValue) table declares"))
        #expect(message.contains("ABI 1.0 defines"))
    }

    @Test(arguments: Kind.allCases)
    func aHugeCapabilityTableSizeReadsNoMoreThanThisHostDefines(kind: Kind) throws {
        let json = try accepted(inspect(["CAP_SIZE=0xffffffffu", "CAP_GUARDED"], kind: kind, name: "cap-huge-\(kind)"))
        #expect(json["kinds"] as? [String] == [kind.rawValue])
    }

    @Test(arguments: Kind.allCases)
    func aCapabilityTableExactlyAsLongAsThisHostDefinesLoadsInProcess(kind: Kind) throws {
        let path = try builder.build(
            Self.source, name: "cap-exact-\(kind)", defines: ["CAP_GUARDED"] + (kind.define.map { [$0] } ?? []))
        let plugin = try PluginLoader.load(path: path)
        #expect(plugin.info.kinds.names == [kind.rawValue])
        let present = [plugin.strategy != nil, plugin.broker != nil, plugin.pollSource != nil, plugin.streamSource != nil]
        #expect(present.filter { $0 }.count == 1)
    }

    @Test(arguments: Kind.allCases)
    func aCapabilityTableWithoutARequiredFunctionIsRefused(kind: Kind) throws {
        let path = try builder.build(
            Self.source, name: "cap-missing-\(kind)",
            defines: ["CAP_MISSING_FUNCTION"] + (kind.define.map { [$0] } ?? []))
        do {
            _ = try PluginLoader.load(path: path)
            Issue.record("a \(kind) table without a required function was accepted")
        } catch {
            #expect(error.code == .malformedInfo)
            #expect(error.message == "the \(kind.rawValue) table lacks a required function")
        }
    }
}
