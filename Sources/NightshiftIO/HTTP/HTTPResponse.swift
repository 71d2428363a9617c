/// A complete HTTP response as received, whatever its status.
///
/// A 4xx or 5xx status is a response, not a failure: deciding what a status means is the caller's policy.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code of the final response (interim 1xx responses are dropped).
    public var status: Int
    /// Response headers in order of arrival, names lower-cased; a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The body bytes, decompressed when the server used a content encoding.
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, compared case-insensitively, or nil.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }

    /// The body decoded as UTF-8, with invalid sequences replaced.
    public var text: String {
        String(decoding: body, as: UTF8.self)
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// The outcome of one HTTP exchange: a response of any status, or a transport failure.
public enum HTTPResult: Sendable, Equatable {
    case response(HTTPResponse)
    case failure(TransportError)

    /// The response, or throws the transport error.
    public func get() throws(TransportError) -> HTTPResponse {
        switch self {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }
}
