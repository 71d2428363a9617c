import Testing
@testable import NightshiftConfig

@Suite struct YAMLNodeTests {
    @Test func scalarsKeepTheirStyleAndResolveByTheCoreSchema() throws {
        let root = try YAMLNode.parse(
            """
            plain: 123
            quoted: "123"
            single: '123'
            tagged: !!str 123
            float: 1.5e3
            hex: 0x1F
            yes: yes
            time: 09:30
            bool: TRUE
            block: |
              line
            nothing:
            tilde: ~
            """, file: "s.yaml")
        func kind(_ key: String) -> YAMLScalar.Kind? { root[key]?.scalar?.kind }
        #expect(kind("plain") == .integer && root["plain"]?.scalar?.integerValue == 123)
        #expect(kind("quoted") == .string && root["quoted"]?.scalar?.style == .doubleQuoted)
        #expect(kind("single") == .string && root["single"]?.scalar?.style == .singleQuoted)
        #expect(kind("tagged") == .string)
        #expect(kind("float") == .number && root["float"]?.scalar?.numberValue == 1500)
        #expect(kind("hex") == .integer && root["hex"]?.scalar?.integerValue == 31)
        #expect(kind("yes") == .string)
        #expect(kind("time") == .string && root["time"]?.scalar?.text == "09:30")
        #expect(kind("bool") == .boolean && root["bool"]?.scalar?.boolValue == true)
        #expect(root["nothing"]?.isNull == true && root["tilde"]?.isNull == true)
        #expect(root["block"]?.scalar == YAMLScalar("line\n", style: .literal))
    }

    @Test func everyNodeAndKeyCarriesItsOneBasedPlace() throws {
        let root = try YAMLNode.parse("a:\n  - x\n  - {b: 1}\n", file: "m.yaml")
        let entry = try #require(root.mapping?.first)
        #expect(entry.keyMark == Mark(file: "m.yaml", line: 1, column: 1))
        let items = try #require(entry.value.sequence)
        #expect(entry.value.mark == Mark(file: "m.yaml", line: 2, column: 3))
        #expect(items[0].mark == Mark(file: "m.yaml", line: 2, column: 5))
        #expect(items[1].mark == Mark(file: "m.yaml", line: 3, column: 5))
        #expect(items[1].mapping?.first?.value.mark == Mark(file: "m.yaml", line: 3, column: 9))
        #expect(items[1].mark.description == "m.yaml:3:5")
    }

    @Test func aliasesExpandToTheAnchoredNode() throws {
        let root = try YAMLNode.parse("base: &b {x: 1, y: [2, 3]}\ncopy: *b\n", file: "a.yaml")
        #expect(root["copy"]?["x"]?.scalar?.text == "1")
        #expect(root["copy"]?["y"]?.sequence?.count == 2)
        // The alias node is placed where the alias is written.
        #expect(root["copy"]?.mark == Mark(file: "a.yaml", line: 2, column: 7))
    }

    @Test func undefinedAndSelfReferentialAliasesAreErrors() {
        #expect(
            parseErrors("a: *nope\n").map(\.description) == [
                "t.yaml:1:4: error: alias '*nope' refers to no anchor defined before it"
            ])
        #expect(parseErrors("a: &x [*x]\n").map(\.code) == [.syntax])
    }

    @Test func nonScalarKeysAreRejected() {
        #expect(
            parseErrors("? [a, b]\n: 1\n").map(\.description) == [
                "t.yaml:1:3: error: mapping keys must be scalars, got a sequence"
            ])
    }

    @Test func deepNestingIsCapped() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(parseErrors(deep).map(\.description) == ["t.yaml:1:129: error: nesting deeper than 128 levels"])
    }

    @Test func invalidUTF8IsReportedWithItsPlace() {
        let errors: [ConfigError]
        do {
            _ = try YAMLNode.parse(bytes: Array("a: ok\nb: ".utf8) + [0xFF, 0x0A], file: "u.yaml")
            errors = []
        } catch {
            errors = error.errors
        }
        #expect(errors.map(\.code) == [.syntax])
        #expect(errors.first?.mark == Mark(file: "u.yaml", line: 2, column: 4))
    }

    @Test func emptyInputIsANullScalar() throws {
        #expect(try YAMLNode.parse("", file: "e.yaml").isNull)
        #expect(try YAMLNode.parse("# only a comment\n", file: "e.yaml").isNull)
    }

    @Test func syntaxErrorsInFlowCollectionsCarryLibYAMLWording() {
        #expect(
            parseErrors("a: [1, 2\n").map(\.description) == [
                "t.yaml:2:1: error: did not find expected ',' or ']' (while parsing a flow sequence at 1:4)"
            ])
        #expect(parseErrors("a: \"open\n").map(\.code) == [.syntax])
    }
}
