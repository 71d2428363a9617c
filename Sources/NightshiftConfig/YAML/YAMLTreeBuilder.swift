/// Builds a `YAMLNode` tree from parser events, resolving aliases and enforcing the safety limits.
///
/// A pure state machine: feed it events in order and read `root` and `errors` at the end. Aliases expand to copies of
/// their anchored node (shared storage, so copying is cheap), but every expansion counts the nodes it stands for
/// against `maxNodes`, which stops "billion laughs" documents before they reach code that walks the tree. Nesting is
/// capped at `maxDepth` so later recursive walks stay shallow. Duplicate keys are reported and the first one is kept;
/// the other problems are fatal and stop the build.
struct YAMLTreeBuilder {
    /// The most nodes a document may stand for once every alias is expanded.
    var maxNodes = 200_000
    /// The deepest nesting of sequences and mappings accepted.
    var maxDepth = 128

    private(set) var root: YAMLNode?
    private(set) var errors: [ConfigError] = []
    /// Set once a fatal problem was found; later events are ignored.
    private(set) var stopped = false

    private var file: String
    private var documents = 0
    private var nodeCount = 0
    private var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    private var stack: [Frame] = []

    private struct Frame {
        var mark: Mark
        var anchor: String?
        var weight = 1
        var items: [YAMLNode] = []
        var isMapping: Bool
        var entries: [YAMLNode.Entry] = []
        var pendingKey: (text: String, mark: Mark)?
        var keyIsInvalid = false
        var seenKeys: [String: Mark] = [:]
    }

    init(file: String) {
        self.file = file
    }

    /// Consumes one event.
    mutating func consume(_ event: YAMLEvent) {
        guard !stopped else { return }
        switch event {
        case .streamStart, .streamEnd, .documentEnd:
            break
        case .documentStart(let mark):
            documents += 1
            if documents > 1 {
                fail(.limit, "a deployment file holds one YAML document; a second one starts here", at: mark)
            }
        case .scalar(let scalar, let anchor, let mark):
            guard count(1, at: mark) else { return }
            add(YAMLNode(.scalar(scalar), mark: mark), weight: 1, anchor: anchor)
        case .alias(let name, let mark):
            guard let target = anchors[name] else {
                fail(.syntax, "alias '*\(name)' refers to no anchor defined before it", at: mark)
                return
            }
            // The alias stands where it is written; the copy keeps the anchored node's own marks beneath.
            guard count(target.weight, at: mark) else { return }
            var copy = target.node
            copy.mark = mark
            add(copy, weight: target.weight, anchor: nil)
        case .sequenceStart(let anchor, let mark):
            push(Frame(mark: mark, anchor: anchor, isMapping: false))
        case .mappingStart(let anchor, let mark):
            push(Frame(mark: mark, anchor: anchor, isMapping: true))
        case .sequenceEnd, .mappingEnd:
            guard let frame = stack.popLast() else { return }
            let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items)
            // The container and its children were counted as they arrived.
            add(YAMLNode(content, mark: frame.mark), weight: frame.weight, anchor: frame.anchor)
        }
    }

    // MARK: - Private

    private mutating func push(_ frame: Frame) {
        guard stack.count < maxDepth else {
            fail(.limit, "nesting deeper than \(maxDepth) levels", at: frame.mark)
            return
        }
        guard count(1, at: frame.mark) else { return }
        stack.append(frame)
    }

    /// Counts `weight` more nodes against the cap; fails and returns false past it.
    private mutating func count(_ weight: Int, at mark: Mark) -> Bool {
        nodeCount += weight
        guard nodeCount <= maxNodes else {
            fail(.limit, "the document expands to more than \(maxNodes) nodes (an alias bomb?)", at: mark)
            return false
        }
        return true
    }

    private mutating func add(_ node: YAMLNode, weight: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, weight) }
        guard var frame = stack.popLast() else {
            root = node
            return
        }
        frame.weight += weight
        if !frame.isMapping {
            frame.items.append(node)
        } else if let key = frame.pendingKey {
            frame.pendingKey = nil
            if let first = frame.seenKeys[key.text] {
                errors.append(
                    ConfigError(
                        .duplicateKey, "duplicate key '\(key.text)' (first defined at \(first))", at: key.mark))
            } else {
                frame.seenKeys[key.text] = key.mark
                frame.entries.append(YAMLNode.Entry(key: key.text, keyMark: key.mark, value: node))
            }
        } else if frame.keyIsInvalid {
            frame.keyIsInvalid = false
        } else if let scalar = node.scalar {
            frame.pendingKey = (scalar.text, node.mark)
        } else {
            errors.append(ConfigError(.type, "mapping keys must be scalars, got a \(node.kindName)", at: node.mark))
            frame.keyIsInvalid = true
        }
        stack.append(frame)
    }

    private mutating func fail(_ code: ConfigError.Code, _ message: String, at mark: Mark) {
        errors.append(ConfigError(code, message, at: mark))
        stopped = true
        root = nil
    }
}
