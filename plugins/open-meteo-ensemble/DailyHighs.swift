/// Daily maxima per ensemble member: the pure step between a parsed response and forecast events.
enum DailyHighs {
    /// One local day's maxima, one per series (control first, then members).
    struct Day: Equatable {
        var date: String
        var highs: [Double]
    }

    /// The maximum of each series on each local day, in date order.
    ///
    /// A day is kept only when every series has at least `minHours` values on it, so a day the forecast only
    /// partly covers (the first or last) never passes for a whole one, and every day has one high per member.
    ///
    /// - Parameters:
    ///   - days: the local day of each step (`nil` steps are ignored).
    ///   - series: values per step, `nil` where the model has none; each as long as `days`.
    static func compute(days: [String?], series: [[Double?]], minHours: Int) -> [Day] {
        guard !series.isEmpty else { return [] }
        var order: [String] = []
        var steps: [String: [Int]] = [:]
        for (index, day) in days.enumerated() {
            guard let day else { continue }
            if steps[day] == nil { order.append(day) }
            steps[day, default: []].append(index)
        }
        var result: [Day] = []
        for day in order.sorted() {
            let indices = steps[day] ?? []
            var highs: [Double] = []
            for values in series {
                let present = indices.compactMap { $0 < values.count ? values[$0] : nil }
                guard present.count >= minHours, let high = present.max() else { break }
                highs.append(high)
            }
            if highs.count == series.count { result.append(Day(date: day, highs: highs)) }
        }
        return result
    }
}
