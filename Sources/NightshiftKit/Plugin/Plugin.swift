/// A Nightshift plugin: one type, created per configured instance, that adopts one or more capability protocols.
///
/// The capabilities a type conforms to — ``PollSource``, ``StreamSource``, ``Strategy``, ``Broker`` — become its
/// kinds in the exported table. The host calls an instance from one thread at a time, so a plugin keeps plain
/// mutable state; methods are `mutating` so a struct works as well as a class.
///
/// ```swift
/// struct Echo: Strategy {
///     static let info = PluginInfo(name: "echo", version: "1.0.0")
///     let context: PluginContext
///     init(context: PluginContext) throws { self.context = context }
///     mutating func handle(events: EventBatch) throws { context.log.info("\(events.count) events") }
/// }
/// @_cdecl("nightshift_plugin_v1") public func nightshiftPlugin() -> UnsafeRawPointer { export(Echo.self) }
/// ```
public protocol Plugin {
    /// The plugin's name, version, description and configuration schema.
    static var info: PluginInfo { get }

    /// Creates an instance from its context (configuration, logger, clock, host services).
    ///
    /// - Throws: ``PluginError/invalidConfig(_:file:line:)`` for an unusable configuration (the host exits 78);
    ///   any other error stops the instance, its description becoming the host's error message.
    init(context: PluginContext) throws
}

/// What a plugin is: its identity and the schema its configuration must satisfy.
public struct PluginInfo: Sendable, Hashable {
    /// The plugin's name, e.g. `"open-meteo-ensemble"`.
    public var name: String
    /// The plugin's own version, e.g. `"1.2.0"`.
    public var version: String
    /// One line on what it does.
    public var description: String
    /// A JSON schema (the subset the host checks: `type`, `properties`, `required`, `additionalProperties`, `items`,
    /// `enum`, `minimum`, `maximum`, `default`, `description`, plus `"secret": true`).
    ///
    /// The SDK fills in each property's `default` before the plugin sees its configuration.
    public var configSchema: String

    /// Creates plugin information; the default schema accepts only an empty object.
    public init(
        name: String, version: String, description: String = "",
        configSchema: String = #"{"type":"object","properties":{},"additionalProperties":false}"#
    ) {
        self.name = name
        self.version = version
        self.description = description
        self.configSchema = configSchema
    }
}
