/// The channels and symbols to subscribe to once authenticated.
struct Subscription: Equatable {
    var trades: [String] = []
    var quotes: [String] = []
    var bars: [String] = []
    var updatedBars: [String] = []
    var dailyBars: [String] = []

    var isEmpty: Bool {
        trades.isEmpty && quotes.isEmpty && bars.isEmpty && updatedBars.isEmpty && dailyBars.isEmpty
    }

    /// The channels in the protocol's spelling, in a fixed order.
    var channels: [(name: String, symbols: [String])] {
        [
            ("trades", trades), ("quotes", quotes), ("bars", bars), ("updatedBars", updatedBars),
            ("dailyBars", dailyBars),
        ]
    }
}

/// The text frames the client sends, written exactly as the v2 protocol documents them.
enum OutboundFrame {
    /// `{"action":"auth","key":"…","secret":"…"}`.
    ///
    /// The frame carries the secret: it goes to the connection only, never to a log line.
    static func auth(key: String, secret: String) -> String {
        #"{"action":"auth","key":\#(quoted(key)),"secret":\#(quoted(secret))}"#
    }

    /// `{"action":"subscribe","trades":[…],"quotes":[…],"bars":[…]}`, naming only the channels in use.
    static func subscribe(_ subscription: Subscription) -> String {
        var text = #"{"action":"subscribe""#
        for (name, symbols) in subscription.channels where !symbols.isEmpty {
            text += ",\(quoted(name)):[\(symbols.map(quoted).joined(separator: ","))]"
        }
        return text + "}"
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
