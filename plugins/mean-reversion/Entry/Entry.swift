import NightshiftKit
import MeanReversion

/// The library's entry symbol: the one line that makes `MeanReversionPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(MeanReversionPlugin.self) }
