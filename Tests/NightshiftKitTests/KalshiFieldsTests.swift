import Foundation
import KalshiWire
import NightshiftKit
import Testing

/// The lenient reading both Kalshi plugins share: wrong types and out-of-range values read as absent, and the
/// decimal-string twins stand in for the integer fields.
@Suite struct KalshiFieldsTests {
    /// Keeps the fields of one decoded object (the container holds the decoded value, so it outlives `decode`).
    private struct Object: Decodable {
        let fields: KalshiFields
        init(from decoder: any Decoder) throws { fields = try KalshiFields(decoder) }
    }

    private func fields<T>(_ json: String, _ read: (KalshiFields) throws -> T) throws -> T {
        try read(JSONDecoder().decode(Object.self, from: Data(json.utf8)).fields)
    }

    @Test func pricesAreCentsElseTheirDollarTwinWithinZeroToOneDollar() throws {
        let json = #"{"a":42,"b":150,"b_dollars":"0.37","c_dollars":"1.5","d":"42","e":-1}"#
        let prices = try fields(json) { f in ["a", "b", "c", "d", "e", "missing"].map { f.price($0) } }
        #expect(prices == [Fixed("0.42"), Fixed("0.37"), nil, nil, nil, nil])
    }

    @Test func countsTakeTheirFixedPointTwin() throws {
        let json = #"{"fill_count":3,"remaining_count_fp":"2.50","initial_count":"x"}"#
        let counts = try fields(json) { f in
            ["fill_count", "remaining_count", "initial_count"].map {
                f.amount($0, twin: "_fp", unit: Fixed.scale, upTo: 1_000_000_000)
            }
        }
        #expect(counts == [Fixed(3), Fixed("2.50"), nil])
    }

    @Test func wrongTypesReadAsAbsentButARequiredFieldMustBeThere() throws {
        let json = #"{"s":1,"n":"1","i":1.5,"ok":"yes"}"#
        let read = try fields(json) { f in (f.string("s"), f.number("n"), f.integer("i"), f.string("ok")) }
        #expect(read.0 == nil && read.1 == nil && read.2 == nil && read.3 == "yes")
        #expect(throws: DecodingError.self) { try fields(json) { try $0.required("ticker") } }
    }

    @Test func anErrorBodyGivesCodeAndMessage() {
        #expect(KalshiErrorBody.reason(in: Array(#"{"error":{"code":"invalid_price","message":"bad"}}"#.utf8))
            == "invalid_price: bad")
        #expect(KalshiErrorBody.reason(in: Array(#"{"error":{}}"#.utf8)) == nil)
        #expect(KalshiErrorBody.reason(in: Array("<html>".utf8)) == nil)
    }
}
