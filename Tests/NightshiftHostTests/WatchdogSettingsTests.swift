import Testing

@testable import NightshiftHost

@Suite("WatchdogSettings")
struct WatchdogSettingsTests {
    @Test("WATCHDOG_USEC becomes the interval")
    func interval() {
        let settings = WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "30000000"], processID: 100)
        #expect(settings?.interval == .seconds(30))
        let short = WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "2500"], processID: 100)
        #expect(short?.interval == .microseconds(2500))
    }

    @Test("WATCHDOG_PID must name this process when it is set")
    func owner() {
        let mine = WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "100"], processID: 100)
        #expect(mine?.interval == .seconds(2))
        let child = WatchdogSettings.fromEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "99"], processID: 100)
        #expect(child == nil)
        let garbled = WatchdogSettings.fromEnvironment(
            ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "x"], processID: 100)
        #expect(garbled == nil)
    }

    @Test(
        "No watchdog when WATCHDOG_USEC is absent, zero, negative or not a number",
        arguments: [nil, "0", "-5", "", "30s", "1e6"] as [String?]
    )
    func noWatchdog(value: String?) {
        var environment: [String: String] = ["WATCHDOG_PID": "100"]
        environment["WATCHDOG_USEC"] = value
        #expect(WatchdogSettings.fromEnvironment(environment, processID: 100) == nil)
    }
}
