import NightshiftKit

/// A poll source that makes up quotes: a seeded random walk per configured symbol, no network.
///
/// Each cycle emits `quotes_per_cycle` quotes in one batch, taking the symbols in turn, stamped a microsecond apart
/// from the cycle's start. The same seed gives the same series, so demos and replays are repeatable.
public struct SyntheticQuotesPlugin: PollSource {
    public static let info = PluginInfo(
        name: "synthetic-quotes", version: "1.0.0",
        description: "Emits seeded random-walk quotes for the configured symbols each cycle.",
        configSchema: SyntheticQuotesConfig.schema)

    private let context: PluginContext
    private var walks: [(symbol: Symbol, walk: RandomWalk)]
    private let quotesPerCycle: Int
    private var batch: [MarketEvent] = []

    public init(context: PluginContext) throws {
        let config = try context.config.decode(SyntheticQuotesConfig.self)
        try config.validate()
        self.context = context
        quotesPerCycle = config.quotesPerCycle
        var generator = SplitMix64(seed: config.seed)
        walks = config.symbols.map { name in
            (context.symbol(name), RandomWalk(
                mid: config.startPrice, spread: config.spread, step: config.step, seed: generator.next()))
        }
        batch.reserveCapacity(quotesPerCycle)
        context.log.info(
            "synthetic quotes ready",
            metadata: ["symbols": "\(config.symbols.joined(separator: ","))", "per_cycle": "\(quotesPerCycle)"])
    }

    public mutating func beginCycle(at time: Timestamp) throws {
        batch.removeAll(keepingCapacity: true)
        for index in 0..<quotesPerCycle {
            let slot = index % walks.count
            let quote = walks[slot].walk.next()
            batch.append(
                .quote(
                    walks[slot].symbol, bid: quote.bid, ask: quote.ask, bidSize: quote.bidSize,
                    askSize: quote.askSize, at: time + .microseconds(index)))
        }
        try context.emit(batch)
    }
}
