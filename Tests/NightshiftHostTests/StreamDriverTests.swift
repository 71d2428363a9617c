import Foundation
import NightshiftConfig
import NightshiftResilience
import NightshiftTestSupport
import Testing
@testable import NightshiftHost

/// The stream driver inside a real runtime: a C stream source against a real WebSocket peer on 127.0.0.1, through
/// drops, flapping, silence, a refused login and a shutdown. Assertions are on the event sequence, never on times.
@Suite struct StreamDriverTests {
    let builder: CPluginBuilder
    let pluginDirectory: String

    init() throws {
        builder = try CPluginBuilder()
        _ = try builder.build(StreamTestRun.pluginSource, name: "echo_stream")
        pluginDirectory = builder.directory.path
    }

    /// Whether `pattern` occurs in `types` as a contiguous run.
    private func containsRun(_ pattern: [String], in types: [String]) -> Bool {
        guard types.count >= pattern.count else { return false }
        return (0...(types.count - pattern.count)).contains { Array(types[$0..<($0 + pattern.count)]) == pattern }
    }

    /// The stream rows and the plugin's own open/close rows, by type.
    private func sequence(_ run: StreamTestRun) -> [String] {
        run.events.rows("stream_", "echo_", "host_escalated").map(\.type)
    }

    @Test func reconnectsAfterADropAndThePluginResubscribes() async throws {
        let frames = PeerFrameLog()
        defer { frames.remove(); builder.remove() }
        let peer = try ScriptProcess.start("peers/ws_peer.py", arguments: ["--frame-log", frames.path])
        defer { peer.stop() }
        let run = try StreamTestRun(
            url: "ws://127.0.0.1:\(peer.port)/stream?data=3&then=drop",
            reconnect: "{base_delay: 50ms, max_delay: 200ms, max_consecutive_failures: 3, healthy_after: 30s, idle_timeout: 10s}",
            pluginDirectory: pluginDirectory)
        run.start()
        // Three drops in a row with max_consecutive_failures 3 only survive because each link delivered data first.
        #expect(await run.wait { $0.rows(ofType: "stream_disconnected").count >= 3 && $0.rows(ofType: "stream_connected").count >= 4 })
        #expect(await run.stop() == .success)

        #expect(Array(sequence(run).prefix(6)) == [
            "stream_connected", "echo_open", "echo_close", "stream_disconnected", "stream_connected", "echo_open",
        ])
        let disconnects = run.events.rows(ofType: "stream_disconnected")
        #expect(disconnects.allSatisfy { $0.int("consecutive") == 1 })
        #expect(disconnects.allSatisfy { $0.int("delay_ms").map { $0 >= 0 && $0 <= 50 } == true })
        #expect(run.events.rows(ofType: "stream_gave_up").isEmpty)
        let connects = run.events.rows(ofType: "stream_connected")
        #expect(connects.first?.string("url_host") == "127.0.0.1")
        #expect(connects.map { $0.int("attempt") }.prefix(2) == [1, 2])
        // Each link carried its three trades to the plugin, which emitted one event per trade.
        #expect(run.events.rows(ofType: "echo_close").first?.int("trades") == 3)
        #expect(run.events.rows(ofType: "host_stopped").first?.int("events_emitted").map { $0 >= 9 } == true)
        // The peer saw the plugin log in and subscribe again on every new connection.
        for connection in 1...3 {
            #expect(frames.actions(on: connection) == ["auth", "subscribe"])
        }
    }

    @Test func aFlappingLinkEscalatesAfterMaxConsecutiveFailures() async throws {
        defer { builder.remove() }
        let peer = try ScriptProcess.start("peers/ws_peer.py")
        defer { peer.stop() }
        let run = try StreamTestRun(
            url: "ws://127.0.0.1:\(peer.port)/close-immediately",
            reconnect: "{base_delay: 50ms, max_delay: 100ms, max_consecutive_failures: 3, healthy_after: 30s, idle_timeout: 10s}",
            pluginDirectory: pluginDirectory)
        run.start()
        #expect(await run.waitForExit() == .escalated)

        #expect(run.events.rows("stream_").map(\.type) == [
            "stream_connected", "stream_disconnected", "stream_connected", "stream_disconnected", "stream_connected",
            "stream_gave_up",
        ])
        #expect(run.events.rows(ofType: "stream_connected").map { $0.int("attempt") } == [1, 2, 3])
        #expect(run.events.rows(ofType: "stream_disconnected").map { $0.int("consecutive") } == [1, 2])
        let gaveUp = try #require(run.events.rows(ofType: "stream_gave_up").first)
        #expect(gaveUp.int("consecutive") == 3)
        #expect(run.events.rows(ofType: "host_escalated").count == 1)
        // on_close follows every on_open.
        #expect(run.events.rows(ofType: "echo_open").count == 3)
        #expect(run.events.rows(ofType: "echo_close").count == 3)
    }

    @Test func aSilentLinkStallsAndIsReplaced() async throws {
        defer { builder.remove() }
        let peer = try ScriptProcess.start("peers/ws_peer.py")
        defer { peer.stop() }
        let run = try StreamTestRun(
            url: "ws://127.0.0.1:\(peer.port)/silent",
            reconnect: "{base_delay: 50ms, max_delay: 100ms, max_consecutive_failures: 1000, healthy_after: 30s, idle_timeout: 1s}",
            pluginDirectory: pluginDirectory)
        run.start()
        // An open link that goes silent is stalled, closed (on_close), counted as a failure and replaced. (A connect
        // that takes longer than idle_timeout on a busy machine stalls too, before opening; that is not this case.)
        let replaced = ["stream_connected", "echo_open", "stream_stalled", "echo_close", "stream_disconnected", "stream_connected"]
        #expect(await run.wait { _ in containsRun(replaced, in: sequence(run)) })
        #expect(await run.stop() == .success)

        let stalls = run.events.rows(ofType: "stream_stalled")
        #expect(!stalls.isEmpty && stalls.allSatisfy { $0.int("idle_ms").map { $0 >= 1000 } == true })
        let disconnects = run.events.rows(ofType: "stream_disconnected")
        #expect(!disconnects.isEmpty && disconnects.allSatisfy { $0.string("reason")?.hasPrefix("stalled") == true })
        // Never healthy: no data ever arrived, so the count keeps growing.
        #expect(disconnects.map { $0.int("consecutive") } == disconnects.indices.map { Int64($0 + 1) })
    }

    @Test func aRefusedLoginStopsAtOnceAndEscalates() async throws {
        let frames = PeerFrameLog()
        defer { frames.remove(); builder.remove() }
        let peer = try ScriptProcess.start("peers/ws_peer.py", arguments: ["--frame-log", frames.path])
        defer { peer.stop() }
        let run = try StreamTestRun(
            url: "ws://127.0.0.1:\(peer.port)/stream?reject=402",
            reconnect: "{base_delay: 50ms, max_consecutive_failures: 5, healthy_after: 30s, idle_timeout: 10s}",
            pluginDirectory: pluginDirectory)
        run.start()
        #expect(await run.waitForExit() == .escalated)

        #expect(sequence(run) == ["stream_connected", "echo_open", "echo_close", "stream_gave_up", "host_escalated"])
        let gaveUp = try #require(run.events.rows(ofType: "stream_gave_up").first)
        #expect(gaveUp.string("reason") == "on_frame: server error 402")
        #expect(gaveUp.int("consecutive") == 0)
        // One connection only. (The subscribe queued behind the login may be dropped by the close that follows.)
        #expect(frames.lines.filter { $0.connection > 1 }.isEmpty)
        #expect(frames.actions(on: 1).first == "auth")
    }

    @Test func aQuietHealthyLinkLivesOnPongsAndClosesCleanlyAtShutdown() async throws {
        let frames = PeerFrameLog()
        defer { frames.remove(); builder.remove() }
        let peer = try ScriptProcess.start("peers/ws_peer.py", arguments: ["--frame-log", frames.path])
        defer { peer.stop() }
        let run = try StreamTestRun(
            url: "ws://127.0.0.1:\(peer.port)/stream?data=1",
            reconnect: "{base_delay: 50ms, max_consecutive_failures: 5, healthy_after: 30s, idle_timeout: 500ms}",
            pluginDirectory: pluginDirectory)
        run.start()
        #expect(await run.wait { !$0.rows(ofType: "echo_open").isEmpty }, "\(run.events.all.map { "\($0.type) \($0.message)" })")
        // Three idle timeouts after the one trade: only the pongs to the driver's pings show the link is alive.
        try await Task.sleep(for: .milliseconds(1500))
        #expect(await run.stop() == .success)

        // (A connect slower than idle_timeout on a busy machine stalls before opening; only the open link matters.)
        let sinceOpen = sequence(run).drop { $0 != "stream_connected" }
        #expect(Array(sinceOpen) == ["stream_connected", "echo_open", "echo_close"])
        #expect(run.events.rows(ofType: "echo_close").first?.int("trades") == 1)
        // At shutdown the driver closed the socket with 1001 (going away) and called on_close.
        #expect(frames.lines.contains { $0.text == "closed 1001" })
    }

    @Test func reconnectSettingsMapOntoThePolicy() {
        defer { builder.remove() }
        var settings = ReconnectSettings()
        settings.baseDelay = .milliseconds(50)
        settings.multiplier = 3
        settings.maxDelay = .seconds(2)
        settings.jitter = .equal
        settings.maxConsecutiveFailures = 4
        settings.healthyAfter = .seconds(5)
        settings.idleTimeout = .seconds(7)
        let policy = ReconnectPolicy(settings)
        #expect(policy == ReconnectPolicy(
            baseDelay: .milliseconds(50), multiplier: 3, maxDelay: .seconds(2), jitter: .equal, maxConsecutiveFailures: 4,
            healthyAfter: .seconds(5), idleTimeout: .seconds(7)))
        let configuration = StreamDriver.Configuration(policy: policy)
        #expect(configuration.pingInterval < policy.idleTimeout)
        #expect(configuration.connectTimeout <= policy.idleTimeout)
    }
}
