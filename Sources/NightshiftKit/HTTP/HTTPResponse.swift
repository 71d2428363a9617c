import Foundation

/// The host's answer to an ``HTTPRequest``, copied out of host memory.
public struct HTTPResponse: Sendable, Hashable {
    /// The HTTP status; 0 when no response arrived (see ``transportError``).
    public var status: Int
    /// Headers with lower-cased names.
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The transport error when `status == 0`.
    public var transportError: String?

    /// Creates a response.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [], transportError: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.transportError = transportError
    }

    /// A response with a text body.
    public init(status: Int, headers: [HTTPHeader] = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Decodes the body as JSON.
    ///
    /// - Throws: The decoder's error when the body does not match `type`.
    public func decode<T: Decodable>(_ type: T.Type, using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(body))
    }
}
