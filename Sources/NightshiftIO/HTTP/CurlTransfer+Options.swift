import CCurl
import CCurlHelpers

// MARK: - C callbacks

/// CURLOPT_WRITEFUNCTION: the context is the running `CurlTransfer`.
private let writeBody: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// CURLOPT_HEADERFUNCTION: called once per complete header line.
private let writeHeader: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
}

extension CurlTransfer {
    /// Sets every option for this request on the freshly reset handle; returns the first failing code.
    func applyOptions(
        errorBuffer: UnsafeMutablePointer<CChar>,
        headerList: inout UnsafeMutablePointer<curl_slist>?
    ) -> CURLcode? {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = []
        codes.append(ns_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        codes.append(ns_curl_setopt_string(handle, CURLOPT_URL, request.url))
        codes.append(ns_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        codes.append(ns_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        codes.append(ns_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
        codes.append(ns_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
        codes += tlsOptions()
        codes += redirectOptions()
        let cap = curl_off_t(configuration.maximumResponseBytes)
        codes.append(ns_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, cap))
        if configuration.acceptCompressedResponses {
            // An empty string offers every encoding this libcurl can decode.
            codes.append(ns_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        }
        codes.append(ns_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent))
        codes.append(ns_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, writeBody))
        codes.append(ns_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        codes.append(ns_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, writeHeader))
        codes.append(ns_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        codes += methodOptions()
        headerList = makeHeaderList()
        codes.append(ns_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList))
        return codes.first { $0 != CURLE_OK }
    }

    private func tlsOptions() -> [CURLcode] {
        var codes = [
            ns_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            ns_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
        ]
        if let caFile = configuration.caFile {
            codes.append(ns_curl_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        return codes
    }

    private func redirectOptions() -> [CURLcode] {
        guard configuration.followRedirects else {
            return [ns_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)]
        }
        return [
            ns_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1),
            ns_curl_setopt_long(handle, CURLOPT_MAXREDIRS, configuration.maximumRedirects),
            ns_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
        ]
    }

    /// GET and HEAD send no body; every other verb sends `request.body` (possibly empty) with its exact length.
    private func methodOptions() -> [CURLcode] {
        switch request.method {
        case .get:
            return [ns_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)]
        case .head:
            return [ns_curl_setopt_long(handle, CURLOPT_NOBODY, 1)]
        default:
            var codes = [ns_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))]
            codes.append(request.body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies the bytes now, so the buffer need not outlive this call.
                let base = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                return ns_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            })
            if request.method != .post {
                codes.append(ns_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            }
            return codes
        }
    }

    /// The request's headers as a libcurl list, plus an empty `Expect:` so large bodies are not held back.
    private func makeHeaderList() -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        // "Name;" is libcurl's spelling for a header with an empty value ("Name:" would remove the header).
        for header in request.headers {
            list = curl_slist_append(list, header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        if !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            list = curl_slist_append(list, "Expect:")
        }
        return list
    }

    /// A libcurl timeout in milliseconds, at least 1 (0 would mean "no timeout").
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
