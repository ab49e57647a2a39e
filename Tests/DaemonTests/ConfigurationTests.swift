import Clustering
import Fetch
import Foundation
import Model
import Testing

@testable import Daemon

struct ConfigurationTests {
    private func write(_ text: String) throws -> String {
        let directory = makeTemporaryDirectory("sift-config")
        let path = directory + "/sift.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func builtInDefaultsAreIdenticalToTheShippedConfigFile() async throws {
        let shipped = try await Configuration.load(
            configFile: repositoryRoot + "/config/sift.yaml", environment: [:], defaultFile: nil
        )
        // When a default changes, update config/sift.yaml: `sift check-config` prints the defaults.
        #expect(shipped.renderYAML() == Configuration().renderYAML())
    }

    @Test func theShippedConfigFileNamesEveryKey() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/config/sift.yaml", encoding: .utf8)
        for key in Configuration.allKeys() {
            let leaf = key.split(separator: ".").last.map(String.init) ?? key
            #expect(text.contains("\(leaf):"), "config/sift.yaml lacks \(key): add it with a comment")
        }
    }

    @Test func setBeatsEnvironmentBeatsFileBeatsDefaults() async throws {
        let path = try write(
            """
            poll_interval_seconds: 600
            fetch:
              total_timeout_seconds: 11
              connect_timeout_seconds: 4
              user_agent: "FileAgent/1"
            clustering:
              threshold: 0.6
            """
        )
        let environment = [
            "SIFT_FETCH_TOTAL_TIMEOUT_SECONDS": "12",
            "SIFT_FETCH_CONNECT_TIMEOUT_SECONDS": "5",
            "UNRELATED": "x",
        ]
        let configuration = try await Configuration.load(
            configFile: path,
            environment: environment,
            overrides: ["fetch.total_timeout_seconds=13"],
            defaultFile: nil
        )
        #expect(configuration.fetch.totalTimeoutSeconds == 13)
        #expect(configuration.fetch.connectTimeoutSeconds == 5)
        #expect(configuration.fetch.userAgent == "FileAgent/1")
        #expect(configuration.pollIntervalSeconds == 600)
        #expect(configuration.clustering.threshold == 0.6)
        #expect(configuration.retentionDays == Configuration().retentionDays)
    }

    @Test func feedsComeFromAYAMLListOrACommaSeparatedOverride() async throws {
        let path = try write(
            """
            feeds:
              - https://example.com/a.xml
              - https://example.org/b.xml
            """
        )
        let fromFile = try await Configuration.load(configFile: path, environment: [:], defaultFile: nil)
        #expect(fromFile.feeds.map(\.url) == ["https://example.com/a.xml", "https://example.org/b.xml"])
        let fromSet = try await Configuration.load(
            configFile: path, environment: [:], overrides: ["feeds=https://c.example/x, https://d.example/y"],
            defaultFile: nil
        )
        #expect(fromSet.feeds.map(\.url) == ["https://c.example/x", "https://d.example/y"])
    }

    @Test func optionalKeysCanBeSetAndCleared() async throws {
        let configuration = try await Configuration.load(
            configFile: nil, environment: ["SIFT_FETCH_PROXY": "http://proxy:3128"],
            overrides: ["clustering.bands=16", "clustering.rows=8"], defaultFile: nil
        )
        #expect(configuration.fetch.proxy == "http://proxy:3128")
        #expect(configuration.clustering.bands == 16)
        #expect(configuration.clustering.rows == 8)
        #expect(Configuration().fetch.proxy == nil)
    }

    @Test func theUsualProxyVariablesApplyWhenTheConfigurationLeavesTheProxyUnset() async throws {
        let fromEnvironment = try await Configuration.load(
            configFile: nil,
            environment: ["HTTPS_PROXY": "http://corp-proxy:3128", "no_proxy": "localhost,.internal"],
            defaultFile: nil
        )
        #expect(fromEnvironment.fetch.proxy == "http://corp-proxy:3128")
        #expect(fromEnvironment.fetch.noProxy == "localhost,.internal")

        let configured = try await Configuration.load(
            configFile: nil,
            environment: ["https_proxy": "http://corp-proxy:3128", "SIFT_FETCH_PROXY": "http://mine:8080"],
            defaultFile: nil
        )
        #expect(configured.fetch.proxy == "http://mine:8080")

        let direct = try await Configuration.load(configFile: nil, environment: ["no_proxy": "*"], defaultFile: nil)
        #expect(direct.fetch.proxy == nil)
        #expect(direct.fetch.noProxy == nil)
    }

    @Test func perFeedLimitsAreValidated() {
        var invalid = Configuration()
        invalid.feeds = [FeedSource(url: "https://a.example/rss", maxRedirects: 50)]
        #expect(throws: DaemonError.self) { try invalid.validate() }
        var valid = Configuration()
        valid.feeds = [FeedSource(url: "https://a.example/rss", totalTimeoutSeconds: 90, maxBytes: 1 << 20)]
        #expect(throws: Never.self) { try valid.validate() }
    }

    @Test func aMissingConfigFileIsAOneLineError() async {
        await #expect {
            _ = try await Configuration.load(configFile: "/nonexistent/sift.yaml", environment: [:], defaultFile: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("configuration file not found: /nonexistent/sift.yaml") && !text.contains("\n")
        }
    }

    @Test(arguments: [
        ("fetch.total_timeout_seconds=abc", "fetch.total_timeout_seconds", "expected a number"),
        ("fetch.max_redirects=2.5", "fetch.max_redirects", "whole number"),
        ("fetch.verify_tls=maybe", "fetch.verify_tls", "expected true or false"),
        ("poll_interval_seconds=1", "poll_interval_seconds", "use 10 or more"),
        ("logging.format=xml", "logging.format", "use logfmt or json"),
        ("retry.jitter_fraction=2", "retry.jitter_fraction", "between 0 and 1"),
        ("feeds=ftp://example.com/x", "feeds[0]", "http:// or https://"),
        ("fetch.no_such_key=1", "fetch.no_such_key", "unknown configuration key"),
        ("novalue", "novalue", "expected key=value"),
        // 40 lead bands of 2 rows need 80 lead values; an index keeps 64.
        ("clustering.lead_bands=40", "clustering", "leadBands"),
    ])
    func invalidValuesNameTheKeyAndTheFix(override: String, key: String, fix: String) async {
        await #expect {
            _ = try await Configuration.load(configFile: nil, environment: [:], overrides: [override], defaultFile: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains(key) && text.contains(fix)
        }
    }

    @Test func aWrongTypeInTheFileIsReportedWithItsKey() async throws {
        let path = try write("fetch:\n  max_page_bytes: lots\n")
        await #expect {
            _ = try await Configuration.load(configFile: path, environment: [:], defaultFile: nil)
        } throws: { error in
            "\(error)".contains("fetch.max_page_bytes") && "\(error)".contains("expected a number")
        }
    }

    @Test func unknownKeysInTheFileAreFoundWithTheirLines() throws {
        let path = try write(
            """
            # comment
            poll_interval_seconds: 600
            fetch:
              total_timeout: 20
              user_agent: |
                multi: line
            clustring:
              threshold: 0.5
            feeds:
              - https://example.com/a.xml
            """
        )
        #expect(
            Configuration.unknownKeys(inFile: path) == [
                "fetch.total_timeout (line 4)", "clustring (line 7)", "clustring.threshold (line 8)",
            ])
        #expect(Configuration.unknownKeys(inFile: repositoryRoot + "/config/sift.yaml").isEmpty)
    }

    @Test func environmentNamesFollowTheKeys() {
        #expect(
            ConfigLayers.environmentName(forKey: "fetch.total_timeout_seconds") == "SIFT_FETCH_TOTAL_TIMEOUT_SECONDS")
        #expect(snakeCase("verifyTLS") == "verify_tls")
        #expect(snakeCase("maxConcurrentPerHost") == "max_concurrent_per_host")
    }

    @Test func renderedYAMLReadsBackToTheSameConfiguration() async throws {
        var changed = Configuration()
        changed.pollIntervalSeconds = 1234
        changed.fetch.userAgent = "Agent: with colon"
        changed.feeds = [.init(url: "https://example.com/feed.xml")]
        let path = try write(changed.renderYAML())
        let reread = try await Configuration.load(configFile: path, environment: [:], defaultFile: nil)
        #expect(reread.renderYAML() == changed.renderYAML())
    }

    @Test func feedOverridesAreReadFromTheFileByURLOrHost() async throws {
        let directory = makeTemporaryDirectory("sift-config")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let list = directory + "/feeds.txt"
        try """
        https://slow.example/atom.xml interval_seconds=1800 max_bytes=50000
        https://big.example/a.xml max_redirects=1
        https://big.example/b.xml
        https://other.example/rss
        """.write(toFile: list, atomically: true, encoding: .utf8)
        let path = directory + "/sift.yaml"
        try """
        feed_lists: [\(list)]
        feeds:
          - https://configured.example/feed
        feed_overrides:
          # By URL (quoted, as a URL holds a colon), over the feed list's own words.
          "https://slow.example/atom.xml":
            interval_seconds: 3600
            total_timeout_seconds: 90.5
          # By host: every feed on it, under the feed list's own words.
          big.example:
            max_bytes: 20000000
            max_redirects: 3
            title: Big Outlet
          'https://configured.example/feed':
            interval_seconds: 60
        poll_interval_seconds: 600
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (configuration, feeds) = try await DaemonRunner.load(
            DaemonRunner.Options(configFile: path, environment: [:], defaultFile: nil))
        #expect(configuration.pollIntervalSeconds == 600)
        #expect(
            configuration.feedOverrides["https://slow.example/atom.xml"]
                == FeedSettings(intervalSeconds: 3600, totalTimeoutSeconds: 90.5))
        #expect(configuration.feedOverrides.count == 3)
        let byURL = Dictionary(uniqueKeysWithValues: feeds.map { ($0.url, $0) })
        #expect(
            byURL["https://configured.example/feed"]
                == FeedSource(url: "https://configured.example/feed", intervalSeconds: 60))
        #expect(
            byURL["https://slow.example/atom.xml"]
                == FeedSource(
                    url: "https://slow.example/atom.xml", intervalSeconds: 3600, totalTimeoutSeconds: 90.5,
                    maxBytes: 50000))
        #expect(
            byURL["https://big.example/a.xml"]
                == FeedSource(
                    url: "https://big.example/a.xml", title: "Big Outlet", maxBytes: 20_000_000, maxRedirects: 1))
        #expect(
            byURL["https://big.example/b.xml"]
                == FeedSource(
                    url: "https://big.example/b.xml", title: "Big Outlet", maxBytes: 20_000_000, maxRedirects: 3))
        #expect(byURL["https://other.example/rss"] == FeedSource(url: "https://other.example/rss"))
        #expect(Configuration.unknownKeys(inFile: path).isEmpty)

        // What check-config prints reads back to the same overrides.
        let rendered = directory + "/rendered.yaml"
        try configuration.renderYAML().write(toFile: rendered, atomically: true, encoding: .utf8)
        let reread = try await Configuration.load(configFile: rendered, environment: [:], defaultFile: nil)
        #expect(reread.feedOverrides == configuration.feedOverrides)
    }

    @Test func badFeedOverridesNameTheirKey() async throws {
        let wrongType = try write(
            """
            feed_overrides:
              "https://a.example/rss":
                interval_seconds: soon
            """)
        await #expect {
            _ = try await Configuration.load(configFile: wrongType, environment: [:], defaultFile: nil)
        } throws: { error in
            "\(error)".contains("feed_overrides.\"https://a.example/rss\".interval_seconds")
                && "\(error)".contains("expected a number")
        }
        let tooShort = try write(
            """
            feed_overrides:
              a.example:
                interval_seconds: 5
            """)
        await #expect {
            _ = try await Configuration.load(configFile: tooShort, environment: [:], defaultFile: nil)
        } throws: { error in
            "\(error)".contains("feed_overrides.\"a.example\".interval_seconds") && "\(error)".contains("10 or more")
        }
        let misspelt = try write(
            """
            feed_overrides:
              a.example:
                intervall_seconds: 3600
                max_bytes: 4096
            """)
        #expect(Configuration.unknownKeys(inFile: misspelt) == ["feed_overrides.intervall_seconds (line 3)"])
        #expect(
            try await Configuration.load(configFile: misspelt, environment: [:], defaultFile: nil).feedOverrides
                == ["a.example": FeedSettings(maxBytes: 4096)])
    }

    @Test func theStateDatabaseMappingIsConfigurable() async throws {
        let path = try write("state:\n  mmap_megabytes: 0\n")
        let configuration = try await Configuration.load(configFile: path, environment: [:], defaultFile: nil)
        #expect(configuration.state.mmapBytes == 0)
        #expect(Configuration().state.mmapBytes == 64 << 20)
        await #expect {
            _ = try await Configuration.load(
                configFile: path, environment: [:], overrides: ["state.mmap_megabytes=-1"], defaultFile: nil)
        } throws: { error in
            "\(error)".contains("state.mmap_megabytes")
        }
    }
}
