import Foundation
import Synchronization
@testable import NightshiftResilience

/// The instant `seconds` after the origin.
func at(_ seconds: Double) -> MonotonicInstant {
    MonotonicInstant(nanoseconds: Int64(seconds * 1e9))
}

/// A UTC wall-clock time, computed with Foundation's calendar so tests do not share code with the parser.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    return calendar.date(from: components)!
}

/// A clock that moves only when told to; the fake sleeper advances it by each requested delay.
final class ManualClock: Sendable {
    private let current: Mutex<MonotonicInstant>

    init(_ start: MonotonicInstant = .zero) {
        current = Mutex(start)
    }

    var now: MonotonicInstant { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0 + duration }
    }

    var clock: MonotonicClock {
        MonotonicClock { self.now }
    }
}

/// A sleeper that records every requested delay and returns at once, moving a `ManualClock` forward instead.
final class FakeSleeper: Sendable {
    private let recorded = Mutex<[Duration]>([])
    private let clock: ManualClock

    init(clock: ManualClock) {
        self.clock = clock
    }

    var delays: [Duration] { recorded.withLock { $0 } }

    func sleep(_ duration: Duration) async throws {
        recorded.withLock { $0.append(duration) }
        clock.advance(by: duration)
    }
}

/// Collects values handed to a `@Sendable` callback.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    var all: [Value] { values.withLock { $0 } }

    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }
}

extension Duration {
    /// The duration in seconds, for readable comparisons.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
