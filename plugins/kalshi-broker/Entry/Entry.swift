import NightshiftKit
import KalshiBroker

/// The library's entry symbol: the one line that makes `KalshiBrokerPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(KalshiBrokerPlugin.self) }
