/// Decoding of `instances:`: each entry, then the names they must not repeat and the references they must resolve.
extension DeploymentDecoder {
    static let instanceKeys = [
        "name", "plugin", "sha256", "schedule", "subscribe", "route_to", "retry", "reconnect", "restart",
        "call_deadline", "config",
    ]

    /// A name written in `subscribe` or `route_to`, kept with its place until every instance is known.
    private struct Reference {
        var path: String
        var name: String
        var mark: Mark
        var from: String?
    }

    mutating func decodeInstances(_ node: YAMLNode, defaults: PolicyDefaults) -> [InstanceSettings] {
        guard let items = node.sequence else {
            diagnostics.report(
                .type, "instances: expected a sequence, got \(MappingReader.describe(node))", at: node.mark)
            return []
        }
        var instances: [InstanceSettings] = []
        var references: [Reference] = []
        var firstPlace: [String: Mark] = [:]
        for (index, item) in items.enumerated() {
            let path = "instances[\(index)]"
            guard let instance = decodeInstance(item, path: path, defaults: defaults, references: &references) else {
                continue
            }
            let nameMark = instance.keyMarks["name"] ?? instance.mark
            if let first = firstPlace[instance.name] {
                diagnostics.report(
                    .duplicateKey, "\(path): duplicate instance name '\(instance.name)' (first defined at \(first))",
                    at: nameMark)
                continue
            }
            firstPlace[instance.name] = nameMark
            instances.append(instance)
        }
        check(references, names: instances.map(\.name))
        return instances
    }

    private mutating func decodeInstance(
        _ node: YAMLNode, path: String, defaults: PolicyDefaults, references: inout [Reference]
    ) -> InstanceSettings? {
        guard !node.isNull,
            let reader = MappingReader(node, path: path, allowed: Self.instanceKeys, diagnostics: &diagnostics)
        else {
            if node.isNull { diagnostics.report(.type, "\(path): expected a mapping, got null", at: node.mark) }
            return nil
        }
        let nameNode = reader.required("name", &diagnostics)
        let name = reader.string("name", &diagnostics)
        if let name, let nameNode, !Self.isInstanceName(name) {
            diagnostics.report(
                .invalidValue,
                "\(path).name: \(MappingReader.quote(nameNode)) is not a valid instance name "
                    + "(letters, digits, '_', '-' and '.', starting with a letter or digit)", at: nameNode.mark)
        }
        _ = reader.required("plugin", &diagnostics)
        let plugin = reader.string("plugin", &diagnostics).flatMap { pluginReference($0, reader: reader) }

        var config = YAMLNode.emptyMapping(at: reader.keyMark("config") ?? node.mark)
        if let configNode = reader.value("config") {
            if configNode.mapping != nil {
                config = configNode
            } else {
                diagnostics.report(
                    .type, "\(path).config: expected a mapping, got \(MappingReader.describe(configNode))",
                    at: configNode.mark)
            }
        }
        guard let name, let plugin, Self.isInstanceName(name) else { return nil }

        var instance = InstanceSettings(name: name, plugin: plugin, defaults: defaults, config: config, mark: node.mark)
        for key in Self.instanceKeys {
            if let mark = reader.keyMark(key) { instance.keyMarks[key] = mark }
        }
        if let nameNode { instance.keyMarks["name"] = nameNode.mark }
        if let hash = reader.string("sha256", &diagnostics) {
            if hash.count == 64, hash.allSatisfy(\.isHexDigit) {
                instance.sha256 = hash.lowercased()
            } else {
                diagnostics.report(
                    .invalidValue, "\(path).sha256: expected 64 hexadecimal digits", at: reader.value("sha256")?.mark)
            }
        }
        if let scheduleNode = reader.value("schedule") {
            instance.schedule = decodeSchedule(scheduleNode, path: "\(path).schedule")
        }
        for (offset, item) in (reader.stringList("subscribe", &diagnostics) ?? []).enumerated() {
            instance.subscribe.append(item.text)
            references.append(
                Reference(path: "\(path).subscribe[\(offset)]", name: item.text, mark: item.mark, from: name))
        }
        if let routeTo = reader.string("route_to", &diagnostics), let mark = reader.value("route_to")?.mark {
            instance.routeTo = routeTo
            references.append(Reference(path: "\(path).route_to", name: routeTo, mark: mark, from: name))
        }
        if let node = reader.value("retry") {
            instance.retry = decodeRetry(node, path: "\(path).retry", over: defaults.retry)
        }
        if let node = reader.value("reconnect") {
            instance.reconnect = decodeReconnect(node, path: "\(path).reconnect", over: defaults.reconnect)
        }
        if let node = reader.value("restart") {
            instance.restart = decodeRestart(node, path: "\(path).restart", over: defaults.restart)
        }
        if let deadline = reader.duration("call_deadline", &diagnostics) { instance.callDeadline = deadline }
        return instance
    }

    private mutating func pluginReference(_ text: String, reader: MappingReader) -> PluginReference? {
        guard !text.isEmpty else {
            diagnostics.report(
                .invalidValue, "\(reader.path(of: "plugin")): must not be empty", at: reader.value("plugin")?.mark)
            return nil
        }
        return text.contains("/") ? .path(PathResolver.resolve(text, against: directory)) : .name(text)
    }

    private mutating func decodeSchedule(_ node: YAMLNode, path: String) -> Schedule? {
        guard
            let reader = MappingReader(
                node, path: path, allowed: ["every", "at_hours_utc", "lag"], diagnostics: &diagnostics)
        else { return nil }
        switch (reader.value("every"), reader.value("at_hours_utc")) {
        case (nil, nil):
            diagnostics.report(.missingKey, "\(path): needs either 'every' or 'at_hours_utc'", at: node.mark)
            return nil
        case (_?, _?):
            diagnostics.report(.invalidValue, "\(path): give either 'every' or 'at_hours_utc', not both", at: node.mark)
            return nil
        case (let every?, nil):
            if let lagMark = reader.keyMark("lag") {
                diagnostics.report(.invalidValue, "\(path).lag: only applies with 'at_hours_utc'", at: lagMark)
            }
            guard let interval = reader.duration("every", &diagnostics) else { return nil }
            guard interval > .zero else {
                diagnostics.report(.invalidValue, "\(path).every: must be longer than zero", at: every.mark)
                return nil
            }
            return .every(interval)
        case (nil, let hoursNode?):
            let lag = reader.duration("lag", &diagnostics) ?? .zero
            guard let items = hoursNode.sequence, !items.isEmpty else {
                diagnostics.report(
                    .type, "\(path).at_hours_utc: expected a non-empty sequence of hours 0–23", at: hoursNode.mark)
                return nil
            }
            var hours: [Int] = []
            for item in items {
                guard let hour = item.scalar?.integerValue, item.scalar?.kind == .integer, (0...23).contains(hour)
                else {
                    diagnostics.report(
                        .invalidValue, "\(path).at_hours_utc: expected an hour 0–23, got \(MappingReader.quote(item))",
                        at: item.mark)
                    continue
                }
                hours.append(Int(hour))
            }
            return .atHoursUTC(Array(Set(hours)).sorted(), lag: lag)
        }
    }

    private mutating func check(_ references: [Reference], names: [String]) {
        for reference in references {
            if reference.name == reference.from {
                diagnostics.report(
                    .reference, "\(reference.path): an instance cannot refer to itself", at: reference.mark)
            } else if !names.contains(reference.name) {
                let guess = Suggestion.closest(to: reference.name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
                let known = names.isEmpty ? "none" : names.joined(separator: ", ")
                diagnostics.report(
                    .reference,
                    "\(reference.path): no instance named '\(reference.name)'\(guess); instances: \(known)",
                    at: reference.mark)
            }
        }
    }

    static func isInstanceName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
            first.properties.isAlphabetic || ("0"..."9").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0))
        }
    }
}
