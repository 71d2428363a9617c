import NightshiftKitTesting
import OpenMeteoEnsemble

/// The Open-Meteo ensemble plugin's response decoder: one status byte, then the body every request receives.
///
/// Two locations make a cycle two requests. Invariant: no ABI violation.
func fuzzOpenMeteo(_ data: UnsafeRawBufferPointer) {
    let locations =
        #"{"name":"NYC","latitude":40.7794,"longitude":-73.9692,"timezone":"America/New_York"},"#
        + #"{"name":"CHI","latitude":41.786,"longitude":-87.752,"timezone":"America/Chicago"}"#
    let harness = PluginFuzzing.harness(
        OpenMeteoEnsemblePlugin.self,
        config: #"{"locations":[\#(locations)],"forecast_days":3,"temperature_unit":"fahrenheit"}"#)
    var input = FuzzInput(data)
    PluginFuzzing.answerAll(harness.host, status: input.pick(PluginFuzzing.statuses), body: input.rest)
    PluginFuzzing.tolerating { try harness.runCycle(maxRequests: 8) }
    PluginFuzzing.checkContract(harness)
}
