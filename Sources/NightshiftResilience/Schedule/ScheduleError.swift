/// A schedule that cannot fire, found by `Schedule.validate()`.
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake it is; an open set, so new codes never break a `switch`.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// An `.every` period of zero or less.
        public static let nonPositivePeriod = Code(rawValue: "non_positive_period")
        /// An `.aligned` schedule without hours.
        public static let noHours = Code(rawValue: "no_hours")
        /// An `.aligned` hour outside `0...23`.
        public static let hourOutOfRange = Code(rawValue: "hour_out_of_range")
        /// An `.aligned` lag below zero.
        public static let negativeLag = Code(rawValue: "negative_lag")
    }

    /// The kind of mistake.
    public var code: Code
    /// A sentence for the person who wrote the schedule.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String {
        "invalid schedule (\(code.rawValue)): \(message)"
    }
}
