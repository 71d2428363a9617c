import Foundation
import NightshiftFuzzTargets
import Testing

/// Every fuzz target replays its seed corpus and every crash input ever found, in the normal suite.
///
/// A crash input (`fuzz/crashes/<target>/`) is kept after its fix, so a regression traps here without a fuzzer. The
/// bodies stop the process on a broken invariant, so a failure shows as this test binary crashing on that input.
@Suite struct CorpusReplayTests {
    /// The repository's `fuzz/` directory, found from this file's place.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz")

    /// The files in `fuzz/<kind>/<target>/`, sorted; none when the folder does not exist.
    static func inputs(_ kind: String, _ target: String) -> [URL] {
        let folder = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func seedsAndCrashesRunCleanly(target name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = Self.inputs("corpus", name)
        #expect(seeds.count >= 3, "fuzz/corpus/\(name) holds \(seeds.count) seeds")
        for file in seeds + Self.inputs("crashes", name) {
            let data = try Data(contentsOf: file)
            data.withUnsafeBytes { target.run($0) }
        }
    }

    @Test func everyTargetHasAUniqueNameAndADescription() {
        let names = FuzzTarget.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(FuzzTarget.all.allSatisfy { !$0.feeds.isEmpty })
        #expect(FuzzTarget.named("no-such-target") == nil)
    }
}
