import Fetch
import Testing

struct RetryPolicyTests {
    let policy = RetryPolicy(baseDelaySeconds: 60, maxDelaySeconds: 3600, jitterFraction: 0.2)
    let timeout = FetchError.timeout(url: "http://e.example/", message: "t")

    @Test func failureDelayDoublesUpToTheCeiling() {
        let delays = (1...8).map { policy.delayAfterFailure(timeout, consecutiveFailures: $0, randomUnit: 0.5) }
        #expect(delays == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(policy.delayAfterFailure(timeout, consecutiveFailures: 0, randomUnit: 0.5) == 60)
        #expect(policy.delayAfterFailure(timeout, consecutiveFailures: 10_000, randomUnit: 0.5) == 3600)
    }

    @Test func failureJitterStaysWithinTheFraction() {
        #expect(policy.delayAfterFailure(timeout, consecutiveFailures: 2, randomUnit: 0) == 96)
        #expect(policy.delayAfterFailure(timeout, consecutiveFailures: 2, randomUnit: 1) == 144)
        #expect(policy.delayAfterFailure(timeout, consecutiveFailures: 20, randomUnit: 1) == 3600)
    }

    @Test func retryAfterIsHonouredFor429And503() {
        let limited = FetchError.http(url: "u", status: 429, retryAfterSeconds: 300)
        #expect(policy.delayAfterFailure(limited, consecutiveFailures: 5, randomUnit: 0.9) == 300)
        let unavailable = FetchError.http(url: "u", status: 503, retryAfterSeconds: 100_000)
        #expect(policy.delayAfterFailure(unavailable, consecutiveFailures: 1, randomUnit: 0.5) == 3600)
        let zero = FetchError.http(url: "u", status: 503, retryAfterSeconds: 0)
        #expect(policy.delayAfterFailure(zero, consecutiveFailures: 1, randomUnit: 0.5) == 1)
        let other = FetchError.http(url: "u", status: 500, retryAfterSeconds: 5)
        #expect(policy.delayAfterFailure(other, consecutiveFailures: 1, randomUnit: 0.5) == 60)
    }

    @Test func permanentFailuresWaitTheCeiling() {
        #expect(policy.delayAfterFailure(.gone(url: "u"), consecutiveFailures: 1, randomUnit: 0.5) == 3600)
        #expect(policy.delayAfterFailure(.invalidURL("u"), consecutiveFailures: 1, randomUnit: 0.5) == 3600)
    }

    @Test func successDelayTakesTheLongestHintAndOnlyAddsJitter() {
        #expect(
            policy.delayAfterSuccess(intervalSeconds: 900, ttlSeconds: nil, cacheMaxAgeSeconds: nil, randomUnit: 0)
                == 900)
        #expect(
            policy.delayAfterSuccess(intervalSeconds: 900, ttlSeconds: 1800, cacheMaxAgeSeconds: 60, randomUnit: 0)
                == 1800)
        #expect(
            policy.delayAfterSuccess(intervalSeconds: 900, ttlSeconds: nil, cacheMaxAgeSeconds: 2400, randomUnit: 0)
                == 2400)
        #expect(
            policy.delayAfterSuccess(intervalSeconds: 900, ttlSeconds: nil, cacheMaxAgeSeconds: nil, randomUnit: 1)
                == 1080)
        // A server hint beyond the ceiling is capped; a configured interval beyond it is kept.
        #expect(
            policy.delayAfterSuccess(intervalSeconds: 900, ttlSeconds: 86_400, cacheMaxAgeSeconds: nil, randomUnit: 0)
                == 3600)
        #expect(
            policy.delayAfterSuccess(intervalSeconds: 7200, ttlSeconds: nil, cacheMaxAgeSeconds: nil, randomUnit: 0)
                == 7200)
    }
}
