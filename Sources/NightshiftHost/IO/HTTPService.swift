import Foundation
import NightshiftABI
import NightshiftIO
import NightshiftResilience

/// Performs plugins' HTTP requests through libcurl under each instance's retry policy.
///
/// Retryable: transport errors, timeouts, and HTTP 408, 425, 429, 500, 502, 503, 504 (Retry-After honoured). Any other
/// status goes back to the plugin as an answer. A request with a body-changing method (POST, PUT, PATCH, DELETE) is
/// retried only when it carries an idempotency key, so an order is never sent twice by a retry.
struct HTTPService: Sendable {
    /// The network (`HTTPClient`), or what stands in for it when recording or replaying.
    let client: any HTTPTransport
    var retry: RetryingCall
    /// Whether a response's Retry-After sets the retry delay; a replay answers at recorded times and never waits.
    var honoursRetryAfter = true

    /// The request as the IO layer sees it, copied out of plugin memory.
    static func request(_ request: ns_http_request) -> NightshiftIO.HTTPRequest {
        var headers = (0..<(request.headers == nil ? 0 : request.n_headers)).map { index in
            (name: request.headers[index].name.string, value: request.headers[index].value.string)
        }
        // The key that makes a retry safe goes on the wire, so the server can recognise a repeat.
        let key = request.idempotency_key.string
        if !key.isEmpty, !headers.contains(where: { $0.name.lowercased() == "idempotency-key" }) {
            headers.append((name: "Idempotency-Key", value: key))
        }
        let method = request.method.string.isEmpty ? "GET" : request.method.string.uppercased()
        return NightshiftIO.HTTPRequest(
            method: HTTPMethod(rawValue: method), url: request.url.string, headers: headers,
            body: Array(request.body.bytes))
    }

    /// Performs `request` with retries; the answer is the last response (or transport error) seen.
    ///
    /// - Parameters:
    ///   - label: the name in retry events (the request's label, else its method and host).
    ///   - idempotent: whether a failed attempt may be sent again.
    ///   - validate: a further check of a response the transport accepted (a poll source's `on_response`); returning
    ///     a failure retries the request like a 503 would.
    func perform(
        _ request: NightshiftIO.HTTPRequest, idempotent: Bool, requestTimeout: Duration?,
        validate: (PluginHTTPResult) -> RetryFailure? = { _ in nil }
    ) -> (ns_status, PluginHTTPResult) {
        var call = retry
        if !idempotent { call.policy.maxAttempts = 1 }
        let outcome = call.run { (_: Int, timeout: Duration?) -> RetryingCall.Attempt<PluginHTTPResult> in
            var attempt = request
            if let limit = [timeout, requestTimeout].compactMap({ $0 }).min() { attempt.timeout = limit }
            switch client.perform(attempt) {
            case .failure(let error):
                let failure: RetryFailure = error.code == .timeout ? .timeout : .transport(error.description)
                return .failure(failure, value: PluginHTTPResult(status: 0, error: error.description))
            case .response(let response):
                let result = PluginHTTPResult(
                    status: Int32(response.status), headers: response.headers.map { ($0.name, $0.value) },
                    body: response.body)
                if RetryClassifier.isRetryable(.httpStatus(response.status)) {
                    let retryAfter = honoursRetryAfter
                        ? response.header("retry-after").flatMap { RetryAfter.parse($0, now: Date()) } : nil
                    return .failure(.httpStatus(response.status, retryAfter: retryAfter), value: result)
                }
                if let failure = validate(result) { return .failure(failure, value: result) }
                return .success(result)
            }
        }
        switch outcome {
        case .success(let result): return (Status.ok, result)
        case .failure(let failed):
            var result = failed.value ?? PluginHTTPResult(status: 0, error: failed.failure.description)
            if result.error.isEmpty { result.error = "\(failed.failure) (\(failed.reason) after \(failed.attempts) attempt(s))" }
            return (Status.retry, result)
        }
    }
}

/// Where `HTTPService` sends a request: one attempt in, one response or transport failure out.
protocol HTTPTransport: Sendable {
    func perform(_ request: NightshiftIO.HTTPRequest) -> HTTPResult
}

extension HTTPClient: HTTPTransport {}

extension HTTPMethod {
    /// Whether sending the request twice is harmless without an idempotency key.
    var isSafeToRepeat: Bool { self == .get || self == .head }
}
