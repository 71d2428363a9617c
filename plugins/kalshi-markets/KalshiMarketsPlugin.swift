import Foundation
import KalshiWire
import NightshiftKit

/// A poll source for Kalshi market snapshots: one market event per market per cycle.
///
/// Each cycle lists every configured series (`GET /markets?series_ticker=..&status=..&limit=..`, following `cursor`
/// up to `max_pages`) and fetches every configured single market (`GET /markets/{ticker}`). Each market becomes a
/// market event whose symbol is its ticker: bid and ask are the yes side in dollars (from cents), price is
/// `last_price`, and the payload carries `ticker`, `event_ticker`, `status`, `close_time`, `strike_type`,
/// `floor_strike`, `cap_strike` and all four sides' prices in dollars.
///
/// Market data needs no signature. A 429 or 5xx is the host's to retry (Kalshi sends no Retry-After, so its backoff
/// is exponential); a damaged body returns `NS_RETRY`; a 404 for a single market is a warning (the market may have
/// been removed); any other 4xx is fatal with Kalshi's error message.
public struct KalshiMarketsPlugin: PollSource {
    public static let info = PluginInfo(
        name: "kalshi-markets", version: "1.0.0",
        description: "Kalshi market snapshots (yes bid/ask, last, strikes, status) for series and single tickers.",
        configSchema: KalshiMarketsConfig.schema)

    private let context: PluginContext
    private var requests: MarketRequests
    private var current: MarketRequests.Item?
    private var cycleTime = Timestamp.epoch

    public init(context: PluginContext) throws {
        let config = try context.config.decode(KalshiMarketsConfig.self)
        try config.validate()
        self.context = context
        requests = MarketRequests(config: config)
    }

    public mutating func beginCycle(at time: Timestamp) throws {
        cycleTime = time
        requests.reset()
        current = nil
    }

    public mutating func nextRequest() throws -> HTTPRequest? {
        guard let item = requests.next() else { return nil }
        current = item
        return requests.request(for: item)
    }

    public mutating func handle(response: HTTPResponse) throws {
        guard let item = current else { return }
        guard response.isSuccess else { return try refuse(response, item: item) }
        guard let envelope = try? JSONDecoder().decode(KalshiMarketsEnvelope.self, from: Data(response.body)) else {
            throw PluginError.retry(
                "kalshi markets: response body is not a market listing (\(response.body.count) bytes)")
        }
        let markets = envelope.market.map { [$0] } ?? (envelope.markets ?? []).compactMap(\.market)
        guard envelope.market != nil || envelope.markets != nil else {
            throw PluginError.retry("kalshi markets: response has neither markets nor market")
        }
        let events = markets.map { $0.event(symbol: context.symbol($0.ticker), at: cycleTime) }
        try context.emit(events)
        requests.followed(item, cursor: envelope.cursor)
        context.log.debug("kalshi markets: \(events.count) market(s)", metadata: ["markets": .int(Int64(events.count))])
    }

    /// Handles a non-2xx answer the host passed on (a 404 for one market is survivable; other refusals are not).
    private func refuse(_ response: HTTPResponse, item: MarketRequests.Item) throws {
        let reason = KalshiErrorBody.reason(in: response.body) ?? "no error body"
        if case .ticker(let ticker) = item, response.status == 404 {
            context.log.warning(
                "kalshi market \(ticker) not found", metadata: ["ticker": "\(ticker)", "reason": "\(reason)"])
            return
        }
        if response.status >= 400 && response.status < 500 {
            throw PluginError.fatal("kalshi markets HTTP \(response.status): \(reason)")
        }
        throw PluginError.retry("kalshi markets HTTP \(response.status): \(reason)")
    }
}
