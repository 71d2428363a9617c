/// How a recording relates to the deployment it was made with and the one it is replayed through.
extension RecordingHeader {
    /// The header for a recording of `prepared`, run `runID`, starting at `startedAt` (ns since the epoch).
    public init(prepared: PreparedDeployment, runID: String, startedAt: Int64) {
        self.init(
            deployment: prepared.deployment.file, host: prepared.deployment.host.name, runID: runID, startedAt: startedAt,
            instances: prepared.instances.map { instance in
                Instance(name: instance.settings.name, plugin: instance.plugin.info.name, kinds: instance.plugin.info.kinds.names)
            })
    }
}

extension Recording {
    /// Checks that every recorded source exists in `prepared` as the same kind of source.
    ///
    /// A source of the deployment that the recording does not mention just receives nothing; a recorded source the
    /// deployment lacks (renamed, removed, or now a different kind) would silently drop data, so it is an error.
    ///
    /// - Throws: `ReplayError` (`mismatchedDeployment`) naming the instance and what is wrong.
    public func check(against prepared: PreparedDeployment) throws(ReplayError) {
        let kinds = Dictionary(uniqueKeysWithValues: prepared.instances.map { ($0.settings.name, $0.plugin.info.kinds) })
        var checked: Set<String> = []
        for entry in entries where !checked.contains(entry.instance) {
            let name = entry.instance
            guard let kind = kinds[name] else {
                throw ReplayError(
                    .mismatchedDeployment, "the recording has data for instance '\(name)', which the deployment does not have",
                    file: file)
            }
            switch entry {
            case .cycle, .cycleEnd:
                guard kind.contains(.pollSource) else {
                    throw ReplayError(
                        .mismatchedDeployment, "instance '\(name)' was recorded as a poll source but is not one now", file: file)
                }
            case .open, .frame, .close:
                guard kind.contains(.streamSource) else {
                    throw ReplayError(
                        .mismatchedDeployment, "instance '\(name)' was recorded as a stream source but is not one now", file: file)
                }
            case .header, .http:
                continue
            }
            checked.insert(name)
        }
    }
}
