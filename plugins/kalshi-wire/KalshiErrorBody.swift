import Foundation

/// Kalshi's error body, `{"error":{"code":"..","message":"..","details":".."}}`.
public struct KalshiErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String?
        var message: String?
    }

    var error: Detail?

    /// `code: message` from a body, or `nil` when it is not an error body or names neither.
    public static func reason(in body: [UInt8]) -> String? {
        guard let detail = (try? JSONDecoder().decode(Self.self, from: Data(body)))?.error else { return nil }
        let text = [detail.code, detail.message].compactMap { $0 }.joined(separator: ": ")
        return text.isEmpty ? nil : text
    }
}
