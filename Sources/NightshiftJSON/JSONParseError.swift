/// Why a JSON text was rejected, and where: a 1-based line and column (counted in Unicode scalars) and a byte offset.
///
/// The message is the same short phrase whatever the caller, so a config error can quote it after its own prefix
/// (`… is not valid JSON at line 3, column 18: expected a member name in quotes`).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of defect: an open set, so adding a code never breaks a `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A character, a word or the end of input where the grammar does not allow it.
        public static let syntax = Code(rawValue: "syntax")
        /// A malformed number, or one outside the range of a `Double`.
        public static let number = Code(rawValue: "number")
        /// An unterminated string, a raw control character, or a bad or unpaired escape.
        public static let string = Code(rawValue: "string")
        /// A string whose bytes are not valid UTF-8 (only possible when parsing bytes).
        public static let encoding = Code(rawValue: "encoding")
        /// An object naming the same member twice.
        public static let duplicateMember = Code(rawValue: "duplicate-member")
        /// Arrays and objects nested deeper than `JSONParser.maximumDepth`.
        public static let depth = Code(rawValue: "depth")

        public var description: String { rawValue }
    }

    public var code: Code
    /// A short lowercase phrase, such as `expected ':' after a member name`.
    public var message: String
    /// The 1-based line of the defect.
    public var line: Int
    /// The 1-based column of the defect, in Unicode scalars.
    public var column: Int
    /// The 0-based byte offset of the defect in the UTF-8 input.
    public var offset: Int

    public init(_ code: Code, _ message: String, line: Int, column: Int, offset: Int) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
