/// Why a recording could not be written or read, or why a replay stopped.
///
/// The message names what a user needs to act: the recording file and line for a malformed entry, both requests for
/// a replay that diverged from its recording.
public struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem; an open set.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The recording file could not be created, written or read.
        public static let io = Code(rawValue: "io")
        /// A line of the recording is not a valid entry, or the header is missing or of another format.
        public static let malformed = Code(rawValue: "malformed")
        /// The recording was made by a newer format version than this host reads.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// The recording and the deployment disagree about the instances (a recorded source is missing or not one).
        public static let mismatchedDeployment = Code(rawValue: "mismatched-deployment")
        /// During replay a plugin asked for something other than what the recording holds.
        public static let diverged = Code(rawValue: "diverged")
        /// `--from` names something that is not a recording (an event store holds no market data).
        public static let notARecording = Code(rawValue: "not-a-recording")

        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String
    /// The recording file, when the problem is in one.
    public var file: String?
    /// The line of `file`, counting from 1, when the problem is one entry.
    public var line: Int?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        switch (file, line) {
        case (let file?, let line?): "\(file):\(line): \(message)"
        case (let file?, nil): "\(file): \(message)"
        default: message
        }
    }
}
