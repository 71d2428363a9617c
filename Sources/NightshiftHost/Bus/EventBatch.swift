import NightshiftABI

/// An immutable copy of one batch of events from one source, shared by every subscriber that receives it.
///
/// Payload bytes are copied into memory owned by the batch, so the `ns_str` payloads stay valid for as long as any
/// subscriber holds the batch, whatever the source does with its own buffers afterwards.
final class EventBatch: @unchecked Sendable {
    let events: UnsafeMutableBufferPointer<ns_event>
    private let payloads: UnsafeMutableRawBufferPointer?

    /// Copies `source` and stamps every event with the emitting instance's index.
    init(copying source: UnsafeBufferPointer<ns_event>, sourceIndex: UInt32) {
        events = .allocate(capacity: source.count)
        _ = events.initialize(from: source)
        let payloadBytes = source.reduce(0) { $0 + ($1.payload.ptr == nil ? 0 : $1.payload.len) }
        payloads = payloadBytes == 0 ? nil : .allocate(byteCount: payloadBytes, alignment: 1)
        var offset = 0
        for index in events.indices {
            events[index].source = sourceIndex
            let payload = events[index].payload
            guard let pointer = payload.ptr, payload.len > 0, let payloads else {
                events[index].payload = ns_str(ptr: nil, len: 0)
                continue
            }
            let destination = payloads.baseAddress!.advanced(by: offset)
            destination.copyMemory(from: pointer, byteCount: payload.len)
            events[index].payload = ns_str(ptr: destination.assumingMemoryBound(to: CChar.self), len: payload.len)
            offset += payload.len
        }
    }

    var count: Int { events.count }

    deinit {
        events.deallocate()
        payloads?.deallocate()
    }
}
