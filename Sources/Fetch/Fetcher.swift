import Curl
public import Logging

/// Fetches feeds and article pages over HTTP(S) with conditional GET, limits and politeness.
///
/// All transfers run on one ``CurlClient`` thread. `fetch` enforces the global concurrency (the
/// client's limit), the per-host concurrency and the per-host spacing of request starts. Unless
/// ``FetchOptions/allowPrivateAddresses`` is set, every connection — redirects included — is checked
/// after DNS resolution and refused when it goes to a non-public address. When a proxy is
/// configured the check is skipped: the proxy, not this process, connects to the origin.
public final class Fetcher: Sendable {
    private let options: FetchOptions
    private let logger: Logger
    private let client: CurlClient
    private let gate: HostGate

    /// Creates a fetcher and starts its transfer thread.
    ///
    /// - Parameters:
    ///   - options: Limits and politeness settings.
    ///   - logger: Where each fetch's outcome is logged at debug level (callers log failures).
    /// - Throws: ``FetchError/transfer(url:code:message:)`` when libcurl cannot be initialised.
    public init(options: FetchOptions, logger: Logger) throws(FetchError) {
        self.options = options
        self.logger = logger
        do {
            self.client = try CurlClient(maxConcurrent: options.maxConcurrentTransfers)
        } catch {
            throw .transfer(url: "", code: -1, message: error.description)
        }
        self.gate = HostGate(maxPerHost: options.maxConcurrentPerHost, delaySeconds: options.perHostDelaySeconds)
    }

    /// Fetches one URL.
    ///
    /// Sends `If-None-Match`/`If-Modified-Since` from the request's validators; a 304 is a result
    /// with `notModified` set. Follows up to ``FetchOptions/maxRedirects`` redirects (http and
    /// https only) and reports a permanent move in ``FetchResult/permanentRedirectURL``.
    ///
    /// - Parameter request: The URL, its kind and validators.
    /// - Returns: The result for a 2xx or 304 response.
    /// - Throws: ``FetchError`` for every other outcome; `.gone` for 410, `.http` for other
    ///   statuses (with `Retry-After` when sent), `.cancelled` when the task is cancelled.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResult {
        let url = request.url
        guard let parts = CurlURL.parse(url), parts.scheme == "http" || parts.scheme == "https",
            !parts.host.isEmpty
        else { throw .invalidURL(url) }
        let host = parts.host.lowercased()
        guard let wait = await gate.acquire(host) else { throw .cancelled(url: url) }
        let outcome: Result<FetchResult, FetchError>
        if wait > 0, (try? await Task.sleep(for: .seconds(wait))) == nil {
            outcome = .failure(.cancelled(url: url))
        } else if Task.isCancelled {
            outcome = .failure(.cancelled(url: url))
        } else {
            outcome = await transfer(request)
        }
        await gate.release(host)
        switch outcome {
        case .success(let result):
            logger.debug(
                "fetched",
                metadata: [
                    "fetch.url": "\(url)", "fetch.status": "\(result.status)",
                    "fetch.bytes": "\(result.body.count)",
                    "fetch.duration_ms": "\(Int(result.durationSeconds * 1000))",
                ]
            )
            return result
        case .failure(let error):
            logger.debug(
                "fetch failed",
                metadata: ["fetch.url": "\(url)", "fetch.error": "\(error.errorClass)", "fetch.detail": "\(error)"]
            )
            throw error
        }
    }

    /// Aborts outstanding fetches (they fail with `.cancelled`) and stops the transfer thread.
    public func shutdown() async {
        client.shutdown()
    }

    private func transfer(_ request: FetchRequest) async -> Result<FetchResult, FetchError> {
        let url = request.url
        var headers: [(name: String, value: String)] = [
            ("Accept", request.kind == .feed ? Self.feedAccept : Self.pageAccept)
        ]
        if let etag = request.etag { headers.append(("If-None-Match", etag)) }
        if let lastModified = request.lastModified { headers.append(("If-Modified-Since", lastModified)) }
        let guarded = !options.allowPrivateAddresses && options.proxy == nil
        let publicOnly: @Sendable (String) -> Bool = { AddressPolicy.isPublic($0) }
        let addressGuard = guarded ? publicOnly : nil
        let maxBodyBytes =
            request.limits.maxBytes ?? (request.kind == .feed ? options.maxFeedBytes : options.maxPageBytes)
        let curlRequest = CurlRequest(
            url: url,
            headers: headers,
            connectTimeoutSeconds: options.connectTimeoutSeconds,
            totalTimeoutSeconds: request.limits.totalTimeoutSeconds ?? options.totalTimeoutSeconds,
            lowSpeedBytesPerSecond: options.lowSpeedBytesPerSecond,
            lowSpeedSeconds: options.lowSpeedSeconds,
            maxBodyBytes: maxBodyBytes,
            followRedirects: true,
            maxRedirects: request.limits.maxRedirects ?? options.maxRedirects,
            proxy: options.proxy,
            noProxy: options.noProxy,
            verifyTLS: options.verifyTLS,
            userAgent: options.userAgent,
            addressGuard: addressGuard
        )
        let start = monotonicNow()
        let response: CurlResponse
        do throws(CurlError) {
            response = try await client.perform(curlRequest)
        } catch {
            return .failure(Self.map(error, url: url))
        }
        let plain = ResponsePolicy.Response(
            status: response.status,
            headers: response.headers,
            body: response.body,
            finalURL: response.effectiveURL,
            hops: response.hops.map { ($0.status, $0.location) },
            durationSeconds: monotonicNow() - start
        )
        return ResponsePolicy.evaluate(plain, for: request, now: HTTPDate.now())
    }

    static func map(_ error: CurlError, url: String) -> FetchError {
        switch error {
        case .bodyTooLarge(let limit): return .tooLarge(url: url, limit: limit)
        case .headersTooLarge: return .transfer(url: url, code: 23, message: error.description)
        case .addressBlocked(let address): return .blockedAddress(url: url, address: address)
        case .cancelled, .shutDown: return .cancelled(url: url)
        case .initialization(let message): return .transfer(url: url, code: -1, message: message)
        case .option(let name, let code): return .transfer(url: url, code: code, message: "option \(name) rejected")
        case .transfer(let code, let message):
            switch error.category {
            case .dns: return .dns(url: url, message: message)
            case .connect: return .connect(url: url, message: message)
            case .timeout: return .timeout(url: url, message: message)
            case .tls: return .tls(url: url, message: message)
            case .tooManyRedirects: return .tooManyRedirects(url: url)
            case .badURL: return .invalidURL(url)
            case .other: return .transfer(url: url, code: code, message: message)
            }
        }
    }

    static let feedAccept =
        "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
        + "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
    static let pageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
}
