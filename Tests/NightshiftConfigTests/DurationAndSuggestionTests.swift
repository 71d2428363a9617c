import Testing
@testable import NightshiftConfig

@Suite struct DurationAndSuggestionTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("10s", .seconds(10)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("4h30m", .seconds(16_200)), ("2d", .seconds(172_800)), ("1m30s500ms", .milliseconds(90_500)),
        ("0", .zero), ("45", .seconds(45)),
    ])
    func validDurations(_ text: String, _ expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test(arguments: [
        "", "s", "10", "1.5s", "-1s", "10 s", "5x", "30m10h", "1s1s", "10S", "99999999999999999999s",
        "9223372036854775807d",
    ])
    func invalidDurations(_ text: String) {
        // "10" is valid (plain seconds); every other spelling here is not.
        #expect((DurationParser.parse(text) != nil) == (text == "10"))
    }

    @Test func durationsFormatCanonically() {
        #expect(DurationParser.format(.seconds(16_200)) == "4h30m")
        #expect(DurationParser.format(.milliseconds(90_500)) == "1m30s500ms")
        #expect(DurationParser.format(.zero) == "0s")
        #expect(DurationParser.parse(DurationParser.format(.seconds(200_000))) == .seconds(200_000))
    }

    @Test func levenshteinAndSuggestions() {
        #expect(Suggestion.levenshtein("kitten", "sitting") == 3)
        #expect(Suggestion.levenshtein("", "abc") == 3)
        #expect(Suggestion.closest(to: "max_attemps", in: ["max_attempts", "max_delay"]) == "max_attempts")
        #expect(Suggestion.closest(to: "retyr", in: ["retry", "restart"]) == "retry")
        #expect(Suggestion.closest(to: "colour", in: ["name", "plugin"]) == nil)
        #expect(Suggestion.unknownKeyHint("x", allowed: []) == "allowed keys: none")
    }

    @Test func timesOfDay() {
        #expect(TimeOfDay("09:30") == TimeOfDay(hour: 9, minute: 30))
        #expect(TimeOfDay("9:05")?.description == "09:05")
        for bad in ["24:00", "12:60", "1230", "12:3x", ":30", "12:300"] { #expect(TimeOfDay(bad) == nil) }
    }

    @Test func pathsResolveAgainstTheFileDirectory() {
        #expect(PathResolver.resolve("./var/../plugins/./x.so", against: "/srv/bot") == "/srv/bot/plugins/x.so")
        #expect(PathResolver.resolve("/abs/path", against: "/srv") == "/abs/path")
        #expect(PathResolver.directory(of: "conf/d.yaml", workingDirectory: "/home/u") == "/home/u/conf")
        #expect(PathResolver.directory(of: "/d.yaml", workingDirectory: "/x") == "/")
    }
}
