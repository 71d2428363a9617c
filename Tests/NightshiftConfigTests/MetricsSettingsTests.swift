import Testing
@testable import NightshiftConfig

/// The top-level `metrics:` section: absent means no server, present means on (loopback unless told otherwise), and
/// every mistake is reported at its place with a hint.
@Suite struct MetricsSettingsTests {
    static func load(_ metrics: String) throws -> Deployment {
        try ConfigLoader.load(
            text: metrics + "\ninstances: []\n", file: "d.yaml", directory: "/srv/bot", environment: [:],
            credentialsDirectory: nil, hostName: "test-host")
    }

    @Test func absentMeansNoServer() throws {
        #expect(try Self.load("host: {name: a}").metrics == nil)
    }

    @Test func aBareSectionListensOnLoopbackByDefault() throws {
        let settings = try #require(try Self.load("metrics:").metrics)
        #expect(settings == MetricsSettings(enabled: true, host: "127.0.0.1", port: 9464))
        #expect(settings.isLoopback && settings.listen == "127.0.0.1:9464")
        #expect(try Self.load("metrics: {}").metrics == settings)
    }

    @Test(arguments: [
        ("metrics: {listen: \"0.0.0.0:9100\"}", "0.0.0.0", 9100, false),
        ("metrics: {listen: \"[::1]:9464\"}", "::1", 9464, true),
        ("metrics: {listen: \"localhost:0\"}", "127.0.0.1", 0, true),
        ("metrics: {listen: \"10.1.2.3:65535\"}", "10.1.2.3", 65535, false),
    ])
    func explicitAddressesAreKept(yaml: String, host: String, port: Int, loopback: Bool) throws {
        let settings = try #require(try Self.load(yaml).metrics)
        #expect(settings.host == host && settings.port == port && settings.isLoopback == loopback)
    }

    @Test func enabledFalseKeepsTheSectionButTurnsTheServerOff() throws {
        let settings = try #require(try Self.load("metrics: {enabled: false, listen: \"127.0.0.1:9500\"}").metrics)
        #expect(!settings.enabled && settings.port == 9500)
    }

    @Test(arguments: [
        ("metrics: {listen: \"example.com:9464\"}", "d.yaml:1:19: error: metrics.listen: expected a numeric address and port such as 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464, got \"example.com:9464\""),
        ("metrics: {listen: \"127.0.0.1:70000\"}", "d.yaml:1:19: error: metrics.listen: expected a numeric address and port such as 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464, got \"127.0.0.1:70000\""),
        ("metrics: {listen: \"::1:9464\"}", "d.yaml:1:19: error: metrics.listen: expected a numeric address and port such as 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464, got \"::1:9464\""),
        ("metrics: {listen: 9464}", "d.yaml:1:19: error: metrics.listen: expected a numeric address and port such as 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464, got \"9464\""),
        ("metrics: {enabled: maybe}", "d.yaml:1:20: error: metrics.enabled: expected true or false, got string \"maybe\""),
        ("metrics: {lisen: \"127.0.0.1:1\"}", "d.yaml:1:11: error: unknown key 'lisen' in metrics; did you mean 'listen'? allowed keys: enabled, listen"),
        ("metrics: [1]", "d.yaml:1:10: error: metrics: expected a mapping, got a sequence"),
        ("metric: {}", "d.yaml:1:1: error: unknown key 'metric' in the top level; did you mean 'metrics'? allowed keys: host, events, metrics, defaults, risk, leadership, instances"),
    ])
    func mistakesAreReportedAtTheirPlace(yaml: String, expected: String) {
        #expect(loadErrors(yaml + "\ninstances: []\n").map(\.description) == [expected])
    }
}
