/// A place in a configuration file: the file and a 1-based line and column.
///
/// Every node of a parsed YAML tree carries the mark of its first character, so any error found later (a wrong type,
/// an unknown key, a schema violation inside a plugin's subtree) can point the operator at the exact spot.
public struct Mark: Sendable, Hashable, CustomStringConvertible {
    /// The file as the loader was given it (relative or absolute).
    public var file: String
    /// The line, counting from 1.
    public var line: Int
    /// The column in characters, counting from 1.
    public var column: Int

    /// Creates a mark.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form compilers and editors understand.
    public var description: String { "\(file):\(line):\(column)" }
}

extension Mark: Comparable {
    /// Orders marks by file, then line, then column, so errors read top to bottom.
    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
