public import Foundation
public import StateStore

/// Per-feed health and totals of a data directory (`sift status`).
public struct StatusReport: Sendable {
    /// Every feed's state.
    public var feeds: [FeedState]
    /// Number of feeds known.
    public var feedCount: Int
    /// Number of articles stored.
    public var articleCount: Int
    /// Number of clusters.
    public var clusterCount: Int
    /// The last change-log sequence number.
    public var lastEventSequence: Int64

    /// Reads the state database of a data directory without blocking a running daemon.
    ///
    /// - Parameter dataDirectory: The data directory.
    /// - Returns: The report.
    /// - Throws: ``DaemonError/state(path:message:)`` when there is no readable state database.
    public static func load(dataDirectory: String) throws(DaemonError) -> StatusReport {
        let path = dataDirectory + "/state.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw .state(path: path, message: "no state database (has `sift run` used this data directory?)")
        }
        do {
            let database = try StateDatabase.openReadOnly(path: path)
            let counts = try database.counts()
            return StatusReport(
                feeds: try database.allFeedStates(),
                feedCount: counts.feeds,
                articleCount: counts.articles,
                clusterCount: counts.clusters,
                lastEventSequence: try database.lastEventSequence()
            )
        } catch {
            throw .state(path: path, message: "\(error)")
        }
    }

    /// The report as text: one line per feed (health, URL, articles, last success, failures,
    /// next attempt, error class), then a totals line.
    ///
    /// - Parameter now: The clock for "next attempt in".
    /// - Returns: Lines ending in newlines.
    public func rendered(now: Date) -> String {
        var out = ""
        for feed in feeds.sorted(by: { $0.url < $1.url }) {
            let health: String
            if feed.disabled {
                health = "disabled"
            } else if feed.consecutiveFailures > 0 {
                health = "failing"
            } else if feed.lastSuccess != nil {
                health = "ok"
            } else {
                health = "new"
            }
            var line = health.padding(toLength: 8, withPad: " ", startingAt: 0) + " " + feed.url
            line += "  articles=\(feed.articleCount)"
            if let success = feed.lastSuccess { line += "  last_success=\(success.formatted(.iso8601))" }
            if feed.consecutiveFailures > 0 { line += "  failures=\(feed.consecutiveFailures)" }
            if let next = feed.nextAttempt, !feed.disabled {
                line += "  next_in=\(max(0, Int(next.timeIntervalSince(now))))s"
            }
            if let error = feed.lastErrorClass, feed.consecutiveFailures > 0 || feed.disabled {
                line += "  error=\(error)"
            }
            if let reason = feed.disabledReason, feed.disabled { line += "  reason=\"\(reason)\"" }
            out += line + "\n"
        }
        let failing = feeds.filter { $0.consecutiveFailures > 0 && !$0.disabled }.count
        let disabled = feeds.filter(\.disabled).count
        out += "totals: feeds=\(feedCount) failing=\(failing) disabled=\(disabled) "
        out += "articles=\(articleCount) clusters=\(clusterCount) events=\(lastEventSequence)\n"
        return out
    }
}
