#if DEBUG
import NightshiftABI
@testable import NightshiftHost

/// The plugin loader's reading of an info block (`PluginInfoReader.read`), on blocks built from the input.
///
/// The block has the shape of `ns_plugin_v1`: versions, layout hash, declared size, kinds, four strings and four
/// capability tables all come from the input. Each table is copied into guarded memory holding exactly the bytes
/// it declares (at least its 4- or 8-byte header, which a reader must read to learn the size), so a read past the
/// declaration faults. Strings point into the input's tail (also guarded) or are NULL with any length. Function
/// pointers are a non-NULL sentinel the reader must only compare, never call. Invariant: a block that is accepted
/// has a name and only known kinds.
func fuzzPluginInfo(_ data: UnsafeRawBufferPointer) {
    var input = FuzzInput(data)
    let block = InfoBlock(&input)
    let strings = GuardedMemory(input.rest)
    var regions = [strings]
    defer { regions.forEach { $0.release() } }

    let info = block.bytes(strings: strings, regions: &regions)
    regions.append(info)
    guard let loaded = try? PluginInfoReader.read(info.start, path: "fuzz.so", sha256: "") else { return }
    precondition(!loaded.info.name.isEmpty, "a plugin without a name was accepted")
    precondition(loaded.info.kinds.rawValue & ~0xF == 0, "unknown kinds were accepted")
}

/// The choices an info block is built from, read from the front of the input.
private struct InfoBlock {
    /// The non-NULL value every function pointer holds; never a valid function.
    static let sentinel: UInt = 0x10

    var flags: UInt8
    var major: UInt16
    var minor: UInt16
    var layoutHash: UInt64
    var declaredSize: Int
    var kinds: UInt32
    var strings: [(kind: UInt8, offset: UInt8, length: UInt8)]
    var tables: [(present: UInt8, size: UInt8, functions: UInt8)]

    init(_ input: inout FuzzInput) {
        flags = input.byte()
        major = flags & 1 != 0 ? UInt16(HostABI.major) : UInt16(input.byte())
        minor = flags & 2 != 0 ? UInt16(HostABI.minor) : UInt16(input.byte())
        layoutHash = flags & 4 != 0 ? HostABI.layoutHash : UInt64(input.byte()) &* 0x9E37_79B9_7F4A_7C15
        let full = MemoryLayout<ns_plugin_v1>.size
        let rawSize = Int(input.byte())
        declaredSize = input.pick([ABI10.plugin, full, full + 16, ABI10.plugin - 8, rawSize])
        kinds = UInt32(input.byte()) | (flags & 8 != 0 ? 0x100 : 0)
        strings = (0..<4).map { _ in (input.byte(), input.byte(), input.byte()) }
        tables = (0..<4).map { _ in (input.byte(), input.byte(), input.byte()) }
    }

    /// The block's bytes in guarded memory; the capability tables it points to are appended to `regions`.
    func bytes(strings area: GuardedMemory, regions: inout [GuardedMemory]) -> GuardedMemory {
        var table = ns_plugin_v1()
        table.size = UInt32(truncatingIfNeeded: declaredSize)
        table.abi_major = major
        table.abi_minor = minor
        table.layout_hash = layoutHash
        table.kinds = kinds
        let fields: [WritableKeyPath<ns_plugin_v1, ns_str>] = [\.name, \.version, \.description, \.config_schema]
        for (field, string) in zip(fields, strings) {
            table[keyPath: field] = Self.string(string, area: area)
        }
        var image = withUnsafeBytes(of: &table) { Array($0) }
        let functions = [\ns_plugin_v1.create, \.destroy, \.last_error].map { MemoryLayout<ns_plugin_v1>.offset(of: $0)! }
        for (bit, offset) in functions.enumerated() where flags & (0x10 << bit) != 0 {
            Self.store(Self.sentinel, at: offset, in: &image)
        }
        let capabilities: [(PartialKeyPath<ns_plugin_v1>, Int, Int)] = [
            (\ns_plugin_v1.poll_source, ABI10.pollSource, MemoryLayout<ns_poll_source_v1>.size),
            (\ns_plugin_v1.stream_source, ABI10.streamSource, MemoryLayout<ns_stream_source_v1>.size),
            (\ns_plugin_v1.strategy, ABI10.strategy, MemoryLayout<ns_strategy_v1>.size),
            (\ns_plugin_v1.broker, ABI10.broker, MemoryLayout<ns_broker_v1>.size),
        ]
        for ((field, minimum, full), choice) in zip(capabilities, tables) where choice.present & 1 != 0 {
            let sub = GuardedMemory(Self.capability(choice, minimum: minimum, full: full))
            regions.append(sub)
            Self.store(UInt(bitPattern: sub.start), at: MemoryLayout<ns_plugin_v1>.offset(of: field)!, in: &image)
        }
        return GuardedMemory(Self.sized(image, to: declaredSize, header: 8))
    }

    /// A string: NULL with a length, empty, or a slice of the input's tail that stays inside it.
    private static func string(_ choice: (kind: UInt8, offset: UInt8, length: UInt8), area: GuardedMemory) -> ns_str {
        let text = area.start.assumingMemoryBound(to: CChar.self)
        switch choice.kind % 4 {
        case 0: return ns_str(ptr: nil, len: Int(choice.length))
        case 1: return ns_str(ptr: text, len: PluginInfoReader.maxStringLength + 1 + Int(choice.length))
        case 2: return ns_str(ptr: text, len: 0)
        default:
            let offset = Int(choice.offset) % (area.count + 1)
            return ns_str(ptr: text + offset, len: min(Int(choice.length), area.count - offset))
        }
    }

    /// A capability table: `size`, `reserved`, then function pointers present or NULL by the bits of `functions`.
    private static func capability(_ choice: (present: UInt8, size: UInt8, functions: UInt8), minimum: Int, full: Int)
        -> [UInt8]
    {
        var image = [UInt8](repeating: 0, count: full)
        for slot in 0..<(full - 8) / 8 where choice.functions & (1 << (slot % 8)) != 0 {
            store(sentinel, at: 8 + slot * 8, in: &image)
        }
        let size = [minimum, full, full + 8, minimum - 8, Int(choice.size)][Int(choice.present >> 1) % 5]
        image.replaceSubrange(0..<4, with: withUnsafeBytes(of: UInt32(size).littleEndian, Array.init))
        return sized(image, to: size, header: 4)
    }

    /// `image` cut or zero-padded to `size` bytes, but never shorter than its `header`.
    private static func sized(_ image: [UInt8], to size: Int, header: Int) -> [UInt8] {
        let count = max(size, header)
        return count <= image.count ? Array(image[..<count]) : image + [UInt8](repeating: 0xA5, count: count - image.count)
    }

    private static func store(_ value: UInt, at offset: Int, in image: inout [UInt8]) {
        image.replaceSubrange(offset..<offset + 8, with: withUnsafeBytes(of: value.littleEndian, Array.init))
    }
}
#else
/// Reached through `@testable import`, which only debug builds allow; a release build compiles an empty body.
func fuzzPluginInfo(_ data: UnsafeRawBufferPointer) {}
#endif
