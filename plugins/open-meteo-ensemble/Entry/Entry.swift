import NightshiftKit
import OpenMeteoEnsemble

/// The library's entry symbol: the one line that makes `OpenMeteoEnsemblePlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(OpenMeteoEnsemblePlugin.self) }
