import Synchronization
import Testing

@testable import NightshiftHost

#if canImport(Glibc)
import Glibc
#endif

/// The feeder on a real thread, sending to a real notify socket, with a short watchdog (400 ms: feeds every 200 ms).
///
/// Assertions are about what arrives, never about when: a stalled feeder is recognised by the socket going quiet
/// and staying quiet.
@Suite("WatchdogFeeder")
struct WatchdogFeederTests {
    let settings = WatchdogSettings(interval: .milliseconds(400))

    @Test("A beating loop gets WATCHDOG=1 sent, one datagram per feed")
    func feedsWhileHealthy() throws {
        let receiver = try NotifySocketReceiver()
        let feeder = WatchdogFeeder(settings: settings, notifier: notifier(for: receiver))
        feeder.start()
        var received = beat(feeder, receiver, for: .milliseconds(1200))
        feeder.stop()
        received += drainUntilQuiet(receiver)

        #expect(received.count >= 2)
        #expect(received.allSatisfy { $0 == "WATCHDOG=1" })
        #expect(feeder.feedCount == received.count)
    }

    @Test("When the loop stops beating the feeding stops, and resumes when it beats again")
    func stallAndRecovery() throws {
        let receiver = try NotifySocketReceiver()
        let transitions = Mutex<[WatchdogFeeder.Transition]>([])
        let feeder = WatchdogFeeder(settings: settings, notifier: notifier(for: receiver)) { transition in
            transitions.withLock { $0.append(transition) }
        }
        feeder.start()
        defer { feeder.stop() }

        #expect(!beat(feeder, receiver, for: .milliseconds(500)).isEmpty)
        // No more heartbeats: at most the feeds still due arrive, then the socket stays quiet.
        _ = drainUntilQuiet(receiver)
        #expect(receiver.receive(timeout: .milliseconds(800)) == nil)
        let stalled = transitions.withLock { $0 }
        guard case .withholding(.loopStalled)? = stalled.last else {
            Issue.record("expected a loop-stalled transition, got \(stalled)")
            return
        }

        let resumed = beat(feeder, receiver, for: .milliseconds(600))
        #expect(resumed.contains("WATCHDOG=1"))
        #expect(transitions.withLock { $0.last } == .resumed)
    }

    @Test("A deadline overrun stops feeding for good, although the loop keeps beating")
    func deadlineOverrun() throws {
        let receiver = try NotifySocketReceiver()
        let transitions = Mutex<[WatchdogFeeder.Transition]>([])
        let feeder = WatchdogFeeder(settings: settings, notifier: notifier(for: receiver)) { transition in
            transitions.withLock { $0.append(transition) }
        }
        feeder.start()
        defer { feeder.stop() }

        #expect(!beat(feeder, receiver, for: .milliseconds(300)).isEmpty)
        feeder.deadlineOverran("paper-broker: submit_order")
        // Beating on: whatever was in flight arrives, then nothing, however long the loop stays healthy.
        var quiet = false
        for _ in 0..<25 where !quiet {
            quiet = beat(feeder, receiver, for: .milliseconds(400)).isEmpty
        }
        #expect(quiet)
        #expect(beat(feeder, receiver, for: .milliseconds(800)).isEmpty)
        #expect(transitions.withLock { $0.last } == .withholding(.deadlineOverrun("paper-broker: submit_order")))
    }

    @Test("startIfEnabled feeds only when systemd asked this process for a watchdog")
    func startIfEnabled() throws {
        let receiver = try NotifySocketReceiver()
        let pid = String(getpid())
        let disabled: [[String: String]] = [
            ["NOTIFY_SOCKET": receiver.address],
            ["WATCHDOG_USEC": "400000"],
            ["NOTIFY_SOCKET": receiver.address, "WATCHDOG_USEC": "400000", "WATCHDOG_PID": "1"],
        ]
        for environment in disabled {
            let notifier = SystemdNotifier(environment: environment)
            #expect(WatchdogFeeder.startIfEnabled(notifier: notifier, environment: environment) == nil)
        }

        let environment = ["NOTIFY_SOCKET": receiver.address, "WATCHDOG_USEC": "400000", "WATCHDOG_PID": pid]
        let notifier = SystemdNotifier(environment: environment)
        let feeder = try #require(WatchdogFeeder.startIfEnabled(notifier: notifier, environment: environment))
        #expect(feeder.settings.interval == .milliseconds(400))
        #expect(receiver.receive() == "WATCHDOG=1")
        feeder.stop()
    }

    @Test("After stop nothing more is sent, and stop and start again do nothing")
    func stop() throws {
        let receiver = try NotifySocketReceiver()
        let feeder = WatchdogFeeder(settings: settings, notifier: notifier(for: receiver))
        feeder.start()
        #expect(receiver.receive() == "WATCHDOG=1")
        feeder.stop()
        feeder.stop()
        feeder.start()
        _ = drainUntilQuiet(receiver)
        #expect(beat(feeder, receiver, for: .milliseconds(600)).isEmpty)
    }

    // MARK: - Helpers

    func notifier(for receiver: NotifySocketReceiver) -> SystemdNotifier {
        SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.address])
    }

    /// Acts as a healthy event loop for a while: a heartbeat at least every 20 ms, reading the socket in between.
    func beat(_ feeder: WatchdogFeeder, _ receiver: NotifySocketReceiver, for duration: Duration) -> [String] {
        var received: [String] = []
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            feeder.heartbeat()
            if let datagram = receiver.receive(timeout: .milliseconds(20)) { received.append(datagram) }
        }
        return received
    }

    /// Reads until nothing arrives for a whole watchdog interval (giving up after 25 intervals).
    func drainUntilQuiet(_ receiver: NotifySocketReceiver) -> [String] {
        var received: [String] = []
        for _ in 0..<25 {
            guard let datagram = receiver.receive(timeout: settings.interval) else { break }
            received.append(datagram)
        }
        return received
    }
}
