internal import NightshiftABI

/// Everything an instance receives from the host: configuration, logger, clock, symbols and services.
///
/// One context exists per instance and lives as long as it. Call its services only from inside a call the host made
/// into the instance (`init`, a capability method), on that thread — the host's rule, which a plugin keeps simply by
/// not handing the context to other threads.
public final class PluginContext {
    /// The instance's name from the deployment file.
    public let instanceName: String
    /// The instance's configuration (schema defaults filled in).
    public let config: PluginConfig
    /// Writes log lines and typed event rows to the host's event log.
    public let log: Logger

    let link: HostLink
    private var symbols: [String: Symbol] = [:]
    private var names: [Symbol: String] = [:]

    init(instanceName: String, config: PluginConfig, link: HostLink) {
        self.instanceName = instanceName
        self.config = config
        self.link = link
        log = Logger(link: link)
    }

    /// The host clock (virtual under replay).
    public var now: Timestamp {
        guard let function = try? link.service(\.now_ns, "now_ns") else { return .epoch }
        return Timestamp(nanosecondsSinceEpoch: function(link.ctx))
    }

    /// The interned symbol for `name`, asking the host once per name.
    public func symbol(_ name: String) -> Symbol {
        if let symbol = symbols[name] { return symbol }
        guard let intern = try? link.service(\.intern, "intern") else { return .none }
        let symbol = Symbol(id: withNSStr(name) { intern(link.ctx, $0) })
        symbols[name] = symbol
        names[symbol] = name
        return symbol
    }

    /// The text of a symbol; empty when the host does not know it.
    public func name(of symbol: Symbol) -> String {
        if let name = names[symbol] { return name }
        guard let lookup = try? link.service(\.symbol_name, "symbol_name") else { return "" }
        let name = lookup(link.ctx, symbol.id).string
        if !name.isEmpty {
            names[symbol] = name
            symbols[name] = symbol
        }
        return name
    }
}
