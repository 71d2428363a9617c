import AlpacaStream
import NightshiftKitTesting

/// The Alpaca stream plugin's frame scanner and handshake: text frames separated by byte 0xFF.
///
/// The connection is opened, then each frame delivered in turn (seeds start with the recorded handshake, so data
/// frames are reached). A frame the plugin fails on is handled as the host would: close and reopen, then carry on.
/// Invariant: no ABI violation, and every emitted event has a symbol.
func fuzzAlpacaStream(_ data: UnsafeRawBufferPointer) {
    let harness = PluginFuzzing.harness(
        AlpacaStreamPlugin.self,
        config: #"{"key_id":"AKFUZZ","secret":"fuzz-secret","trades":["AAPL"],"quotes":["AMD","CLDR"],"bars":["*"]}"#)
    PluginFuzzing.tolerating { try harness.openStream() }
    for frame in FuzzInput(data).parts(separatedBy: 0xFF) {
        do {
            try harness.receive(frame: String(decoding: frame, as: UTF8.self))
        } catch {
            PluginFuzzing.tolerating {
                try harness.closeStream()
                try harness.openStream()
            }
        }
    }
    PluginFuzzing.checkContract(harness)
    precondition(harness.host.emitted.allSatisfy { $0.symbol != .none }, "an event without a symbol")
}
