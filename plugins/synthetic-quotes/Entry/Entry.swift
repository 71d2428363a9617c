import NightshiftKit
import SyntheticQuotes

/// The library's entry symbol: the one line that makes `SyntheticQuotesPlugin` a loadable plugin.
@_cdecl("nightshift_plugin_v1")
public func nightshiftPlugin() -> UnsafeRawPointer { export(SyntheticQuotesPlugin.self) }
