/// When to poll a feed again, after a failure or a success. Pure arithmetic, no clock.
public struct RetryPolicy: Codable, Sendable, Hashable {
    /// The delay after the first failure; doubles with each further consecutive failure.
    public var baseDelaySeconds: Double = 60
    /// The ceiling for every delay.
    public var maxDelaySeconds: Double = 6 * 3600
    /// The relative spread of jitter, e.g. 0.2 for ±20 % on failures and +0–20 % on successes.
    public var jitterFraction: Double = 0.2

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - baseDelaySeconds: First failure delay.
    ///   - maxDelaySeconds: Ceiling.
    ///   - jitterFraction: Jitter spread.
    public init(baseDelaySeconds: Double = 60, maxDelaySeconds: Double = 6 * 3600, jitterFraction: Double = 0.2) {
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.jitterFraction = jitterFraction
    }

    /// Decodes a policy, using the default for every missing key.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when a present key has the wrong type.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .baseDelaySeconds) ?? 60
        maxDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .maxDelaySeconds) ?? 6 * 3600
        jitterFraction = try c.decodeIfPresent(Double.self, forKey: .jitterFraction) ?? 0.2
    }

    /// Seconds to wait before retrying after a failure.
    ///
    /// A `Retry-After` from a 429 or 503 is honoured (at least 1 s, at most the ceiling). Errors
    /// that retrying cannot fix (`gone`, `invalid_url`, `blocked`) wait the ceiling. Otherwise
    /// the delay is `base × 2^(failures − 1)` with ±`jitterFraction` jitter, capped at the ceiling.
    ///
    /// - Parameters:
    ///   - error: The failure.
    ///   - consecutiveFailures: Failures in a row including this one (values below 1 count as 1).
    ///   - randomUnit: A uniform random number in [0, 1).
    /// - Returns: The delay in seconds.
    public func delayAfterFailure(_ error: FetchError, consecutiveFailures: Int, randomUnit: Double) -> Double {
        let ceiling = max(0, maxDelaySeconds)
        if case .http(_, let status, let retryAfter?) = error, status == 429 || status == 503 {
            return min(ceiling, max(1, retryAfter))
        }
        switch error {
        case .gone, .invalidURL, .blockedAddress: return ceiling
        default: break
        }
        let exponent = Double(min(max(consecutiveFailures, 1) - 1, 60))
        let raw = max(0, baseDelaySeconds) * pow2(exponent)
        let jitter = 1 + jitterFraction * (2 * unit(randomUnit) - 1)
        return min(ceiling, raw * jitter)
    }

    /// Seconds to wait before the next poll after a success.
    ///
    /// The longest of the configured interval, the feed's own TTL and the response's cache
    /// lifetime, plus up to `jitterFraction` of it (never earlier than asked), capped at the
    /// ceiling unless the configured interval itself is longer.
    ///
    /// - Parameters:
    ///   - intervalSeconds: The configured poll interval.
    ///   - ttlSeconds: The feed's `<ttl>` (or equivalent) in seconds, if any.
    ///   - cacheMaxAgeSeconds: ``FetchResult/cacheMaxAgeSeconds``, if any.
    ///   - randomUnit: A uniform random number in [0, 1).
    /// - Returns: The delay in seconds.
    public func delayAfterSuccess(
        intervalSeconds: Double,
        ttlSeconds: Int?,
        cacheMaxAgeSeconds: Int?,
        randomUnit: Double
    ) -> Double {
        let interval = max(0, intervalSeconds)
        let hinted = Double(max(ttlSeconds ?? 0, cacheMaxAgeSeconds ?? 0))
        let base = max(interval, min(hinted, max(maxDelaySeconds, interval)))
        return base * (1 + max(0, jitterFraction) * unit(randomUnit))
    }

    private func unit(_ x: Double) -> Double {
        x.isFinite ? min(max(x, 0), 1) : 0.5
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e {
            r *= 2
            i += 1
        }
        return r
    }
}
