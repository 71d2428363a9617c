import NightshiftFuzzTargets
import Testing

/// Inputs every target must take without trapping: nothing, one byte of each value, and text in the wrong shape.
@Suite struct TargetEdgeTests {
    static let edgeInputs: [[UInt8]] =
        [[]] + (0...255).map { [UInt8($0)] }
        + [Array(repeating: 0xFF, count: 64), Array(repeating: 0x00, count: 300), Array(#"{"a":[1,2,{"b":null}]}"#.utf8),
           Array("key: [unterminated\n".utf8), Array(repeating: UInt8(ascii: "["), count: 10_000)]

    @Test(arguments: FuzzTarget.all.map(\.name))
    func edgeInputsRunCleanly(target name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        for input in Self.edgeInputs {
            input.withUnsafeBytes { target.run($0) }
        }
    }
}
