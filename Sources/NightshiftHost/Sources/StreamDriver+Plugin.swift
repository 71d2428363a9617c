import Foundation
import NightshiftABI

/// The stream source's callbacks, each one call on the instance's queue.
extension StreamDriver {
    /// Where the plugin asked to connect.
    struct Target: Sendable {
        var url: String
        var headers: [(name: String, value: String)]

        /// The URL's host: the only part of the URL events name, since a path or query may carry a token.
        var host: String { URLComponents(string: url)?.host ?? "unknown" }
    }

    /// What the driver does after a plugin callback returned.
    enum Verdict: Sendable, Equatable {
        /// `NS_OK`: carry on.
        case proceed
        /// `NS_RETRY`: drop the link and reconnect under the policy; the reason says why.
        case reconnect(String)
        /// `NS_FATAL`, `NS_INVALID_CONFIG` or an unknown status: stop the stream for good.
        case stop(String)
    }

    /// Asks the plugin where to connect (`describe`), copying the URL and headers before the call returns.
    func describe() -> (Target?, Verdict) {
        instance.call { () -> (Target?, Verdict) in
            guard let handle = instance.handle, let table = instance.plugin.streamSource else {
                return (nil, .stop("the instance is not running"))
            }
            var request = ns_stream_request()
            let status = table.describe(handle, &request)
            guard status == Status.ok else { return (nil, verdict(status, call: "describe")) }
            let url = request.url.string
            guard !url.isEmpty else { return (nil, .stop("describe gave no URL")) }
            var headers: [(name: String, value: String)] = []
            if let list = request.headers {
                for index in 0..<request.n_headers {
                    headers.append((list[index].name.string, list[index].value.string))
                }
            }
            return (Target(url: url, headers: headers), .proceed)
        }
    }

    /// Tells the plugin the link is open (`on_open`); it authenticates and subscribes from here, with `stream_send`.
    func pluginOpen() -> Verdict {
        instance.call { () -> Verdict in
            guard let handle = instance.handle, let table = instance.plugin.streamSource else {
                return .stop("the instance is not running")
            }
            recorder?.streamOpened(instance: instance.name)
            return verdict(table.on_open(handle), call: "on_open")
        }
    }

    /// Hands the plugin one text frame (`on_frame`), borrowed for the call.
    func pluginFrame(_ text: String) -> Verdict {
        instance.call { () -> Verdict in
            guard let handle = instance.handle, let table = instance.plugin.streamSource else {
                return .stop("the instance is not running")
            }
            recorder?.streamFrame(instance: instance.name, text: text)
            var frame = text
            let status = frame.withUTF8 { utf8 in
                table.on_frame(
                    handle,
                    ns_str(ptr: UnsafeRawPointer(utf8.baseAddress)?.assumingMemoryBound(to: CChar.self), len: utf8.count))
            }
            return verdict(status, call: "on_frame")
        }
    }

    /// Tells the plugin the link is gone (`on_close`).
    func pluginClose() {
        instance.call {
            guard let handle = instance.handle, let table = instance.plugin.streamSource else { return }
            recorder?.streamClosed(instance: instance.name)
            table.on_close(handle)
        }
    }

    /// The verdict for `status` from `call`, with the plugin's reason; call on the instance's queue.
    private func verdict(_ status: ns_status, call: String) -> Verdict {
        guard status != Status.ok else { return .proceed }
        let message = instance.pluginLastError()
        let reason = message.isEmpty ? "\(call) returned status \(status)" : "\(call): \(message)"
        return status == Status.retry ? .reconnect(reason) : .stop(reason)
    }
}
