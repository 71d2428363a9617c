/// Rows of parameters for one insert, their text held in one buffer so it can be bound without a copy per value.
struct SQLiteRowBatch {
    enum Parameter {
        /// UTF-8 text at `start..<start + count` in `bytes`.
        case text(start: Int, count: Int)
        case integer(Int64)
    }

    /// Parameters per row.
    let parametersPerRow: Int
    private(set) var bytes: [UInt8] = []
    private(set) var parameters: [Parameter] = []

    init(parametersPerRow: Int, expectedRows: Int) {
        self.parametersPerRow = parametersPerRow
        parameters.reserveCapacity(parametersPerRow * expectedRows)
        bytes.reserveCapacity(expectedRows * 320)
    }

    /// Complete rows so far.
    var rowCount: Int { parameters.count / parametersPerRow }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        parameters.append(.text(start: bytes.count - text.utf8.count, count: text.utf8.count))
    }

    mutating func append(_ number: Int64) {
        parameters.append(.integer(number))
    }

    /// Appends text that `write` appends to the buffer.
    mutating func appendText(_ write: (inout [UInt8]) -> Void) {
        let start = bytes.count
        write(&bytes)
        parameters.append(.text(start: start, count: bytes.count - start))
    }
}
