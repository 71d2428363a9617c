import NightshiftKit
import KalshiMarkets

/// The library's entry symbol: the one line that makes `KalshiMarketsPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(KalshiMarketsPlugin.self) }
