import Foundation
import NightshiftKit

/// Kalshi's request authentication: three headers, the last an RSA-PSS signature over timestamp, method and path.
///
/// `KALSHI-ACCESS-KEY` is the key id, `KALSHI-ACCESS-TIMESTAMP` the time in milliseconds, and
/// `KALSHI-ACCESS-SIGNATURE` the base64 signature of `timestamp + METHOD + path`, where the path starts at
/// `/trade-api/v2/` and has no query string.
struct KalshiAuth {
    let keyID: String
    let signer: RSAPSSSigner

    /// The text that is signed for a request.
    static func message(timestampMilliseconds: Int64, method: String, url: String) -> String {
        "\(timestampMilliseconds)\(method.uppercased())\(signedPath(of: url))"
    }

    /// The URL's path from `/trade-api/` on (the whole path when it has no such part), without the query.
    static func signedPath(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        var path = rest[slash...]
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        if let api = path.range(of: "/trade-api/") { path = path[api.lowerBound...] }
        return String(path)
    }

    /// The three authentication headers for a request made at `time`.
    func headers(method: String, url: String, at time: Timestamp) throws -> [HTTPHeader] {
        let milliseconds = time.nanosecondsSinceEpoch / 1_000_000
        let message = Self.message(timestampMilliseconds: milliseconds, method: method, url: url)
        let signature = try signer.sign(Array(message.utf8))
        return [
            HTTPHeader("KALSHI-ACCESS-KEY", keyID),
            HTTPHeader("KALSHI-ACCESS-TIMESTAMP", String(milliseconds)),
            HTTPHeader("KALSHI-ACCESS-SIGNATURE", Data(signature).base64EncodedString()),
        ]
    }
}
