import NightshiftKit

/// A stream source for Alpaca's market data WebSocket (v2): trades, quotes and bars as typed events.
///
/// The host owns the connection; this plugin speaks the protocol. On the server's `connected` greeting it sends
/// `auth`, on `authenticated` it sends `subscribe`, and from then on every frame — a JSON array of messages — is
/// read by a scanner over its UTF-8 bytes and published as one batch: trades (`"t"`) as trade events, quotes (`"q"`) as
/// quote events, bars (`"b"`, `"u"`, `"d"`) as bar events, with RFC 3339 timestamps in nanoseconds. The host calls
/// `connectionOpened()` on every reconnect, which starts the handshake over, so the stream resubscribes.
///
/// Server errors end the connection: auth failed (402), insufficient subscription (409) or scope (411), symbol
/// limit (405), invalid subscribe action (410) and protocol errors (400, 401, 403) are fatal, so the host stops
/// retrying; auth timeout (404), connection limit (406), slow client (407), internal error (500) and undocumented
/// codes ask the host to reconnect with backoff. Frames that are not JSON, and data messages missing a field, are
/// skipped and counted; a `stream_malformed` warning reports the counts at most once a minute.
public struct AlpacaStreamPlugin: StreamSource {
    public static let info = PluginInfo(
        name: "alpaca-stream", version: "1.0.0",
        description: "Alpaca market data stream (v2): trades, quotes and bars from the IEX, SIP or test feed.",
        configSchema: AlpacaStreamConfig.schema)

    private let context: PluginContext
    private let config: AlpacaStreamConfig
    private let subscription: Subscription
    private var session = StreamSession()
    /// The current frame's events, reused across frames.
    private var batch: [MarketEvent] = []
    private var defects = DefectTally()

    public init(context: PluginContext) throws {
        let config = try context.config.decode(AlpacaStreamConfig.self)
        try config.validate()
        self.context = context
        self.config = config
        subscription = config.subscription
        batch.reserveCapacity(256)
    }

    public mutating func streamRequest() throws -> StreamRequest {
        StreamRequest(url: config.streamURL)
    }

    public mutating func connectionOpened() throws {
        session.opened()
        context.log.debug("stream connection opened", metadata: ["connection": .int(Int64(session.connections))])
    }

    public mutating func connectionClosed() {
        session.closed()
    }

    public mutating func handle(frame: String) throws {
        var frame = frame
        try frame.withUTF8 { try process($0) }
    }

    // MARK: - Frames

    /// Reads every message of one frame, publishes its events as one batch, then acts on a server error if any.
    private mutating func process(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        batch.removeAll(keepingCapacity: true)
        var scanner = FrameScanner(bytes)
        var failure: PluginError?
        while failure == nil, let message = scanner.next() {
            if message.kind.isData {
                collect(message, bytes)
            } else if let control = ControlDecoding.control(message, bytes) {
                failure = try apply(control, message, bytes)
            } else {
                defects.ignored += 1
            }
        }
        if scanner.isMalformed { defects.malformed(bytes) }
        defects.skipped += scanner.skippedElements
        if !batch.isEmpty { try context.emit(batch) }
        reportDefects()
        if let failure { throw failure }
    }

    private mutating func collect(_ message: ScannedMessage, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let range = message.symbol else {
            defects.incomplete += 1
            return
        }
        // Symbols are short, so this String lives inline: no allocation per message.
        let symbol = context.symbol(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        guard let event = message.event(symbol: symbol) else {
            defects.incomplete += 1
            return
        }
        batch.append(event)
    }

    /// Advances the handshake; returns the error to throw once the frame's events are out.
    private mutating func apply(
        _ control: StreamSession.Control, _ message: ScannedMessage, _ bytes: UnsafeBufferPointer<UInt8>
    ) throws -> PluginError? {
        switch session.receive(control) {
        case .nothing:
            return nil
        case .sendAuth:
            try context.send(text: OutboundFrame.auth(key: config.keyId, secret: config.secret))
            context.log.debug("stream authenticating", metadata: ["url": "\(config.streamURL)"])
        case .sendSubscribe:
            try context.send(text: OutboundFrame.subscribe(subscription))
        case .subscribed(let first):
            logSubscription(ControlDecoding.granted(message, bytes), first: first)
        case .fail(let code, let text):
            return code.pluginError(serverMessage: redacted(text))
        }
        return nil
    }

    // MARK: - Events

    private func logSubscription(_ granted: ControlDecoding.Granted, first: Bool) {
        func lacking(_ wanted: [String], _ listed: [String]) -> [String] {
            listed.contains("*") ? [] : wanted.filter { !listed.contains($0) }
        }
        let missing =
            lacking(subscription.trades, granted.trades) + lacking(subscription.quotes, granted.quotes)
            + lacking(subscription.bars, granted.bars)
        var fields: Logger.Metadata = [
            "connection": .int(Int64(session.connections)), "feed": "\(config.feed.rawValue)",
            "trades": .int(Int64(granted.trades.count)), "quotes": .int(Int64(granted.quotes.count)),
            "bars": .int(Int64(granted.bars.count)), "resubscribed": .bool(session.connections > 1 && first),
        ]
        if missing.isEmpty {
            context.log.event("stream_subscribed", message: "subscribed on \(config.feed.rawValue)", fields: fields)
        } else {
            fields["missing"] = "\(missing.joined(separator: ","))"
            context.log.event(
                "stream_subscribed", level: .warning,
                message: "subscription acknowledged without \(missing.count) requested symbol(s)", fields: fields)
        }
    }

    private mutating func reportDefects() {
        guard defects.hasNews, var fields = defects.report(at: context.now) else { return }
        if case .string(let sample) = fields["sample"] { fields["sample"] = .string(redacted(sample)) }
        context.log.event(
            "stream_malformed", level: .warning, message: "skipped stream input that does not match the protocol",
            fields: fields)
    }

    /// The server's text with the credentials blanked out, should it ever echo them.
    private func redacted(_ text: String) -> String {
        var text = text
        for secret in [config.secret, config.keyId] where !secret.isEmpty {
            text = text.replacing(secret, with: "[redacted]")
        }
        return text
    }
}
