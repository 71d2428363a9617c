import NightshiftIO
import Synchronization

extension StreamDriver {
    /// The instance's end of `ns_host.stream_send`, registered in `RuntimeHost.streams` under the instance's name.
    ///
    /// It sends on whichever link is open right now, and reports why not when none is: the plugin's `stream_send` then
    /// returns `NS_RETRY` with that reason as its last error. It also counts the events the instance emits, which is
    /// how the driver learns that a link carries data (and so is healthy).
    final class Sender: StreamSending {
        private let client = Mutex<WebSocketClient?>(nil)
        private let emittedEvents = Atomic<Int>(0)

        /// Makes `link` the one frames go to; called once it has opened, before `on_open`.
        func attach(_ link: WebSocketClient) {
            client.withLock { $0 = link }
        }

        /// Stops sending on the current link; called when it ends, before `on_close`.
        func detach() {
            client.withLock { $0 = nil }
        }

        func send(_ frame: String) -> String? {
            guard let link = client.withLock({ $0 }) else { return "the stream is not connected" }
            return link.send(text: frame) ? nil : "the stream is closing"
        }

        func emitted(_ count: Int) {
            emittedEvents.add(count, ordering: .relaxed)
        }

        /// Events the instance has emitted so far.
        var emittedCount: Int { emittedEvents.load(ordering: .relaxed) }
    }
}
