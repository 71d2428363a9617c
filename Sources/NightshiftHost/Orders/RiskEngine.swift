import Foundation

/// Limits applied by the host before every order, whatever the strategy.
public struct RiskLimits: Sendable, Equatable {
    /// Largest quantity in one order.
    public var maxOrderQuantity: Double?
    /// Largest quantity × price of one order.
    public var maxNotional: Double?
    /// Largest absolute position per symbol after the order fills.
    public var maxPosition: Double?
    /// Most orders accepted in any 60-second window.
    public var maxOrdersPerMinute: Int?
    /// Local trading window; orders outside it are blocked.
    public var tradingHours: TradingHours?
    /// While this file exists, every order is blocked.
    public var killSwitchFile: String?

    public init(
        maxOrderQuantity: Double? = nil, maxNotional: Double? = nil, maxPosition: Double? = nil,
        maxOrdersPerMinute: Int? = nil, tradingHours: TradingHours? = nil, killSwitchFile: String? = nil
    ) {
        self.maxOrderQuantity = maxOrderQuantity
        self.maxNotional = maxNotional
        self.maxPosition = maxPosition
        self.maxOrdersPerMinute = maxOrdersPerMinute
        self.tradingHours = tradingHours
        self.killSwitchFile = killSwitchFile
    }
}

/// A daily window in a time zone, minutes after midnight; `end` may be before `start` for overnight windows.
public struct TradingHours: Sendable, Equatable {
    public var startMinute: Int
    public var endMinute: Int
    public var timeZone: TimeZone

    public init(startMinute: Int, endMinute: Int, timeZone: TimeZone) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.timeZone = timeZone
    }

    func contains(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return startMinute <= endMinute
            ? minute >= startMinute && minute < endMinute
            : minute >= startMinute || minute < endMinute
    }
}

/// An order as the risk engine sees it.
public struct RiskOrder: Sendable {
    public var symbol: String
    /// +1 buy, -1 sell.
    public var direction: Double
    public var quantity: Double
    /// The limit price, or the last known price for a market order; nil when neither is known.
    public var referencePrice: Double?
}

/// Checks orders against `RiskLimits`: a pure state machine (the caller supplies the time and the kill-switch state).
///
/// `check` either accepts the order — recording it for the rate limit — or returns the reason it is blocked.
public struct RiskEngine: Sendable {
    public let limits: RiskLimits
    private var recentOrders: [Date] = []

    public init(limits: RiskLimits) { self.limits = limits }

    /// - Returns: nil when the order may go, else why not (logged as a `trade_blocked` event).
    public mutating func check(
        _ order: RiskOrder, position: Double, now: Date, killSwitchPresent: Bool
    ) -> String? {
        if killSwitchPresent { return "kill switch \(limits.killSwitchFile ?? "") is present" }
        if let hours = limits.tradingHours, !hours.contains(now) { return "outside trading hours" }
        if let maximum = limits.maxOrderQuantity, order.quantity > maximum {
            return "quantity \(format(order.quantity)) exceeds max_order_qty \(format(maximum))"
        }
        if let maximum = limits.maxNotional {
            guard let price = order.referencePrice else { return "no reference price to check max_notional" }
            let notional = order.quantity * price
            if notional > maximum { return "notional \(format(notional)) exceeds max_notional \(format(maximum))" }
        }
        if let maximum = limits.maxPosition {
            let after = position + order.direction * order.quantity
            if abs(after) > maximum {
                return "position would be \(format(after)) \(order.symbol), beyond max_position \(format(maximum))"
            }
        }
        if let maximum = limits.maxOrdersPerMinute {
            recentOrders.removeAll { now.timeIntervalSince($0) >= 60 }
            if recentOrders.count >= maximum { return "rate limit: \(maximum) orders in the last minute" }
            recentOrders.append(now)
        }
        return nil
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4f", value)
    }
}
