import NightshiftKit

/// The strategy's decisions as a pure state machine: quotes and order updates in, orders out.
struct MeanReversionModel {
    /// What to do after a quote.
    enum Decision: Equatable {
        case hold
        case order(Order.Side, Fixed, mean: Fixed)
    }

    private let window: Int
    private let threshold: Fixed
    private let quantity: Fixed
    private let maxPosition: Fixed
    private let allowShort: Bool
    private var means: [Symbol: RollingMean] = [:]
    private var book = PositionBook()

    init(_ config: MeanReversionConfig) {
        window = config.window
        threshold = config.threshold
        quantity = config.quantity
        maxPosition = config.maxPosition
        allowShort = config.allowShort
    }

    /// The position in `symbol` from fills so far.
    func position(_ symbol: Symbol) -> Fixed { book.position(symbol) }

    /// Adds a mid to the symbol's window and decides.
    mutating func observe(_ symbol: Symbol, mid: Fixed) -> Decision {
        var rolling = means[symbol] ?? RollingMean(window: window)
        rolling.add(mid)
        means[symbol] = rolling
        guard let mean = rolling.mean, !book.hasOutstanding(symbol) else { return .hold }
        let position = book.position(symbol)
        if mid < mean * (1 - threshold), position < maxPosition {
            return .order(.buy, min(quantity, maxPosition - position), mean: mean)
        }
        if mid > mean * (1 + threshold) {
            let room = allowShort ? maxPosition + position : position
            if room > .zero { return .order(.sell, min(quantity, room), mean: mean) }
        }
        return .hold
    }

    /// Records an order the host accepted.
    mutating func submitted(_ side: Order.Side, of symbol: Symbol) {
        book.submitted(side, of: symbol)
    }

    /// Applies a broker's update to the position.
    mutating func apply(_ update: OrderUpdate) {
        book.apply(update)
    }
}

/// The mean of the last `window` values, kept as a running sum over a ring buffer.
struct RollingMean {
    private var values: [Fixed] = []
    private var next = 0
    private var sum = Fixed.zero
    private let window: Int

    init(window: Int) {
        self.window = window
        values.reserveCapacity(window)
    }

    mutating func add(_ value: Fixed) {
        if values.count < window {
            values.append(value)
        } else {
            sum -= values[next]
            values[next] = value
            next = (next + 1) % window
        }
        sum += value
    }

    /// The mean once the window is full.
    var mean: Fixed? { values.count == window ? sum / window : nil }
}
