/// The spool's record format: `length (u32 LE) · crc32 (u32 LE) · payload`, the payload an event's JSON line.
///
/// Appends are the only writes, so after a crash the file ends in at most one partial record. A record whose header
/// is cut, whose length runs past the end, is zero, or is absurdly large, or whose checksum does not match, ends the
/// valid part of the file; everything before it is intact.
enum SpoolFrame {
    /// Bytes before each payload.
    static let headerSize = 8
    /// Payloads larger than this are treated as damage, not as records.
    static let maximumPayload = 16 * 1_024 * 1_024

    /// The bytes of one record holding `payload`.
    static func encode(_ payload: [UInt8]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(headerSize + payload.count)
        appendLittleEndian(&bytes, UInt32(payload.count))
        appendLittleEndian(&bytes, CRC32.checksum(payload))
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// The payload length announced by a header, or `nil` when the header cannot start a valid record.
    static func payloadLength(header: [UInt8]) -> Int? {
        guard header.count == headerSize else { return nil }
        let length = Int(readLittleEndian(header, at: 0))
        return (1...maximumPayload).contains(length) ? length : nil
    }

    /// Whether `payload` matches the checksum in `header`.
    static func isIntact(header: [UInt8], payload: [UInt8]) -> Bool {
        readLittleEndian(header, at: 4) == CRC32.checksum(payload)
    }

    private static func appendLittleEndian(_ bytes: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { value, index in value | UInt32(bytes[offset + index]) << UInt32(8 * index) }
    }
}

/// CRC-32 (IEEE 802.3, as in zlib and gzip).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
