import NightshiftKit
import QuoteMomentum

/// The library's entry symbol: the one line that makes `QuoteMomentumPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(QuoteMomentumPlugin.self) }
