/// One HTTP answer of the metrics server: a status, a content type, extra headers and a small text body.
public struct MetricsResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var headers: [(String, String)]
    public var body: String

    public init(status: Int, contentType: String, headers: [(String, String)] = [], body: String) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// A plain-text answer (`text/plain; charset=utf-8` unless told otherwise).
    public static func text(
        _ body: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8", headers: [(String, String)] = []
    ) -> MetricsResponse {
        MetricsResponse(status: status, contentType: contentType, headers: headers, body: body)
    }

    /// A health verdict: 200 with `ok`-style reason when it passes, 503 with the one-line reason when it does not.
    public static func verdict(_ verdict: HealthVerdict) -> MetricsResponse {
        .text(verdict.reason + "\n", status: verdict.healthy ? 200 : 503)
    }
}
