import Foundation
import NightshiftKit

/// The parts of an ensemble API response the plugin uses, read defensively from any bytes.
///
/// The documented shape: `utc_offset_seconds`, `hourly_units: {variable: unit}`, and
/// `hourly: {time: [...], <variable>: [...], <variable>_member01: [...], ...}` — the control run without a suffix,
/// members as `_memberNN`. Values may be `null` where the model has no data.
struct EnsembleResponse {
    /// One variable's series: the control first, then members in number order.
    struct Variable {
        var name: String
        var unit: String
        var series: [[Double?]]
    }

    /// Why a response could not be used, and whether asking again may help.
    enum Failure: Error, Equatable {
        /// Transient or damaged (truncated body, garbage, a 5xx): the host retries the request.
        case retry(String)
        /// The API refused the request (HTTP 400 with a reason): asking again gives the same answer.
        case fatal(String)
    }

    /// The local day (`YYYY-MM-DD`) of each hourly step; `nil` for a step whose time is unreadable.
    var days: [String?]
    var variables: [Variable]

    /// Parses `response`, checking the status first.
    static func parse(_ response: HTTPResponse, variables names: [String], model: String) -> Result<Self, Failure> {
        guard response.isSuccess else { return .failure(statusFailure(response)) }
        guard let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            return .failure(.retry("response body is not a JSON object (\(response.body.count) bytes)"))
        }
        if root["error"] as? Bool == true {
            return .failure(.fatal("open-meteo error: \(root["reason"] as? String ?? "no reason given")"))
        }
        guard let hourly = root["hourly"] as? [String: Any], let times = hourly["time"] as? [Any] else {
            return .failure(.retry("response has no hourly.time"))
        }
        let offset = (root["utc_offset_seconds"] as? NSNumber)?.intValue ?? 0
        let days = times.map { localDay($0, utcOffset: offset) }
        let units = root["hourly_units"] as? [String: Any] ?? [:]
        var parsed: [Variable] = []
        for name in names {
            let keys = seriesKeys(in: hourly, variable: name, model: model)
            guard !keys.isEmpty else { return .failure(.retry("response has no series for \(name)")) }
            var series: [[Double?]] = []
            for key in keys {
                guard let values = numbers(hourly[key]), values.count == times.count else {
                    return .failure(.retry("series \(key) is damaged or does not match hourly.time"))
                }
                series.append(values)
            }
            let unit = units[name] as? String ?? units[keys[0]] as? String ?? ""
            parsed.append(Variable(name: name, unit: unit, series: series))
        }
        return .success(EnsembleResponse(days: days, variables: parsed))
    }

    // MARK: - Pieces

    /// What a non-2xx status means: a 400 carries the API's reason; other 4xx are refusals; the rest is transient.
    static func statusFailure(_ response: HTTPResponse) -> Failure {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        let reason = object?["reason"] as? String
        switch response.status {
        case 400..<500:
            return .fatal("open-meteo HTTP \(response.status): \(reason ?? "no reason given")")
        case 0:
            return .retry(response.transportError ?? "no response")
        default:
            return .retry("open-meteo HTTP \(response.status)\(reason.map { ": \($0)" } ?? "")")
        }
    }

    /// The control key then member keys in number order; a `_<model>` suffix (multi-model responses) is accepted.
    static func seriesKeys(in hourly: [String: Any], variable: String, model: String) -> [String] {
        let suffix = "_" + model
        var control: String?
        var members: [(Int, String)] = []
        for key in hourly.keys {
            let bare = key.hasSuffix(suffix) ? String(key.dropLast(suffix.count)) : key
            if bare == variable {
                // Prefer the unsuffixed key when both are present.
                if control == nil || key == variable { control = key }
            } else if bare.hasPrefix(variable + "_member"), let number = Int(bare.dropFirst(variable.count + 7)),
                number > 0
            {
                members.append((number, key))
            }
        }
        let ordered = members.sorted { $0.0 < $1.0 }.map(\.1)
        return (control.map { [$0] } ?? []) + ordered
    }

    /// A JSON array of numbers and nulls; `nil` when anything else is in it.
    private static func numbers(_ value: Any?) -> [Double?]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Double?] = []
        result.reserveCapacity(array.count)
        for element in array {
            if element is NSNull {
                result.append(nil)
            } else if let number = element as? NSNumber, type(of: number) != booleanType, number.doubleValue.isFinite {
                result.append(number.doubleValue)
            } else {
                return nil
            }
        }
        return result
    }

    /// The class JSON booleans parse as, which plain numbers do not share.
    private static let booleanType = type(of: NSNumber(value: true))

    /// The local date of an hourly step: the date part of an ISO time (already local when `timezone` was sent), or
    /// a Unix time shifted by the offset.
    static func localDay(_ time: Any, utcOffset: Int) -> String? {
        if let text = time as? String {
            let day = text.prefix(10)
            let parts = day.split(separator: "-")
            guard day.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
            return String(day)
        }
        if let number = time as? NSNumber, let seconds = Int64(exactly: number.doubleValue.rounded(.down)),
            abs(seconds) < 1 << 40
        {
            return String(Timestamp(secondsSinceEpoch: seconds + Int64(utcOffset)).description.prefix(10))
        }
        return nil
    }
}
