/// One libyaml parser event in Swift form: what the tree builder consumes.
///
/// Keeping the builder on Swift values (not libyaml structs) makes it a pure state machine, testable without the C
/// library and free of pointer lifetimes.
enum YAMLEvent: Sendable, Equatable {
    case streamStart
    case streamEnd
    case documentStart(Mark)
    case documentEnd
    case scalar(YAMLScalar, anchor: String?, mark: Mark)
    case alias(String, mark: Mark)
    case sequenceStart(anchor: String?, mark: Mark)
    case sequenceEnd
    case mappingStart(anchor: String?, mark: Mark)
    case mappingEnd
}
