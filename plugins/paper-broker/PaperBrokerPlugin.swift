import NightshiftKit

/// A broker that fills orders against the last quote it has seen, for demos and dry runs.
///
/// Buys fill at the ask and sells at the bid; a limit order fills only while marketable and otherwise rests until a
/// quote makes it so. With `partial_fill_ratio` below 1 the first fill takes that share of the order and the rest
/// fills on the next marketable quote, reported through the host's `order_update` and visible to `query`. Orders
/// for a symbol without a quote yet are rejected with a reason. Submitting a client order id twice returns the first
/// submission's state; querying an id it never saw answers `rejected` ("unknown client order id").
public struct PaperBrokerPlugin: Broker {
    public static let info = PluginInfo(
        name: "paper-broker", version: "1.0.0",
        description: "Fills orders against the last seen quote, with optional partial fills.",
        configSchema: PaperBrokerConfig.schema)

    private let context: PluginContext
    private var book: PaperBook

    public init(context: PluginContext) throws {
        let config = try context.config.decode(PaperBrokerConfig.self)
        guard config.partialFillRatio > .zero, config.partialFillRatio <= 1 else {
            throw PluginError.invalidConfig("partial_fill_ratio must be in (0, 1]")
        }
        self.context = context
        book = PaperBook(partialFillRatio: config.partialFillRatio, venuePrefix: config.venuePrefix)
    }

    public mutating func submit(_ order: Order) throws -> OrderUpdate {
        let update = book.submit(order, at: order.time ?? context.now)
        log(update, side: order.side)
        return update
    }

    public mutating func query(clientOrderID: String) throws -> OrderUpdate {
        book.query(clientOrderID) ?? OrderUpdate(
            symbol: .none, status: .rejected, time: context.now, clientOrderID: clientOrderID,
            reason: "unknown client order id")
    }

    public mutating func handle(events: EventBatch) throws {
        for event in events where event.kind == .quote {
            for update in book.quote(event.symbol, bid: event.bid, ask: event.ask, at: event.time) {
                try context.report(update: update)
                log(update, side: nil)
            }
        }
    }

    private func log(_ update: OrderUpdate, side: Order.Side?) {
        var metadata: Logger.Metadata = [
            "client_order_id": "\(update.clientOrderID)", "symbol": "\(context.name(of: update.symbol))",
            "status": "\(update.status)", "filled": .fixed(update.filled), "remaining": .fixed(update.remaining),
        ]
        if let side { metadata["side"] = "\(side)" }
        if let price = update.averagePrice { metadata["avg_price"] = .fixed(price) }
        if update.status == .rejected {
            context.log.warning("paper order rejected: \(update.reason ?? "")", metadata: metadata)
        } else {
            context.log.info("paper order \(update.status)", metadata: metadata)
        }
    }
}

/// The paper-broker configuration; defaults come from the schema.
struct PaperBrokerConfig: Decodable {
    var partialFillRatio: Fixed
    var venuePrefix: String

    static let schema = #"""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "partial_fill_ratio": {
              "type": "number", "minimum": 0.00000001, "maximum": 1, "default": 1,
              "description": "Share of an order filled by its first fill; the rest fills on the next quote."
            },
            "venue_prefix": {
              "type": "string", "default": "paper",
              "description": "Prefix of the venue order ids this broker assigns."
            }
          }
        }
        """#
}
