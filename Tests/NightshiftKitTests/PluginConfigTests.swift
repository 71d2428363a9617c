import NightshiftKit
import NightshiftKitTesting
import Testing

@Suite struct PluginConfigTests {
    @Test func readsValuesByDottedPath() {
        let config = PluginConfig(
            json: #"{"a":{"b":[10,"x",true,2.5]},"name":"n","flag":false,"price":"1.25","whole":3.0,"list":["p","q"]}"#)
        #expect(config.int("a.b.0") == 10)
        #expect(config.string("a.b.1") == "x")
        #expect(config.bool("a.b.2") == true)
        #expect(config.int("a.b.2") == nil)  // a boolean is not a number
        #expect(config.double("a.b.3") == 2.5)
        #expect(config.int("a.b.3") == nil)  // not whole
        #expect(config.int("whole") == 3)
        #expect(config.bool("flag") == false)
        #expect(config.bool("a.b.0") == nil)  // a number is not a boolean
        #expect(config.fixed("price") == Fixed("1.25"))
        #expect(config.fixed("a.b.3") == Fixed(2.5))
        #expect(config.strings("list") == ["p", "q"])
        #expect(config.strings("a.b") == nil)
        #expect(config.string("a.b.9") == nil)
        #expect(config.contains("name"))
        #expect(!config.contains("missing.path"))
    }

    @Test func decodeErrorsNameTheKeyInSnakeCase() {
        struct Settings: Decodable { var quotesPerCycle: Int }
        let error = #expect(throws: PluginError.self) {
            try PluginConfig(json: #"{"quotes_per_cycle":"ten"}"#).decode(Settings.self)
        }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message == "quotes_per_cycle: expected an integer")
        let missing = #expect(throws: PluginError.self) { try PluginConfig(json: "{}").decode(Settings.self) }
        #expect(missing?.message == "quotes_per_cycle: required key is missing")
    }

    @Test func schemaDefaultsAreFilledInBeforeInit() throws {
        let config = try probeConfig(#"{"count": 3}"#)
        #expect(config.string("mode") == "ok")
        #expect(config.strings("urls") == [])
        #expect(config.int("limits.max") == 7)  // a nested object absent from the config is filled from its schema
        #expect(config.int("count") == 3)
        let untouched = try probeConfig(#"{"mode":"ok","limits":{"max":9}}"#)
        #expect(untouched.int("limits.max") == 9)
        #expect(!untouched.contains("count"))  // no default, so still absent
        let empty = try probeConfig("")
        #expect(empty.int("limits.max") == 7)
        #expect(empty.string("fail_with") == "")
    }

    /// The configuration a probe instance received for `json`, as it logged it.
    private func probeConfig(_ json: String) throws -> PluginConfig {
        let harness = try PluginHarness(ProbePlugin.self, config: json)
        let line = try #require(harness.host.logs.first { $0.message == "config" })
        guard case .string(let text) = line.fields["json"] else { throw PluginError.fatal("no json field") }
        return PluginConfig(json: text)
    }
}
