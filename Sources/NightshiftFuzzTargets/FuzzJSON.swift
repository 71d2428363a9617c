import NightshiftJSON

/// NightshiftJSON's parser on raw bytes.
///
/// Invariant: whatever parses renders as text that parses back to the same value, and rendering that value again gives
/// the same text (the renderer is a fixed point after one pass).
func fuzzJSON(_ data: UnsafeRawBufferPointer) {
    guard let value = try? JSONParser.parse(utf8: Array(data)) else { return }
    let text = value.jsonText
    guard let again = try? JSONParser.parse(text) else {
        preconditionFailure("rendered JSON does not parse: \(text.prefix(200))")
    }
    precondition(again == value, "JSON round trip changed the value: \(text.prefix(200))")
    precondition(again.jsonText == text, "JSON rendering is not stable: \(text.prefix(200))")
}
