import Foundation
import Testing
@testable import NightshiftHost

/// The risk limits as a pure state machine: each block with its reason, the rate limit's sliding window, trading hours.
@Suite struct RiskEngineTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func order(_ quantity: Double, price: Double? = 10, direction: Double = 1) -> RiskOrder {
        RiskOrder(symbol: "AAPL", direction: direction, quantity: quantity, referencePrice: price)
    }

    @Test func blocksEachLimitWithItsReason() {
        var engine = RiskEngine(limits: RiskLimits(maxOrderQuantity: 100, maxNotional: 500, maxPosition: 60))
        #expect(engine.check(order(101), position: 0, now: start, killSwitchPresent: false)?.contains("max_order_qty 100") == true)
        #expect(engine.check(order(60, price: 10), position: 0, now: start, killSwitchPresent: false)?.contains("notional 600") == true)
        #expect(engine.check(order(20), position: 50, now: start, killSwitchPresent: false)?.contains("position would be 70") == true)
        #expect(engine.check(order(20, direction: -1), position: 50, now: start, killSwitchPresent: false) == nil)
        #expect(engine.check(order(1, price: nil), position: 0, now: start, killSwitchPresent: false)?.contains("no reference price") == true)
        #expect(engine.check(order(1), position: 0, now: start, killSwitchPresent: true)?.contains("kill switch") == true)
    }

    @Test func rateLimitSlidesOverSixtySeconds() {
        var engine = RiskEngine(limits: RiskLimits(maxOrdersPerMinute: 2))
        #expect(engine.check(order(1), position: 0, now: start, killSwitchPresent: false) == nil)
        #expect(engine.check(order(1), position: 0, now: start.addingTimeInterval(30), killSwitchPresent: false) == nil)
        #expect(engine.check(order(1), position: 0, now: start.addingTimeInterval(59), killSwitchPresent: false)?.contains("rate limit") == true)
        // The first order leaves the window at 60 s; blocked attempts do not count.
        #expect(engine.check(order(1), position: 0, now: start.addingTimeInterval(60), killSwitchPresent: false) == nil)
    }

    @Test func tradingHoursIncludingOvernightWindows() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let day = TradingHours(startMinute: 9 * 60 + 30, endMinute: 16 * 60, timeZone: utc)
        let night = TradingHours(startMinute: 22 * 60, endMinute: 2 * 60, timeZone: utc)
        let midnight = Date(timeIntervalSince1970: 1_799_971_200)  // 2027-01-15 00:00 UTC
        #expect(day.contains(midnight.addingTimeInterval(10 * 3600)))
        #expect(!day.contains(midnight.addingTimeInterval(16 * 3600)))
        #expect(night.contains(midnight.addingTimeInterval(3600)))
        #expect(night.contains(midnight.addingTimeInterval(23 * 3600)))
        #expect(!night.contains(midnight.addingTimeInterval(12 * 3600)))
        var engine = RiskEngine(limits: RiskLimits(tradingHours: day))
        #expect(engine.check(order(1), position: 0, now: midnight, killSwitchPresent: false) == "outside trading hours")
    }
}
