import AlpacaBroker
import NightshiftKit

/// The library's entry symbol: the one line that makes `AlpacaBrokerPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(AlpacaBrokerPlugin.self) }
