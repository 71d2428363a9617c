import ExampleStrategy
import NightshiftKit

/// The library's entry symbol: the one line that makes `ExampleStrategyPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(ExampleStrategyPlugin.self) }
