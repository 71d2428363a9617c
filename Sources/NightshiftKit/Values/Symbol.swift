/// An interned instrument name such as `"AAPL"` or `"KXHIGHNY-25JAN01-B40"`.
///
/// The host assigns ids for the process's life, so events carry four bytes instead of a string. Get one from
/// ``PluginContext/symbol(_:)`` and turn it back into text with ``PluginContext/name(of:)``. Id 0 is never assigned.
public struct Symbol: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The host's id for the name.
    public var id: UInt32

    /// Wraps a host-assigned id.
    public init(id: UInt32) {
        self.id = id
    }

    /// The absent symbol (id 0).
    public static let none = Symbol(id: 0)

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.id < rhs.id }

    public var description: String { "#\(id)" }
}
