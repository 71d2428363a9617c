import Foundation
import Testing
@testable import NightshiftConfig

/// Mutated fixtures and random bytes never crash the loader or the schema code, and every error keeps a valid place.
@Suite struct RobustnessTests {
    /// A deterministic generator (SplitMix64), so a failure reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let tokens: [[UInt8]] =
        [
            ":", "-", " ", "\n", "\t", "[", "]", "{", "}", ",", "\"", "'", "&a ", "*a", "!!str ", "? ", "|", ">", "#",
            "${", "}", "$$", "${X:-", "${credential:", "---\n", "...\n", "%YAML 1.1\n", "\u{0}", "é", "<<: ",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]

    static func mutate(_ input: [UInt8], using rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: tokens.randomElement(using: &rng)!, at: position)
            case 2 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &rng)))
            case 3: bytes = Array(bytes.prefix(position))
            default:
                let end = min(bytes.count, position + Int.random(in: 1...40, using: &rng))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            }
        }
        return bytes
    }

    static func checkPlaces(_ errors: [ConfigError], file: String) {
        #expect(!errors.isEmpty)
        for error in errors {
            if let mark = error.mark {
                #expect(mark.line >= 1 && mark.column >= 1 && mark.file == file)
                #expect(error.description.hasPrefix("\(file):\(mark.line):\(mark.column): error: "))
            }
        }
    }

    @Test func mutatedFixturesNeverCrash() throws {
        let names =
            ["good.yaml"]
            + (try FileManager.default.contentsOfDirectory(atPath: Fixtures.path("bad"))).sorted()
            .filter { $0 != "alias-bomb.yaml" }.map { "bad/" + $0 }
        let schema = try ConfigSchema.parse(json: Fixtures.text("quotes.schema.json"))
        var rng = SplitMix(state: 0x5EED)
        var loaded = 0
        for name in names {
            let original = Array(try Fixtures.text(name).utf8)
            for _ in 0..<150 {
                let bytes = Self.mutate(original, using: &rng)
                do {
                    var deployment = try ConfigLoader.load(
                        bytes: bytes, file: "f.yaml", directory: "/srv",
                        environment: ["DATABASE_URL": "postgres://a@b/c"])
                    loaded += 1
                    for instance in deployment.instances {
                        _ = schema.validate(instance.config)
                        if let config = try? deployment.pluginConfig(for: instance.name, schema: schema) {
                            _ = config.scalar(at: "symbols.0")
                        }
                    }
                } catch {
                    Self.checkPlaces(error.errors, file: "f.yaml")
                }
            }
        }
        // Some mutations are harmless (inside comments or values), so some loads succeed.
        #expect(loaded > 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(state: 42)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in
                Bool.random(using: &rng)
                    ? UInt8.random(in: 0...255, using: &rng) : Self.tokens.randomElement(using: &rng)![0]
            }
            do {
                _ = try ConfigLoader.load(bytes: bytes, file: "r.yaml", directory: "/", environment: [:])
            } catch {
                Self.checkPlaces(error.errors, file: "r.yaml")
            }
        }
    }

    @Test func mutatedSchemasNeverCrash() throws {
        let original = Array(try Fixtures.text("quotes.schema.json").utf8)
        let config = try YAMLNode.parse(Fixtures.text("good.yaml"), file: "g.yaml")["instances"]?.sequence?.first?[
            "config"]
        var rng = SplitMix(state: 7)
        var parsed = 0
        for _ in 0..<800 {
            let text = String(decoding: Self.mutate(original, using: &rng), as: UTF8.self)
            guard let schema = try? ConfigSchema.parse(json: text, plugin: "fuzz") else { continue }
            parsed += 1
            if let config { _ = try? schema.render(config) }
        }
        #expect(parsed > 0)
        #expect((try? ConfigSchema.parse(json: String(repeating: "[", count: 10_000))) == nil)
    }

    @Test func aliasExpansionCapAlsoStopsWideFanOut() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...6 {
            let previous = level == 1 ? "a" : "l\(level - 1)"
            yaml +=
                "l\(level): &l\(level) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(parseErrors(yaml).map(\.code) == [.limit])
        // A modest reuse of anchors is fine.
        #expect(parseErrors("a: &a {x: 1}\nb: [*a, *a, *a]\n").isEmpty)
    }
}
