import Testing
@testable import NightshiftConfig

@Suite struct ConfigSchemaTests {
    private func schemaErrors(_ json: String, plugin: String? = "demo") -> [String] {
        do {
            _ = try ConfigSchema.parse(json: json, plugin: plugin)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    private func node(_ yaml: String) throws -> YAMLNode {
        try YAMLNode.parse(yaml, file: "c.yaml")
    }

    @Test func parsesEveryKeyword() throws {
        let schema = try ConfigSchema.parse(json: Fixtures.text("quotes.schema.json"))
        #expect(schema.type == .object && schema.required == ["symbols", "api_key"])
        #expect(
            schema.properties.map(\.name) == ["symbols", "api_key", "interval", "mode", "spread", "verbose", "venue"])
        #expect(schema.property("symbols")?.items?.pattern == "^[A-Z.]+$")
        #expect(schema.property("api_key")?.isSecret == true && schema.property("api_key")?.minLength == 8)
        #expect(schema.property("interval")?.minimum == 1 && schema.property("interval")?.maximum == 3600)
        #expect(schema.property("mode")?.enumValues == [.string("random-walk"), .string("replay")])
        #expect(schema.property("spread")?.defaultValue == .number(0.01))
        #expect(schema.description == "Synthetic quotes")
        #expect(schema.additionalProperties == .forbidden)
    }

    @Test func malformedSchemasNameThePluginAndEveryDefect() {
        #expect(
            schemaErrors("{\n  \"type\": \"object\",\n  \"properties\": {,}\n}") == [
                "error: plugin 'demo': config schema is not valid JSON at line 3, column 18: expected a member name in quotes"
            ])
        #expect(
            schemaErrors(
                #"{"type": "obj", "propertys": {}, "minimum": "1", "required": ["a"], "properties": {"b": {"default": 1, "type": "string"}}}"#
            ) == [
                "error: plugin 'demo': config schema: unknown keyword 'propertys'; did you mean 'properties'? allowed keys: "
                    + ConfigSchema.keywords.joined(separator: ", "),
                "error: plugin 'demo': config schema at 'type': expected one of object, array, string, integer, number, boolean",
                "error: plugin 'demo': config schema at 'minimum': expected a number",
                "error: plugin 'demo': config schema at 'properties.b': the default is integer, not string",
                "error: plugin 'demo': config schema: 'required' names 'a', which is not among the properties",
            ])
        #expect(
            schemaErrors(#"{"type": "string", "pattern": "(unclosed"}"#, plugin: nil) == [
                "error: config schema at 'pattern': expected a valid regular expression"
            ])
        #expect(
            schemaErrors(#"{"type": "integer", "minimum": 5, "default": 3}"#) == [
                "error: plugin 'demo': config schema: the default does not fit the schema: default: must be at least 5"
            ])
        #expect(schemaErrors("[]") == ["error: plugin 'demo': config schema: expected a schema object, got array"])
    }

    @Test func renderTypesValuesBySchemaAndAppliesDefaults() throws {
        let schema = try ConfigSchema.parse(
            json: """
                {"type": "object", "properties": {
                  "label": {"type": "string"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
                  "on": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}},
                  "mode": {"type": "string", "default": "fast"},
                  "extra": {"type": "object", "additionalProperties": true},
                  "limits": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
                }}
                """)
        let config = try schema.render(
            node(
                """
                label: 5
                count: 7.0
                ratio: 2
                on: true
                tags: [a, "1"]
                extra: {n: 1, s: "1", f: 1.5, b: false, z: ~, l: [x]}
                limits: {AAPL: 10, MSFT: 0x10}
                """))
        #expect(
            config.jsonText
                == #"{"label":"5","count":7,"ratio":2,"on":true,"tags":["a","1"],"extra":{"n":1,"s":"1","f":1.5,"b":false,"z":null,"l":["x"]},"limits":{"AAPL":10,"MSFT":16},"mode":"fast"}"#
        )
        #expect(config.scalar(at: "extra.l.0") == "x")
        #expect(config.scalar(at: "limits.MSFT") == "16")
        #expect(config.scalar(at: "on") == "true")
        #expect(config.scalar(at: "extra.z") == nil && config.scalar(at: "nope.deeper") == nil)
        #expect(config.scalar(at: "tags.9") == nil)
        #expect(config.secrets.isEmpty)

        let errors = schema.validate(try node("limits: {AAPL: -1}\ncount: \"3\"\n"))
        #expect(
            errors.map(\.description) == [
                "c.yaml:1:16: error: config.limits.AAPL: must be at least 0",
                #"c.yaml:2:8: error: config.count: expected an integer, got string "3""#,
            ])
    }

    @Test func secretPropertiesAreCollectedAndNeverShown() throws {
        let schema = try ConfigSchema.parse(
            json: """
                {"type": "object", "properties": {
                  "key": {"type": "string", "secret": true, "pattern": "^sk-"},
                  "pin": {"type": "integer", "secret": true, "enum": [1234, 5678]},
                  "auth": {"type": "object", "secret": true, "properties": {"user": {"type": "string"}, "pass": {"type": "string", "default": "default-pass"}}}
                }}
                """)
        let bad = schema.validate(try node("key: pk-live-abcdef\npin: 4321\nauth: {user: [x]}\n"))
        #expect(
            bad.map(\.description) == [
                "c.yaml:1:6: error: config.key: must match the pattern ^sk-",
                "c.yaml:2:6: error: config.pin: must be one of 1234, 5678",
                "c.yaml:3:14: error: config.auth.user: expected a string, got a sequence",
            ])
        let config = try schema.render(node("key: sk-live-abcdef\npin: 1234\nauth: {user: bot}\n"))
        #expect(config.secrets == ["sk-live-abcdef", "1234", "bot", "default-pass"])
    }

    @Test func deploymentRecordsRenderedSecretsAndRejectsUnknownInstances() throws {
        var deployment = try ConfigLoader.load(
            text: "instances:\n  - {name: a, plugin: p, config: {key: sk-123456}}\n", file: "d.yaml", directory: "/srv",
            environment: [:])
        let schema = try ConfigSchema.parse(
            json: #"{"type":"object","properties":{"key":{"type":"string","secret":true}}}"#)
        #expect(deployment.secrets.isEmpty)
        _ = try deployment.pluginConfig(for: "a", schema: schema)
        #expect(deployment.secrets == ["sk-123456"])
        #expect(throws: ConfigErrors([ConfigError(.reference, "no instance named 'b'", at: nil)])) {
            try deployment.pluginConfig(for: "b", schema: schema)
        }
    }

    @Test func requiredIsSatisfiedByADefaultAndNullIsNotAValue() throws {
        let schema = try ConfigSchema.parse(
            json:
                #"{"type":"object","required":["a","b"],"properties":{"a":{"type":"integer","default":1},"b":{"type":"string"}}}"#
        )
        #expect(schema.validate(try node("b: x\n")).isEmpty)
        #expect(
            schema.validate(try node("b:\n")).map(\.description) == [
                "c.yaml:1:3: error: config.b: expected a string, got null"
            ])
        #expect(
            schema.validate(try node("{}")).map(\.description) == [
                "c.yaml:1:1: error: config: missing required key 'b'"
            ])
    }
}
