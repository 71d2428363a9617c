import NightshiftKit
import PaperBroker

/// The library's entry symbol: the one line that makes `PaperBrokerPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(PaperBrokerPlugin.self) }
