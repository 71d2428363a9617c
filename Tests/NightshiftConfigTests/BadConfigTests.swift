import Testing
@testable import NightshiftConfig

/// The corpus of broken deployments under Fixtures/bad: each asserts the exact place and wording of every error.
@Suite struct BadConfigTests {
    @Test func yamlSyntaxErrorCarriesLibYAMLProblemAndPlace() {
        let errors = Fixtures.errors("bad/syntax.yaml")
        #expect(errors.map(\.code) == [.syntax])
        #expect(
            relative(errors) == [
                "bad/syntax.yaml:3:2: error: did not find expected key (while parsing a block mapping at 1:1)"
            ])
    }

    @Test func wrongTypesNameTheExpectedType() {
        let errors = Fixtures.errors("bad/wrong-type.yaml")
        #expect(errors.map(\.code) == [.type, .type, .type, .type])
        #expect(
            relative(errors) == [
                #"bad/wrong-type.yaml:2:16: error: host.plugin_dirs: expected a sequence, got string "./plugins""#,
                #"bad/wrong-type.yaml:4:15: error: events.batch_size: expected an integer, got string "lots""#,
                // Quoted, so a string even though it looks like a number.
                #"bad/wrong-type.yaml:6:26: error: risk.max_orders_per_minute: expected an integer, got string "30""#,
                "bad/wrong-type.yaml:7:17: error: risk.max_notional: expected a number, got a sequence",
            ])
    }

    @Test func unknownKeysListAllowedKeysWithDidYouMean() {
        let errors = Fixtures.errors("bad/unknown-key.yaml")
        #expect(errors.map(\.code) == [.unknownKey, .unknownKey])
        #expect(
            relative(errors) == [
                "bad/unknown-key.yaml:3:5: error: unknown key 'max_attemps' in defaults.retry; did you mean 'max_attempts'? "
                    + "allowed keys: max_attempts, base_delay, multiplier, max_delay, jitter, attempt_timeout, deadline, budget",
                "bad/unknown-key.yaml:4:1: error: unknown key 'instance' in the top level; did you mean 'instances'? "
                    + "allowed keys: host, events, metrics, defaults, risk, leadership, instances",
            ])
    }

    @Test func missingEnvironmentVariablesAreNamedWithTheirPlace() {
        let errors = Fixtures.errors("bad/missing-env.yaml")
        #expect(errors.map(\.code) == [.missingEnvironment, .missingEnvironment])
        #expect(
            relative(errors) == [
                "bad/missing-env.yaml:2:9: error: environment variable 'HOST_NAME' is not set (write ${HOST_NAME:-default} to give a default)",
                "bad/missing-env.yaml:5:8: error: environment variable 'DATABASE_URL' is not set (write ${DATABASE_URL:-default} to give a default)",
            ])
        // With the variables set the same file loads, and the default fills the third.
        #expect(
            Fixtures.errors(
                "bad/missing-env.yaml", environment: ["HOST_NAME": "h", "DATABASE_URL": "postgres://u@localhost/db"]
            ).isEmpty)
    }

    @Test func missingCredentialsDirectoryNamesTheCredential() {
        let errors = Fixtures.errors("bad/missing-credential.yaml")
        #expect(errors.map(\.code) == [.secret, .secret])
        #expect(
            relative(errors) == [
                "bad/missing-credential.yaml:5:16: error: credential 'alpaca_key' is referenced but CREDENTIALS_DIRECTORY is not set (give it with LoadCredential=alpaca_key:… in the systemd unit)",
                "bad/missing-credential.yaml:6:19: error: credential 'alpaca_secret' is referenced but CREDENTIALS_DIRECTORY is not set (give it with LoadCredential=alpaca_secret:… in the systemd unit)",
            ])
    }

    @Test func missingCredentialFileNamesTheCredentialButNotTheOtherValue() throws {
        let directory = try Fixtures.scratch(["alpaca_key": "AKIA-very-secret-value\n"])
        let errors = Fixtures.errors("bad/missing-credential.yaml", credentialsDirectory: directory)
        #expect(
            relative(errors) == [
                "bad/missing-credential.yaml:6:19: error: credential 'alpaca_secret' in CREDENTIALS_DIRECTORY does not exist"
            ])
        #expect(!errors.description.contains("AKIA"))
    }

    @Test func duplicateInstanceNamesNameBothPlaces() {
        let errors = Fixtures.errors("bad/duplicate-instance.yaml")
        #expect(errors.map(\.code) == [.duplicateKey])
        #expect(
            relative(errors) == [
                "bad/duplicate-instance.yaml:6:11: error: instances[2]: duplicate instance name 'quotes' (first defined at bad/duplicate-instance.yaml:2:11)"
            ])
    }

    @Test func referencesMustNameOtherExistingInstances() {
        let errors = Fixtures.errors("bad/bad-reference.yaml")
        #expect(errors.map(\.code) == [.reference, .reference, .reference])
        #expect(
            relative(errors) == [
                "bad/bad-reference.yaml:6:17: error: instances[1].subscribe[0]: no instance named 'quotez' (did you mean 'quotes'?); instances: quotes, strategy",
                "bad/bad-reference.yaml:6:25: error: instances[1].subscribe[1]: an instance cannot refer to itself",
                "bad/bad-reference.yaml:7:15: error: instances[1].route_to: no instance named 'paper'; instances: quotes, strategy",
            ])
    }

    @Test func badDurationsAreReportedWithExamples() {
        let errors = Fixtures.errors("bad/bad-duration.yaml")
        let hint = "expected a duration such as 250ms, 10s, 5m, 4h30m or 2d"
        #expect(errors.map(\.code) == [.invalidValue, .invalidValue, .invalidValue, .invalidValue])
        #expect(
            relative(errors) == [
                #"bad/bad-duration.yaml:2:21: error: host.shutdown_timeout: \#(hint), got "10 seconds""#,
                #"bad/bad-duration.yaml:4:19: error: events.flush_interval: \#(hint), got "1.5s""#,
                #"bad/bad-duration.yaml:6:23: error: defaults.retry.base_delay: \#(hint), got "5x""#,
                // Units must run largest first.
                #"bad/bad-duration.yaml:6:38: error: defaults.retry.max_delay: \#(hint), got "30m10h""#,
            ])
    }

    @Test func duplicateMappingKeysAreRejected() {
        let errors = Fixtures.errors("bad/duplicate-key.yaml")
        #expect(errors.map(\.code) == [.duplicateKey])
        #expect(
            relative(errors) == [
                "bad/duplicate-key.yaml:4:3: error: duplicate key 'name' (first defined at bad/duplicate-key.yaml:2:3)"
            ])
    }

    @Test func aSecondDocumentIsRejected() {
        #expect(
            relative(Fixtures.errors("bad/multi-document.yaml")) == [
                "bad/multi-document.yaml:2:1: error: a deployment file holds one YAML document; a second one starts here"
            ])
    }

    @Test func aliasBombIsStoppedByTheExpansionCap() {
        let errors = Fixtures.errors("bad/alias-bomb.yaml")
        #expect(errors.map(\.code) == [.limit])
        #expect(
            relative(errors) == [
                "bad/alias-bomb.yaml:6:11: error: the document expands to more than 200000 nodes (an alias bomb?)"
            ])
    }

    @Test func oneLoadReportsEveryIndependentError() {
        let errors = Fixtures.errors("bad/many-errors.yaml")
        #expect(
            relative(errors) == [
                "bad/many-errors.yaml:2:3: error: unknown key 'nmae' in host; did you mean 'name'? allowed keys: name, plugin_dirs, data_dir, shutdown_timeout",
                #"bad/many-errors.yaml:4:10: error: events.store: must be one of sqlite, postgres, got "mysql""#,
                #"bad/many-errors.yaml:6:26: error: risk.trading_hours.start: expected a time HH:MM, got "9:75""#,
                #"bad/many-errors.yaml:6:58: error: risk.trading_hours.timezone: unknown time zone "America/New_Yrok" (did you mean 'America/New_York'?)"#,
                "bad/many-errors.yaml:10:23: error: instances[0].schedule.every: must be longer than zero",
                #"bad/many-errors.yaml:11:21: error: instances[0].retry.jitter: must be one of none, full, equal, decorrelated, got "fully" (did you mean 'full'?)"#,
                "bad/many-errors.yaml:12:5: error: instances[1]: missing required key 'name'",
            ])
    }

    @Test func schemaViolationsInsideAPluginSubtreeAreAllReported() throws {
        var deployment = try ConfigLoader.load(path: Fixtures.path("bad/schema-violations.yaml"), environment: [:])
        let schema = try ConfigSchema.parse(json: Fixtures.text("quotes.schema.json"), plugin: "synthetic-quotes")
        #expect(throws: ConfigErrors.self) { try deployment.pluginConfig(for: "quotes", schema: schema) }
        let errors = schema.validate(
            try #require(deployment.instance(named: "quotes")).config, path: "instances[0].config")
        #expect(errors.map(\.code) == [.missingKey, .type, .invalidValue, .invalidValue, .type, .unknownKey])
        #expect(
            relative(errors) == [
                "bad/schema-violations.yaml:5:7: error: instances[0].config: missing required key 'api_key'",
                #"bad/schema-violations.yaml:5:16: error: instances[0].config.symbols: expected an array, got string "AAPL""#,
                "bad/schema-violations.yaml:6:17: error: instances[0].config.interval: must be at least 1",
                #"bad/schema-violations.yaml:7:13: error: instances[0].config.mode: must be one of random-walk, replay, got "replya" (did you mean 'replay'?)"#,
                #"bad/schema-violations.yaml:8:16: error: instances[0].config.verbose: expected a boolean, got string "yes""#,
                "bad/schema-violations.yaml:9:7: error: unknown key 'venu' in instances[0].config; did you mean 'venue'? "
                    + "allowed keys: symbols, api_key, interval, mode, spread, verbose, venue",
            ])
        #expect(deployment.secrets.isEmpty)
    }
}
