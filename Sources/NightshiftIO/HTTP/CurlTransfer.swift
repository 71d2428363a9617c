import CCurl
import CCurlHelpers

/// One exchange on a borrowed easy handle: sets the options, runs `curl_easy_perform`, collects the response.
///
/// Lives only for the duration of `HTTPClient.perform(_:)` on the thread that called it; libcurl's callbacks find it
/// through an unretained pointer that is valid for exactly that span.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    let request: HTTPRequest
    let configuration: HTTPClient.Configuration

    // MARK: - Collected by the callbacks

    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var exceededCap = false
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    init(handle: UnsafeMutableRawPointer, request: HTTPRequest, configuration: HTTPClient.Configuration) {
        self.handle = handle
        self.request = request
        self.configuration = configuration
    }

    /// Runs the exchange to completion.
    func run() -> HTTPResult {
        if let invalid = CurlTransfer.validate(request) {
            return .failure(invalid)
        }
        // Keeps the live connections and caches; clears every option of the previous request.
        curl_easy_reset(handle)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        let result: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
            // The buffer dies with this transfer; libcurl must not keep a pointer to it.
            defer { _ = ns_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil) }
            if let failed = applyOptions(errorBuffer: errorBytes.baseAddress!, headerList: &headerList) {
                return failed
            }
            return withExtendedLifetime(self) { curl_easy_perform(handle) }
        }
        if exceededCap {
            return .failure(tooLarge())
        }
        guard result == CURLE_OK else {
            if result == CURLE_FILESIZE_EXCEEDED { return .failure(tooLarge()) }
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .failure(CurlErrorMapping.error(for: result, detail: detail))
        }
        var status = 0
        _ = ns_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .response(HTTPResponse(status: status, headers: headers, body: body))
    }

    private func tooLarge() -> TransportError {
        TransportError(
            code: .tooLarge,
            message: "response body exceeds the cap of \(configuration.maximumResponseBytes) bytes"
        )
    }

    /// Refuses requests libcurl would send wrongly: header text with line breaks would inject extra headers.
    static func validate(_ request: HTTPRequest) -> TransportError? {
        guard HeaderValidation.isValid(request.headers) else {
            return TransportError(code: .invalidRequest, message: "a request header name or value is malformed")
        }
        return nil
    }

    // MARK: - Callbacks

    /// Appends body bytes; returning less than offered makes libcurl abort with CURLE_WRITE_ERROR.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if body.count + bytes.count > configuration.maximumResponseBytes {
            exceededCap = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Records one header line; a status line starts a new response (after 1xx or a proxy's CONNECT reply).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingWhitespace().lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers.append((name: name, value: value))
        }
        return bytes.count
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
