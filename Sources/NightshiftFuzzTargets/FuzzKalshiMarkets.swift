import KalshiMarkets
import NightshiftKitTesting

/// The Kalshi markets plugin's response decoder: one status byte, then the body every request receives.
///
/// A series listing follows `cursor` across pages, so a body with a cursor is read again for the next page (up to
/// `max_pages`). Invariant: no ABI violation.
func fuzzKalshiMarkets(_ data: UnsafeRawBufferPointer) {
    var input = FuzzInput(data)
    let config = input.pick([
        #"{"series_tickers":["KXHIGHNY"],"max_pages":3}"#,
        #"{"tickers":["KXHIGHCHI-25JAN02-B30.5","KXHIGHNY-25JAN02-B42.5"]}"#,
    ])
    let harness = PluginFuzzing.harness(KalshiMarketsPlugin.self, config: config)
    PluginFuzzing.answerAll(harness.host, status: input.pick(PluginFuzzing.statuses), body: input.rest)
    PluginFuzzing.tolerating { try harness.runCycle(maxRequests: 8) }
    PluginFuzzing.checkContract(harness)
}
