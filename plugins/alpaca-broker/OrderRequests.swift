import NightshiftKit

/// The trading API's requests, built exactly as documented: `POST /v2/orders` and
/// `GET /v2/orders:by_client_order_id?client_order_id=…`, authenticated by the `APCA-API-*` headers.
///
/// The headers carry the secret: they go to the host's `http` service only, which never logs them.
struct OrderRequests {
    let base: String
    let keyID: String
    let secret: String
    let timeout: Duration?

    /// Why an order cannot be expressed for this venue.
    struct Unsupported: Error {
        var reason: String
    }

    /// The submit request for `order`, its client order id as the idempotency key so the host may retry it.
    ///
    /// - Throws: ``Unsupported`` for an order Alpaca cannot take (a binary outcome, a limit order without a price).
    func submit(_ order: Order, symbol: String) throws(Unsupported) -> HTTPRequest {
        guard order.outcome == .none else { throw Unsupported(reason: "alpaca trades no binary outcomes") }
        return HTTPRequest(
            method: "POST", url: "\(base)/v2/orders",
            headers: headers + [HTTPHeader("Content-Type", "application/json")],
            body: Array(try Self.body(order, symbol: symbol).utf8), timeout: timeout,
            idempotencyKey: order.clientOrderID, label: "alpaca_order")
    }

    /// The lookup of an order by the client order id it was submitted with.
    func query(clientOrderID: String) -> HTTPRequest {
        HTTPRequest(
            url: "\(base)/v2/orders:by_client_order_id?client_order_id=\(Self.percentEncoded(clientOrderID))",
            headers: headers, timeout: timeout, label: "alpaca_order_query")
    }

    private var headers: [HTTPHeader] {
        [
            HTTPHeader("APCA-API-KEY-ID", keyID), HTTPHeader("APCA-API-SECRET-KEY", secret),
            HTTPHeader("Accept", "application/json"),
        ]
    }

    // MARK: - Body

    /// `{"symbol":…,"qty":…,"side":…,"type":…,"time_in_force":…[,"limit_price":…],"client_order_id":…}`.
    ///
    /// Quantities and prices are decimal strings, as the API documents them, so no digit is lost to a float.
    static func body(_ order: Order, symbol: String) throws(Unsupported) -> String {
        var fields: [(String, String)] = [
            ("symbol", quoted(symbol)), ("qty", quoted(order.quantity.description)),
            ("side", quoted(order.side.description)), ("type", quoted(order.type.description)),
            ("time_in_force", quoted(order.timeInForce.description)),
        ]
        if order.type == .limit {
            guard let price = order.limitPrice, price > .zero else {
                throw Unsupported(reason: "a limit order needs a positive limit price")
            }
            fields.append(("limit_price", quoted(price.description)))
        }
        fields.append(("client_order_id", quoted(order.clientOrderID)))
        return "{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `text` with everything but RFC 3986's unreserved characters percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }
}
