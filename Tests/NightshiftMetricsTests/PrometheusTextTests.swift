import NightshiftTestSupport
import Testing
@testable import NightshiftMetrics

/// The exposition format's details: value spelling, escaping, and the checking parser's own strictness.
@Suite struct PrometheusTextTests {
    @Test(arguments: [
        (0.0, "0"), (42, "42"), (-3, "-3"), (0.25, "0.25"), (1e300, "1e+300"), (Double.nan, "NaN"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func valuesAreSpelledAsPrometheusReadsThem(value: Double, text: String) {
        #expect(PrometheusText.format(value) == text)
    }

    @Test func escapingTouchesOnlyWhatTheFormatEscapes() {
        #expect(PrometheusText.escapeLabelValue(#"C:\path "x""#) == #"C:\\path \"x\""#)
        #expect(PrometheusText.escapeLabelValue("a\r\nb") == "a\r\\nb")
        #expect(PrometheusText.escapeHelp(#"say "hi"\"#) == #"say "hi"\\"#)
        #expect(PrometheusText.escapeLabelValue("plain") == "plain")
    }

    @Test func aFamilyWithoutSamplesStillDeclaresItsType() throws {
        let text = PrometheusText.render([
            MetricFamily(name: "x_total", help: "X.", kind: .counter, labelNames: ["a"], samples: []),
        ])
        #expect(text == "# HELP x_total X.\n# TYPE x_total counter\n")
        #expect(try PrometheusExposition(parsing: text).families["x_total"]?.type == "counter")
    }

    @Test(arguments: [
        "x 1",  // no final line feed
        "# TYPE x counter\nx{a=\"b\"} one\n",  // not a number
        "# TYPE x counter\nx{a=\"b\\q\"} 1\n",  // unknown escape
        "# TYPE x counter\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n",  // the same series twice
        "x 1\n",  // no TYPE
        "# TYPE x counter\n# TYPE y gauge\ny 1\nx 1\n",  // a family split in two groups
        "# TYPE 1x counter\n",  // invalid name
    ])
    func theCheckingParserRejectsMalformedExpositions(text: String) {
        #expect(throws: PrometheusExposition.Failure.self) { try PrometheusExposition(parsing: text) }
    }
}
