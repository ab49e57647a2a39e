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
            configuration: configuration, feeds: [.init(url: closed)], logger: Logger(label: "test"))
        _ = await pipeline.runPass(all: true)
        let endpoint = try MetricsEndpoint(pipeline: pipeline)
        defer { endpoint.stop() }
        let fetcher = try Fetcher(options: configuration.fetch, logger: Logger(label: "test"))
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
}
