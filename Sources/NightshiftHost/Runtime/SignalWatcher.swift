import Dispatch
import Glibc

/// Delivers SIGTERM/SIGINT as calls on a dispatch queue instead of asynchronous signal handlers.
final class SignalWatcher: @unchecked Sendable {  // sources are immutable after init
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "nightshift.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
