import NightshiftKit
import WeatherEdge

/// The library's entry symbol: the one line that makes `WeatherEdgePlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(WeatherEdgePlugin.self) }
