import NightshiftConfig
import NightshiftJSON

/// The schema checker: a plugin's schema JSON, then byte 0xFF, then an instance's `config` subtree as YAML.
///
/// The schema is parsed (`ConfigSchema.parse(json:)`); when it is accepted, the subtree is validated and rendered.
/// Invariants: rendering fails exactly when validation reports errors, every error has a message, and a rendered
/// config is JSON that NightshiftJSON reads back to the same value.
func fuzzConfigSchema(_ data: UnsafeRawBufferPointer) {
    let parts = FuzzInput(data).parts(separatedBy: 0xFF)
    let schemaText = String(decoding: parts[0], as: UTF8.self)
    let yamlText = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
    guard let schema = try? ConfigSchema.parse(json: schemaText, plugin: "fuzz"),
        let node = try? YAMLNode.parse(yamlText, file: "fuzz.yaml")
    else { return }
    let errors = schema.validate(node)
    precondition(errors.allSatisfy { !$0.message.isEmpty }, "a schema error without a message")
    do {
        let config = try schema.render(node)
        precondition(errors.isEmpty, "render accepted a subtree that validate rejects")
        guard let reread = try? JSONParser.parse(config.jsonText) else {
            preconditionFailure("a rendered config is not JSON: \(config.jsonText.prefix(200))")
        }
        precondition(reread == config.value, "a rendered config reads back differently")
    } catch {
        precondition(!errors.isEmpty, "render rejected a subtree that validate accepts")
    }
}
