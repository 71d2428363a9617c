import Dispatch
import NightshiftIO

/// How a link's events get from its `AsyncStream` to the driver's thread.
extension StreamDriver {
    /// Forwards the events of link number `id` into the inbox until the link's stream ends.
    ///
    /// Iterating to the end keeps the link alive as long as it is open: dropping the stream would close it. The task
    /// runs on the driver's own executor, so event delivery never waits for the shared cooperative pool, which
    /// blocking work elsewhere in the process may be holding.
    func forward(_ events: AsyncStream<WebSocketEvent>, link id: Int) {
        Task.detached(executorPreference: executor) { [inbox] in
            for await event in events {
                inbox.push(.link(id, event))
            }
        }
    }

    /// A task executor over one serial dispatch queue.
    ///
    /// A serial queue gets a thread of its own when the pool is busy, unlike the width-limited cooperative pool.
    final class QueueExecutor: TaskExecutor {
        private let queue: DispatchQueue

        init(label: String) {
            queue = DispatchQueue(label: label)
        }

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }
}
