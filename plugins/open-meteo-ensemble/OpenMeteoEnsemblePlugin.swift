import NightshiftKit

/// A poll source for Open-Meteo's ensemble API: per location and local day, the daily high of every member.
///
/// Each cycle describes one `GET /v1/ensemble` per configured location (the host performs it under the retry
/// policy). A response's hourly series — the control run and each `_memberNN` — become, per local day and variable,
/// one forecast event whose symbol is the location name and whose payload lists the daily maximum of every member
/// (see ``ForecastPayload``). The event time is the cycle's start, so a strategy can tell how old a forecast is.
///
/// An HTTP 400 `{"error":true,"reason":…}` is fatal with the API's reason (the request itself is wrong); a truncated
/// or garbled body returns `NS_RETRY` so the host asks again. No input makes the plugin trap.
public struct OpenMeteoEnsemblePlugin: PollSource {
    public static let info = PluginInfo(
        name: "open-meteo-ensemble", version: "1.0.0",
        description: "Daily highs per ensemble member from the Open-Meteo ensemble API, one event per location/day.",
        configSchema: OpenMeteoConfig.schema)

    private let context: PluginContext
    private let config: OpenMeteoConfig
    private var pending: [Int] = []
    private var current: Int?
    private var cycleTime = Timestamp.epoch

    public init(context: PluginContext) throws {
        let config = try context.config.decode(OpenMeteoConfig.self)
        try config.validate()
        self.context = context
        self.config = config
    }

    public mutating func beginCycle(at time: Timestamp) throws {
        cycleTime = time
        pending = Array(config.locations.indices)
        current = nil
    }

    public mutating func nextRequest() throws -> HTTPRequest? {
        guard !pending.isEmpty else { return nil }
        let index = pending.removeFirst()
        current = index
        return EnsembleRequest.request(for: config.locations[index], config: config)
    }

    public mutating func handle(response: HTTPResponse) throws {
        guard let index = current else { return }
        let location = config.locations[index]
        switch EnsembleResponse.parse(response, variables: config.variables, model: config.models) {
        case .failure(.retry(let reason)):
            throw PluginError.retry("\(location.name): \(reason)")
        case .failure(.fatal(let reason)):
            throw PluginError.fatal("\(location.name): \(reason)")
        case .success(let parsed):
            try emit(parsed, for: location)
        }
    }

    /// Emits one forecast event per local day and variable.
    private func emit(_ parsed: EnsembleResponse, for location: OpenMeteoConfig.Location) throws {
        let symbol = context.symbol(location.name)
        let runHint = EnsembleRequest.runHint(at: cycleTime, lagHours: config.runLagHours)
        var events: [MarketEvent] = []
        var dates = Set<String>()
        for variable in parsed.variables {
            for day in DailyHighs.compute(days: parsed.days, series: variable.series, minHours: config.minHoursPerDay) {
                let payload = ForecastPayload(
                    location: location.name, date: day.date, variable: variable.name, unit: variable.unit,
                    members: day.highs, model: config.models, runHint: runHint)
                guard let json = payload.json() else { continue }
                events.append(MarketEvent(kind: .forecast, symbol: symbol, time: cycleTime, payload: json))
                dates.insert(day.date)
            }
        }
        try context.emit(events)
        context.log.info(
            "forecast for \(location.name): \(dates.count) day(s)",
            metadata: [
                "location": "\(location.name)", "days": .int(Int64(dates.count)), "events": .int(Int64(events.count)),
                "members": .int(Int64(parsed.variables.first?.series.count ?? 0)), "model": "\(config.models)",
                "run_hint": "\(runHint)",
            ])
    }
}
