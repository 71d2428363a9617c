import Foundation
import NightshiftKit

/// One cycle's requests: each series listing (following its cursor) and each single market, in order.
struct MarketRequests {
    /// A request still to make.
    enum Item: Equatable {
        case series(String, cursor: String?, page: Int)
        case ticker(String)
    }

    private let config: KalshiMarketsConfig
    private let base: String
    private(set) var queue: [Item] = []

    init(config: KalshiMarketsConfig) {
        self.config = config
        var base = config.baseUrl
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }

    /// Starts a cycle: every series' first page, then every single market.
    mutating func reset() {
        queue = config.seriesTickers.map { .series($0, cursor: nil, page: 1) } + config.tickers.map { .ticker($0) }
    }

    /// Takes the next item.
    mutating func next() -> Item? {
        queue.isEmpty ? nil : queue.removeFirst()
    }

    /// Queues the next page of a listing when the cursor says there is one and the page budget allows.
    mutating func followed(_ item: Item, cursor: String?) {
        guard case .series(let series, _, let page) = item, let cursor, !cursor.isEmpty, page < config.maxPages
        else { return }
        queue.insert(.series(series, cursor: cursor, page: page + 1), at: 0)
    }

    /// The HTTP request for an item.
    func request(for item: Item) -> HTTPRequest {
        let url: String
        switch item {
        case .series(let series, let cursor, _):
            var parameters = [("series_ticker", series)]
            if !config.status.isEmpty { parameters.append(("status", config.status)) }
            parameters.append(("limit", String(config.pageLimit)))
            if let cursor { parameters.append(("cursor", cursor)) }
            url = "\(base)/markets?" + parameters.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
        case .ticker(let ticker):
            url = "\(base)/markets/\(Self.escape(ticker))"
        }
        return HTTPRequest(
            url: url, headers: [HTTPHeader("Accept", "application/json")],
            timeout: .milliseconds(Int64(config.timeoutSeconds * 1000)), label: "kalshi markets")
    }

    /// Percent-encodes a path segment or query value.
    static func escape(_ value: String) -> String {
        let allowed = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
