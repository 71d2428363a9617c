import NightshiftABI
import Testing
@testable import NightshiftHost

/// How a plugin's described request becomes the request libcurl sends.
@Suite struct HTTPServiceTests {
    func convert(method: String, key: String, headers: [(String, String)] = []) -> (method: String, headers: [(String, String)]) {
        let strings = [method, "http://127.0.0.1/orders", key] + headers.flatMap { [$0.0, $0.1] }
        let arena = ScratchArena()
        let c = strings.map { arena.str($0) }
        var table: [ns_http_header] = []
        for index in headers.indices { table.append(ns_http_header(name: c[3 + 2 * index], value: c[4 + 2 * index])) }
        return table.withUnsafeBufferPointer { buffer in
            var request = ns_http_request()
            request.method = c[0]
            request.url = c[1]
            request.idempotency_key = c[2]
            request.headers = buffer.baseAddress
            request.n_headers = buffer.count
            let converted = HTTPService.request(request)
            return (converted.method.rawValue, converted.headers.map { ($0.name, $0.value) })
        }
    }

    @Test func theIdempotencyKeyGoesOnTheWire() {
        let converted = convert(method: "post", key: "abc-1")
        #expect(converted.method == "POST")
        #expect(converted.headers.contains { $0.0 == "Idempotency-Key" && $0.1 == "abc-1" })
    }

    @Test func aPluginsOwnIdempotencyHeaderIsKept() {
        let converted = convert(method: "POST", key: "abc-1", headers: [("idempotency-key", "mine")])
        #expect(converted.headers.filter { $0.0.lowercased() == "idempotency-key" }.map(\.1) == ["mine"])
    }

    @Test func noKeyNoHeader() {
        #expect(convert(method: "GET", key: "").headers.isEmpty)
    }
}

/// Plugins cannot write rows that look like the host's own.
@Suite struct PluginEventTypeTests {
    @Test func reservedTypesArePrefixed() {
        #expect(HostTable.pluginEventType("trade_executed") == "plugin.trade_executed")
        #expect(HostTable.pluginEventType("stream_connected") == "plugin.stream_connected")
        #expect(HostTable.pluginEventType("host_escalated") == "plugin.host_escalated")
        #expect(HostTable.pluginEventType("stream_subscribed") == "stream_subscribed")
        #expect(HostTable.pluginEventType("trade_blocked") == "trade_blocked")
        #expect(HostTable.pluginEventType("tick") == "tick")
        #expect(HostTable.pluginEventType("") == "log")
    }
}
