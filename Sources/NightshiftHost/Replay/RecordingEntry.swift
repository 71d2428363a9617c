import NightshiftJSON

/// One line of a recording: what a source instance received from the outside world, and when.
///
/// A recording is JSON lines: a `header` line first, then one entry per line in the order the host saw them. Times are
/// nanoseconds since the Unix epoch on the host's clock, the values plugins read through `now_ns`. Bodies are base64
/// (they may be compressed or binary); frames are JSON strings (WebSocket text frames are UTF-8 by definition).
public enum RecordingEntry: Sendable, Equatable {
    /// The first line: which format, which deployment, which instances.
    case header(RecordingHeader)
    /// A poll source began cycle `number` (counting from 1 per instance); `time` is what `begin_cycle` was given.
    case cycle(instance: String, number: Int, time: Int64)
    /// Cycle `number` finished. A cycle without this entry was cut short by the end of the recording (a shutdown or
    /// a crash), and a replay ends it where the recording ends.
    case cycleEnd(instance: String, number: Int, time: Int64)
    /// One HTTP exchange an instance's request made (one per attempt, retries included); `cycle` is 0 outside a cycle.
    case http(RecordedExchange)
    /// A stream source's link number `link` opened (`on_open`).
    case open(instance: String, link: Int, time: Int64)
    /// A text frame handed to `on_frame` on link `link`.
    case frame(instance: String, link: Int, time: Int64, text: String)
    /// Link `link` ended (`on_close`).
    case close(instance: String, link: Int, time: Int64)

    /// The instance the entry concerns (empty for the header).
    public var instance: String {
        switch self {
        case .header: ""
        case .cycle(let instance, _, _), .cycleEnd(let instance, _, _), .open(let instance, _, _), .frame(let instance, _, _, _),
            .close(let instance, _, _):
            instance
        case .http(let exchange): exchange.instance
        }
    }

    /// When it happened, ns since the epoch.
    public var time: Int64 {
        switch self {
        case .header(let header): header.startedAt
        case .cycle(_, _, let time), .cycleEnd(_, _, let time), .open(_, _, let time), .frame(_, _, let time, _), .close(_, _, let time): time
        case .http(let exchange): exchange.time
        }
    }
}

/// The recording's first line.
public struct RecordingHeader: Sendable, Equatable {
    /// The format name written in every header, so a stray file is recognised at once.
    public static let formatName = "nightshift-recording"
    /// The format version this host writes and reads.
    public static let currentVersion = 1

    /// One recorded instance and what its plugin is.
    public struct Instance: Sendable, Equatable {
        public var name: String
        public var plugin: String
        /// The plugin's kinds by name as `plugin inspect` shows them (`poll-source`, `stream-source`, …).
        public var kinds: [String]

        public init(name: String, plugin: String, kinds: [String]) {
            self.name = name
            self.plugin = plugin
            self.kinds = kinds
        }
    }

    public var version: Int
    /// The deployment file the recording was made with.
    public var deployment: String
    /// The host instance name.
    public var host: String
    /// The recording run's id (its events carry the same `run_id`).
    public var runID: String
    /// When recording began, ns since the epoch.
    public var startedAt: Int64
    public var instances: [Instance]

    public init(version: Int = Self.currentVersion, deployment: String, host: String, runID: String, startedAt: Int64,
                instances: [Instance]) {
        self.version = version
        self.deployment = deployment
        self.host = host
        self.runID = runID
        self.startedAt = startedAt
        self.instances = instances
    }
}

/// One HTTP attempt as recorded: the request line, and the response or the transport failure.
///
/// Request headers and bodies are never recorded (they carry credentials); the URL is redacted with the deployment's
/// secrets, and so is the replayed request's URL before the two are compared.
public struct RecordedExchange: Sendable, Equatable {
    public var instance: String
    /// The poll cycle the request belonged to, 0 when made outside a cycle (e.g. during `create`).
    public var cycle: Int
    /// When the answer arrived, ns since the epoch.
    public var time: Int64
    public var method: String
    public var url: String
    /// The HTTP status, 0 for a transport failure.
    public var status: Int
    /// Response headers in order, names lower-cased.
    public var headers: [RecordedHeader]
    public var body: [UInt8]
    /// The transport failure's code (`timeout`, `connect`, …) when `status` is 0.
    public var errorCode: String
    /// The transport failure's message when `status` is 0.
    public var error: String

    public init(instance: String, cycle: Int, time: Int64, method: String, url: String, status: Int,
                headers: [RecordedHeader] = [], body: [UInt8] = [], errorCode: String = "", error: String = "") {
        self.instance = instance
        self.cycle = cycle
        self.time = time
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.errorCode = errorCode
        self.error = error
    }

    /// `METHOD url`, as divergence messages name a request.
    public var requestLine: String { "\(method) \(url)" }
}

/// A response header: a lower-cased name and its value.
public struct RecordedHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
