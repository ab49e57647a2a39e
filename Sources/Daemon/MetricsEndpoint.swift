import HTTPServer

/// Prometheus text metrics (`/metrics`) and a liveness probe (`/healthz`) on a loopback port.
///
/// Served by ``HTTPServer/LoopbackHTTPServer``, so it binds 127.0.0.1 only, on the configured
/// port (`metrics.listen`), or on one the kernel picks for port 0 (logged at start-up). It lives
/// until ``stop()``.
public final class MetricsEndpoint: Sendable {
    private let server: LoopbackHTTPServer

    /// The endpoint's origin, `http://127.0.0.1:<port>`.
    public var origin: String { server.origin }

    /// Starts serving the pipeline's counters.
    ///
    /// - Parameters:
    ///   - pipeline: The pipeline whose counters are exported.
    ///   - port: The port on 127.0.0.1, or 0 (the default) for one the kernel picks.
    /// - Throws: ``DaemonError/server(message:)`` when the socket cannot be opened (e.g. the port
    ///   is in use).
    public init(pipeline: Pipeline, port: Int = 0) throws(DaemonError) {
        do {
            server = try LoopbackHTTPServer(port: port, maxLifetimeSeconds: .infinity) { request in
                switch request.path {
                case "/metrics":
                    return .text(
                        Self.render(pipeline.totals),
                        contentType: "text/plain; version=0.0.4; charset=utf-8"
                    )
                case "/healthz":
                    return .text("ok\n")
                default:
                    return .notFound
                }
            }
        } catch {
            throw .server(message: "\(error)")
        }
    }

    /// Stops serving.
    public func stop() {
        server.stop()
    }

    /// The counters in the Prometheus text exposition format.
    ///
    /// - Parameter totals: The counters.
    /// - Returns: The text.
    public static func render(_ totals: PipelineCounters) -> String {
        var out = ""
        func counter(_ name: String, _ help: String, _ value: Int) {
            out += "# HELP sift_\(name) \(help)\n# TYPE sift_\(name) counter\nsift_\(name) \(value)\n"
        }
        counter("passes_total", "Passes over the feeds.", totals.passes)
        counter("feed_fetches_total", "Feed fetches, including 304 Not Modified.", totals.feedFetches)
        counter("feeds_not_modified_total", "Feed fetches answered 304 Not Modified.", totals.feedsNotModified)
        counter("feed_failures_total", "Feed fetches or parses that failed.", totals.feedFailures)
        counter("fetched_bytes_total", "Response body bytes received.", totals.fetchedBytes)
        counter("articles_total", "Articles extracted, fingerprinted, clustered and stored.", totals.articles)
        counter("article_failures_total", "Article fetches or extractions that failed.", totals.articleFailures)
        counter("duplicates_total", "Articles that joined an existing cluster.", totals.duplicates)
        counter("clusters_created_total", "Clusters founded.", totals.clustersCreated)
        out += "# HELP sift_errors_total Failures by class.\n# TYPE sift_errors_total counter\n"
        for name in totals.errors.keys.sorted() {
            out += "sift_errors_total{class=\"\(name)\"} \(totals.errors[name] ?? 0)\n"
        }
        return out
    }
}
