import Testing
@testable import NightshiftResilience

@Suite struct RetryClassifierTests {
    @Test func onlyTheTryAgainLaterStatusesAreRetryable() {
        let retryable = (100...599).filter { RetryClassifier.isRetryable(status: $0) }
        #expect(retryable == [408, 425, 429, 500, 502, 503, 504])
    }

    @Test(arguments: [400, 401, 403, 404, 405, 409, 410, 413, 422, 451, 499])
    func otherClientErrorsAreNeverRetryable(status: Int) {
        #expect(!RetryClassifier.isRetryable(.httpStatus(status)))
        #expect(!RetryClassifier.isRetryable(.httpStatus(status, retryAfter: .seconds(1))))
    }

    @Test func failureKinds() {
        #expect(RetryClassifier.isRetryable(.transport("connection refused")))
        #expect(RetryClassifier.isRetryable(.timeout))
        #expect(RetryClassifier.isRetryable(.pluginRetry("rate limited")))
        #expect(RetryClassifier.isRetryable(.httpStatus(503)))
        #expect(!RetryClassifier.isRetryable(.nonRetryable("bad symbol")))
        #expect(!RetryClassifier.isRetryable(.httpStatus(501)))
    }

    struct SocketError: RetryFailureConvertible {
        var retryFailure: RetryFailure { .transport("reset by peer") }
    }

    struct UnknownError: Error {}

    @Test func classifyUsesTheErrorsOwnAnswerAndRefusesUnknownErrors() {
        #expect(RetryFailure.classify(SocketError()) == .transport("reset by peer"))
        #expect(RetryFailure.classify(RetryFailure.httpStatus(429)) == .httpStatus(429))
        guard case .nonRetryable = RetryFailure.classify(UnknownError()) else {
            Issue.record("an unclassified error must not be retried")
            return
        }
    }

    @Test func retryAfterIsCarriedOnlyByResponsesAndPlugins() {
        #expect(RetryFailure.httpStatus(429, retryAfter: .seconds(3)).retryAfter == .seconds(3))
        #expect(RetryFailure.pluginRetry("busy", retryAfter: .seconds(2)).retryAfter == .seconds(2))
        #expect(RetryFailure.timeout.retryAfter == nil)
    }
}
