/// What a daily-high market pays on: Kalshi's `strike_type` with `floor_strike` / `cap_strike`.
///
/// `greater` pays when the high is above the floor, `less` when below the cap, `between` when within floor and cap
/// inclusive (the bins are whole degrees: `B40.5` is 40–41°); the `_or_equal` forms include the strike itself.
enum StrikeRule: Equatable, CustomStringConvertible {
    case greater(Double)
    case greaterOrEqual(Double)
    case less(Double)
    case lessOrEqual(Double)
    case between(Double, Double)

    /// The rule for a market's strike fields; `nil` for a strike type this strategy does not price.
    init?(type: String?, floor: Double?, cap: Double?) {
        switch (type, floor, cap) {
        case ("greater", let floor?, _): self = .greater(floor)
        case ("greater_or_equal", let floor?, _): self = .greaterOrEqual(floor)
        case ("less", _, let cap?): self = .less(cap)
        case ("less_or_equal", _, let cap?): self = .lessOrEqual(cap)
        case ("between", let floor?, let cap?) where floor <= cap: self = .between(floor, cap)
        default: return nil
        }
    }

    /// Whether a settlement value pays yes.
    func paysYes(_ value: Double) -> Bool {
        switch self {
        case .greater(let floor): value > floor
        case .greaterOrEqual(let floor): value >= floor
        case .less(let cap): value < cap
        case .lessOrEqual(let cap): value <= cap
        case .between(let floor, let cap): value >= floor && value <= cap
        }
    }

    /// The share of members whose (optionally rounded) high pays yes; `nil` without members.
    func probability(_ members: [Double], roundToWhole: Bool) -> Double? {
        guard !members.isEmpty else { return nil }
        let yes = members.filter { paysYes(roundToWhole ? $0.rounded(.toNearestOrAwayFromZero) : $0) }.count
        return Double(yes) / Double(members.count)
    }

    var description: String {
        switch self {
        case .greater(let floor): "> \(floor)"
        case .greaterOrEqual(let floor): ">= \(floor)"
        case .less(let cap): "< \(cap)"
        case .lessOrEqual(let cap): "<= \(cap)"
        case .between(let floor, let cap): "\(floor)..\(cap)"
        }
    }
}

/// The settlement day a weather ticker names: `KXHIGHNY-25JAN01-B40.5` → `2025-01-01`.
enum TickerDate {
    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// The first segment after the series shaped `YYMMMDD`, as `YYYY-MM-DD`.
    static func date(in ticker: String) -> String? {
        for segment in ticker.split(separator: "-").dropFirst() {
            let characters = Array(segment)
            let digit = { (character: Character) in character.isASCII && character.isNumber }
            guard characters.count == 7, digit(characters[0]), digit(characters[1]), digit(characters[5]),
                digit(characters[6]),
                let month = months.firstIndex(of: String(characters[2...4]).uppercased()),
                let day = Int(String(characters[5...6])), (1...31).contains(day)
            else { continue }
            let monthText = month + 1 < 10 ? "0\(month + 1)" : "\(month + 1)"
            return "20\(characters[0])\(characters[1])-\(monthText)-\(String(characters[5...6]))"
        }
        return nil
    }
}
