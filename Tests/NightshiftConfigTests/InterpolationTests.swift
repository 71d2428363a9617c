import Testing
@testable import NightshiftConfig

@Suite struct InterpolationTests {
    /// Interpolates one scalar value written as `value` in a one-key document.
    private func interpolate(
        _ value: String, environment: [String: String] = [:], credentials: String? = nil, base: String = "/srv"
    ) throws -> (scalar: YAMLScalar?, secrets: Set<String>, errors: [String]) {
        let root = try YAMLNode.parse("v: \(value)\n", file: "i.yaml")
        var interpolator = Interpolator(
            sources: InterpolationSources(
                environment: environment, credentialsDirectory: credentials, baseDirectory: base))
        let result = interpolator.interpolate(root)
        return (result["v"]?.scalar, interpolator.secrets, interpolator.diagnostics.errors.map(\.description))
    }

    @Test func variablesDefaultsAndEscapes() throws {
        let env = ["HOST": "db.local", "EMPTY": "", "PORT": "5432"]
        #expect(try interpolate("${HOST}:${PORT}", environment: env).scalar?.text == "db.local:5432")
        #expect(try interpolate("${MISSING:-fallback}", environment: env).scalar?.text == "fallback")
        #expect(try interpolate("${EMPTY:-fallback}", environment: env).scalar?.text == "fallback")
        #expect(try interpolate("${EMPTY}", environment: env).scalar?.text == "")
        #expect(try interpolate("${MISSING:-}", environment: env).scalar?.text == "")
        #expect(try interpolate("'cost: $$5 and $HOST'", environment: env).scalar?.text == "cost: $5 and $HOST")
        #expect(try interpolate("$${HOST}", environment: env).scalar?.text == "${HOST}")
        #expect(try interpolate("a$", environment: env).scalar?.text == "a$")
    }

    @Test func aPlainInterpolatedNumberStaysAnIntegerAndAQuotedOneAString() throws {
        let plain = try interpolate("${PORT}", environment: ["PORT": "5432"]).scalar
        #expect(plain?.kind == .integer && plain?.integerValue == 5432)
        #expect(try interpolate(#""${PORT}""#, environment: ["PORT": "5432"]).scalar?.kind == .string)
    }

    @Test func missingVariableNamesItAndThePlace() throws {
        let result = try interpolate("x-${NOPE}-y")
        #expect(
            result.errors == [
                "i.yaml:1:4: error: environment variable 'NOPE' is not set (write ${NOPE:-default} to give a default)"
            ])
        #expect(result.scalar?.text == "x-${NOPE}-y")
    }

    @Test func malformedReferencesAreSyntaxErrors() throws {
        #expect(try interpolate("'${OPEN'").errors == ["i.yaml:1:4: error: unterminated '${' (a '}' is missing)"])
        #expect(
            try interpolate("'${1BAD}'").errors == [
                "i.yaml:1:4: error: '${1BAD}' is not a variable reference (use ${NAME} or ${NAME:-default})"
            ])
        #expect(
            try interpolate("'${credential:../etc}'").errors == [
                "i.yaml:1:4: error: '${credential:../etc}' needs a plain credential name"
            ])
    }

    @Test func secretFilesAreReadTrimmedAndRecorded() throws {
        let directory = try Fixtures.scratch(["token": "tok-abcdef\n\n"])
        let absolute = try interpolate("${file:\(directory)/token}")
        #expect(absolute.scalar?.text == "tok-abcdef" && absolute.scalar?.isSensitive == true)
        #expect(absolute.secrets == ["tok-abcdef"])
        let relative = try interpolate("'Bearer ${file:./token}'", base: directory)
        #expect(relative.scalar?.text == "Bearer tok-abcdef")
        #expect(relative.secrets == ["tok-abcdef"])
        let missing = try interpolate("${file:./absent}", base: directory)
        #expect(missing.errors == ["i.yaml:1:4: error: secret file '\(directory)/absent' does not exist"])
    }

    @Test func credentialsComeFromTheCredentialsDirectory() throws {
        let directory = try Fixtures.scratch(["api": "key-0123456789\n"])
        let found = try interpolate("${credential:api}", credentials: directory)
        #expect(found.scalar?.text == "key-0123456789" && found.secrets == ["key-0123456789"])
        let fromEnvironment = try interpolate("${credential:api}", environment: ["CREDENTIALS_DIRECTORY": directory])
        #expect(fromEnvironment.scalar?.text == "key-0123456789")
        #expect(
            try interpolate("${credential:other}", credentials: directory).errors == [
                "i.yaml:1:4: error: credential 'other' in CREDENTIALS_DIRECTORY does not exist"
            ])
    }

    @Test func sensitiveVariableNamesMarkTheirValuesAsSecrets() throws {
        let env = ["API_TOKEN": "t0ken-value", "db_password": "pw-value", "REGION": "eu"]
        let token = try interpolate("${API_TOKEN}", environment: env)
        #expect(token.scalar?.isSensitive == true && token.secrets == ["t0ken-value"])
        #expect(try interpolate("${db_password}", environment: env).secrets == ["pw-value"])
        let region = try interpolate("${REGION}", environment: env)
        #expect(region.scalar?.isSensitive == false && region.secrets.isEmpty)
        for name in ["X_KEY", "MY_SECRET", "GH_TOKEN", "PASSWORD", "GPG_PASSPHRASE", "PRIVATE_PEM"] {
            #expect(InterpolationSources.isSensitive(variable: name))
        }
        #expect(!InterpolationSources.isSensitive(variable: "HOME"))
    }

    @Test func deploymentSecretsCoverSourcesEnvironmentAndDatabasePassword() throws {
        let directory = try Fixtures.scratch(["broker": "brk-secret-42\n"])
        let yaml = """
            events: {store: postgres, url: "postgresql://bot:p%40ss-word@127.0.0.1/bot?sslmode=disable"}
            instances:
              - {name: b, plugin: paper, config: {key: "${credential:broker}", region: "${REGION}"}}
            """
        let deployment = try ConfigLoader.load(
            text: yaml, file: "d.yaml", directory: "/srv",
            environment: ["REGION": "eu-1", "UNUSED_API_KEY": "unused-key-value", "HOME": "/root"],
            credentialsDirectory: directory)
        #expect(deployment.secrets == ["brk-secret-42", "unused-key-value", "p%40ss-word", "p@ss-word"])
        #expect(DeploymentDecoder.passwords(in: "host=db user=bot password=kw-secret dbname=x") == ["kw-secret"])
    }

    @Test func errorMessagesNeverContainSecretValues() throws {
        let directory = try Fixtures.scratch(["count": "not-a-number-secret\n", "zone": "Secret/Zone-Value\n"])
        let yaml = """
            events: {batch_size: "${credential:count}", stdout: "${STDOUT_TOKEN}"}
            risk: {trading_hours: {start: "09:00", end: "17:00", timezone: "${credential:zone}"}}
            """
        let errors = loadErrors(
            yaml, environment: ["STDOUT_TOKEN": "jsonish-token-value"], credentialsDirectory: directory)
        #expect(errors.map(\.code) == [.type, .invalidValue, .invalidValue])
        let text = ConfigErrors(errors).description
        #expect(text.contains("(a secret value, not shown)"))
        for secret in ["not-a-number-secret", "jsonish-token-value", "Secret/Zone-Value"] {
            #expect(!text.contains(secret))
        }
    }
}
