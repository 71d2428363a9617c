internal import NightshiftABI

/// A borrowed batch of market events, handed to a strategy or broker for the duration of one call.
///
/// The batch is a view over the host's contiguous event array: nothing is copied until an element is read, and
/// reading one copies a fixed-size record (plus its payload, which only low-rate kinds carry). Do not keep the batch
/// past the call it was passed to; copy the events you need (`Array(batch)`).
public struct EventBatch: RandomAccessCollection {
    let base: UnsafeBufferPointer<ns_event>

    init(_ base: UnsafeBufferPointer<ns_event>) {
        self.base = base
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { base.count }

    public subscript(position: Int) -> MarketEvent {
        MarketEvent(borrowing: base[position])
    }
}
