import CYAML

extension YAMLNode {
    /// Parses one YAML document into a tree, with every node marked by its place in `file`.
    ///
    /// A thin shell over libyaml's event parser: events become `YAMLEvent`s and `YAMLTreeBuilder` does the rest.
    /// Syntax errors carry libyaml's own wording and place. An empty input is a null scalar at 1:1.
    ///
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - file: The name marks should carry, usually the path the text was read from.
    /// - Throws: `ConfigErrors` for syntax errors, duplicate keys, several documents, undefined aliases, and alias
    ///   expansion or nesting past the safety limits.
    public static func parse(_ text: String, file: String) throws(ConfigErrors) -> YAMLNode {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Parses raw bytes, so a file that is not valid UTF-8 is reported by libyaml with its place.
    static func parse(bytes: [UInt8], file: String) throws(ConfigErrors) -> YAMLNode {
        var builder = YAMLTreeBuilder(file: file)
        if let syntaxError = LibYAMLEvents.read(bytes, file: file, into: &builder) {
            throw ConfigErrors(builder.errors + [syntaxError])
        }
        guard builder.errors.isEmpty else { throw ConfigErrors(builder.errors) }
        return builder.root ?? YAMLNode(.scalar(YAMLScalar("")), mark: Mark(file: file, line: 1, column: 1))
    }
}

/// Drives libyaml's `yaml_parser_parse` over a byte buffer and feeds the events to a tree builder.
enum LibYAMLEvents {
    /// Feeds every event of `bytes` to `builder`; returns libyaml's error, if parsing failed.
    static func read(_ bytes: [UInt8], file: String, into builder: inout YAMLTreeBuilder) -> ConfigError? {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else {
            return ConfigError(.syntax, "the YAML parser could not be initialised", at: nil)
        }
        defer { yaml_parser_delete(parser) }
        // A trailing NUL keeps the buffer non-empty (so its address is valid) without being part of the input.
        return (bytes + [0]).withUnsafeBufferPointer { terminated -> ConfigError? in
            let buffer = UnsafeBufferPointer(rebasing: terminated.dropLast())
            yaml_parser_set_input_string(parser, terminated.baseAddress, buffer.count)
            var event = yaml_event_t()
            while !builder.stopped {
                guard yaml_parser_parse(parser, &event) != 0 else {
                    return syntaxError(parser.pointee, bytes: buffer, file: file)
                }
                let type = event.type
                builder.consume(convert(event, file: file))
                yaml_event_delete(&event)
                if type == YAML_STREAM_END_EVENT { break }
            }
            return nil
        }
    }

    // MARK: - Conversion

    private static func convert(_ event: yaml_event_t, file: String) -> YAMLEvent {
        let mark = Mark(file: file, line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_DOCUMENT_START_EVENT: return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT: return .alias(string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
            }
            var tag = string(data.tag)
            if tag == "!" { tag = "tag:yaml.org,2002:str" }
            let scalar = YAMLScalar(text ?? "", style: style(data.style), tag: tag)
            return .scalar(scalar, anchor: string(data.anchor), mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: string(event.data.sequence_start.anchor), mark: mark)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT: return .mappingStart(anchor: string(event.data.mapping_start.anchor), mark: mark)
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default: return .streamEnd
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    // MARK: - Errors

    /// libyaml's problem text and place; reader errors (bad encoding) give a byte offset, turned into line:column.
    private static func syntaxError(_ parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>, file: String)
        -> ConfigError
    {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let mark: Mark
        if parser.error == YAML_READER_ERROR {
            mark = place(ofByte: parser.problem_offset, in: bytes, file: file)
        } else {
            mark = Mark(file: file, line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1)
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextMark = Mark(
                file: file, line: parser.context_mark.line + 1, column: parser.context_mark.column + 1)
            message += " (\(context) at \(contextMark.line):\(contextMark.column))"
        }
        return ConfigError(.syntax, message, at: mark)
    }

    private static func place(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>, file: String) -> Mark {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Columns count characters: skip UTF-8 continuation bytes.
        let column = bytes[lineStart..<end].filter { $0 & 0xC0 != 0x80 }.count + 1
        return Mark(file: file, line: line, column: column)
    }
}
