import Fetch
import Foundation
import HTTPServer
import Logging
import Model
import Testing

@testable import Daemon

struct MetricsEndpointTests {
    @Test func servesPrometheusCountersAndHealthOnLoopback() async throws {
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var configuration = Configuration()
        configuration.dataDirectory = data
        configuration.fetch.allowPrivateAddresses = true
        let closed = "http://127.0.0.1:\(closedLoopbackPort())/rss.xml"
        let pipeline = try await Pipeline(
            configuration: configuration, feeds: [.init(url: closed)], logger: quietLogger)
        _ = await pipeline.runPass(all: true)
        let endpoint = try MetricsEndpoint(pipeline: pipeline)
        defer { endpoint.stop() }
        let fetcher = try Fetcher(options: configuration.fetch, logger: quietLogger)
        let metrics = try await fetcher.fetch(FetchRequest(url: endpoint.origin + "/metrics", kind: .page))
        let health = try await fetcher.fetch(FetchRequest(url: endpoint.origin + "/healthz", kind: .page))
        await fetcher.shutdown()
        await pipeline.shutdown()
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(metrics.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(text.contains("# TYPE sift_feed_fetches_total counter\nsift_feed_fetches_total 1\n"))
        #expect(text.contains("sift_feed_failures_total 1\n"))
        #expect(text.contains("sift_errors_total{class=\"connect\"} 1\n"))
        #expect(String(decoding: health.body, as: UTF8.self) == "ok\n")
    }

    @Test func listensOnAFixedLoopbackPortWhenConfigured() async throws {
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        var configuration = Configuration()
        configuration.dataDirectory = data
        configuration.metrics.enabled = true
        let port = closedLoopbackPort()
        configuration.metrics.listen = "127.0.0.1:\(port)"
        try configuration.validate()
        #expect(configuration.metrics.listenPort == port)
        let pipeline = try await Pipeline(configuration: configuration, feeds: [], logger: quietLogger)
        let endpoint = try MetricsEndpoint(pipeline: pipeline, port: port)
        #expect(endpoint.origin == "http://127.0.0.1:\(port)")
        // The port is taken now: a second endpoint on it fails with a clear error.
        #expect(throws: DaemonError.self) { try MetricsEndpoint(pipeline: pipeline, port: port) }
        endpoint.stop()
        await pipeline.shutdown()

        configuration.metrics.listen = "0.0.0.0:9464"
        #expect(throws: DaemonError.self) { try configuration.validate() }
    }
}
