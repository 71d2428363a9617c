import Foundation
import Glibc
import NightshiftIO
import Synchronization

/// Writes a recording while a deployment runs live: every HTTP exchange of the non-broker instances and every stream
/// callback, one JSON line each, in the order they happen.
///
/// The live drivers call it as they go: a poll driver at the start and end of each cycle (so exchanges carry their
/// cycle), the stream driver just before each `on_open`, `on_frame` and `on_close`, and a `RecordingTransport` after
/// each HTTP attempt. Each line is written as it happens, so a recording cut short by a crash holds everything up to
/// it. Nothing secret is written (see `SecretScrubber`); request headers and bodies are never recorded at all.
public final class Recorder: Sendable {
    private struct State {
        var descriptor: Int32
        /// Cycles begun so far, per instance.
        var cycles: [String: Int] = [:]
        /// The cycle running now, per instance (absent outside a cycle).
        var current: [String: Int] = [:]
        /// Links opened so far, per instance.
        var links: [String: Int] = [:]
        var failure: ReplayError?
        var entries = 0
    }

    /// The recording file.
    public let path: String
    private let state: Mutex<State>
    private let scrubber: SecretScrubber
    private let clock: @Sendable () -> Int64

    /// Creates the recording file (it must not exist yet) and writes its header.
    ///
    /// - Parameters:
    ///   - secrets: the values that must never reach the file (the deployment's secrets).
    ///   - clock: the host clock, ns since the epoch.
    /// - Throws: `ReplayError` (`io`) when the file exists or cannot be created.
    public init(
        path: String, header: RecordingHeader, secrets: Set<String>,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1e9) }
    ) throws(ReplayError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "already exists; choose another file" : String(cString: strerror(errno))
            throw ReplayError(.io, "cannot create the recording: \(reason)", file: path)
        }
        self.path = path
        self.clock = clock
        scrubber = SecretScrubber(secrets: secrets)
        state = Mutex(State(descriptor: descriptor))
        write(.header(header))
        if let failure { throw failure }
    }

    deinit { state.withLock { _ = Glibc.close($0.descriptor) } }

    /// The first write error, if any: the recording is then incomplete.
    public var failure: ReplayError? { state.withLock { $0.failure } }

    /// Entries written so far, the header included.
    public var entryCount: Int { state.withLock { $0.entries } }

    // MARK: - What the drivers report

    /// An HTTP attempt by `instance` finished with `result`.
    func exchange(instance: String, request: HTTPRequest, result: HTTPResult) {
        var exchange = RecordedExchange(
            instance: instance, cycle: 0, time: 0, method: request.method.rawValue, url: scrubber.url(request.url),
            status: 0)
        switch result {
        case .response(let response):
            exchange.status = response.status
            exchange.headers = response.headers.map { scrubber.header(name: $0.name.lowercased(), value: $0.value) }
            exchange.body = scrubber.bytes(response.body)
        case .failure(let error):
            exchange.errorCode = error.code.rawValue
            exchange.error = scrubber.text(error.message)
        }
        write { state, time in
            exchange.cycle = state.current[instance] ?? 0
            exchange.time = time
            return .http(exchange)
        }
    }

    /// `instance` began a cycle, with `time` handed to `begin_cycle`.
    func cycleBegan(instance: String, at time: Int64) {
        write { state, _ in
            let number = (state.cycles[instance] ?? 0) + 1
            state.cycles[instance] = number
            state.current[instance] = number
            return .cycle(instance: instance, number: number, time: time)
        }
    }

    /// `instance`'s cycle is over; `finished` is false when a shutdown cut it short, which leaves it without its
    /// `cycle_end` so a replay knows the recording holds only part of it.
    func cycleEnded(instance: String, finished: Bool) {
        guard finished else {
            state.withLock { _ = $0.current.removeValue(forKey: instance) }
            return
        }
        write { state, time in
            .cycleEnd(instance: instance, number: state.current.removeValue(forKey: instance) ?? 0, time: time)
        }
    }

    func streamOpened(instance: String) {
        write { state, time in
            let link = (state.links[instance] ?? 0) + 1
            state.links[instance] = link
            return .open(instance: instance, link: link, time: time)
        }
    }

    func streamFrame(instance: String, text: String) {
        let scrubbed = scrubber.text(text)
        write { state, time in .frame(instance: instance, link: state.links[instance] ?? 0, time: time, text: scrubbed) }
    }

    func streamClosed(instance: String) {
        write { state, time in .close(instance: instance, link: state.links[instance] ?? 0, time: time) }
    }

    // MARK: - Writing

    private func write(_ entry: RecordingEntry) { write { _, _ in entry } }

    /// Builds the entry under the lock, given the clock read there, and appends it as one line.
    ///
    /// Reading the clock under the lock makes file order and time order agree, which is the order a replay feeds.
    private func write(_ make: (inout State, Int64) -> RecordingEntry) {
        state.withLock { state in
            guard state.failure == nil else { return }
            let line = Array((make(&state, clock()).jsonLine + "\n").utf8)
            var offset = 0
            while offset < line.count {
                let written = line[offset...].withUnsafeBytes { Glibc.write(state.descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    state.failure = ReplayError(.io, "writing the recording failed: \(String(cString: strerror(errno)))", file: path)
                    return
                }
                offset += written
            }
            state.entries += 1
        }
    }
}

/// An HTTP transport that records every exchange it passes to the network.
struct RecordingTransport: HTTPTransport {
    let network: any HTTPTransport
    let recorder: Recorder
    let instance: String

    func perform(_ request: HTTPRequest) -> HTTPResult {
        let result = network.perform(request)
        recorder.exchange(instance: instance, request: request, result: result)
        return result
    }
}
