import Configuration
import Foundation
public import Model

/// Per-feed settings written in `sift.yaml` (`feed_overrides`), keyed by a feed's URL or by a
/// host: every feed on that host, whether configured in `feeds` or found in a feed list.
///
/// ```yaml
/// feed_overrides:
///   "https://slow.example/atom.xml":
///     interval_seconds: 3600
///     total_timeout_seconds: 90
///   big.example:
///     max_bytes: 20000000
/// ```
///
/// The YAML provider of swift-configuration holds only scalars and arrays of scalars, so a list
/// of objects under `feeds` cannot be read; a mapping keyed by URL or host can, one scalar per
/// key. Unset fields leave the feed's own value: for each field, an entry keyed by the feed's
/// URL wins over the `key=value` words of its feed-list line, which win over an entry keyed by
/// its host, which wins over the defaults.
public struct FeedSettings: Codable, Sendable, Hashable {
    /// The outlet's name (`title`).
    public var title: String?
    /// Seconds between two polls (`interval_seconds`, 10 or more).
    public var intervalSeconds: Int?
    /// Seconds for a whole transfer (`total_timeout_seconds`).
    public var totalTimeoutSeconds: Double?
    /// Largest feed body accepted, in bytes after decompression (`max_bytes`, 1024 or more).
    public var maxBytes: Int?
    /// Redirects followed (`max_redirects`, 0-20).
    public var maxRedirects: Int?

    /// Creates settings; `nil` fields leave the feed's own value.
    ///
    /// - Parameters:
    ///   - title: The outlet's name.
    ///   - intervalSeconds: The poll interval.
    ///   - totalTimeoutSeconds: The transfer timeout.
    ///   - maxBytes: The body cap.
    ///   - maxRedirects: The redirect cap.
    public init(
        title: String? = nil,
        intervalSeconds: Int? = nil,
        totalTimeoutSeconds: Double? = nil,
        maxBytes: Int? = nil,
        maxRedirects: Int? = nil
    ) {
        self.title = title
        self.intervalSeconds = intervalSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
    }

    /// The field names of an entry, with their kinds.
    static let fields: [(name: String, kind: ConfigLayers.Kind)] = [
        ("interval_seconds", .int),
        ("max_bytes", .int),
        ("max_redirects", .int),
        ("title", .string),
        ("total_timeout_seconds", .double),
    ]

    /// The feed with these settings laid over its own (`self` wins where set).
    func applied(over feed: FeedSource) -> FeedSource {
        var feed = feed
        feed.title = title ?? feed.title
        feed.intervalSeconds = intervalSeconds ?? feed.intervalSeconds
        feed.totalTimeoutSeconds = totalTimeoutSeconds ?? feed.totalTimeoutSeconds
        feed.maxBytes = maxBytes ?? feed.maxBytes
        feed.maxRedirects = maxRedirects ?? feed.maxRedirects
        return feed
    }

    /// These settings where set, else the feed's own (the feed wins where set).
    func applied(under feed: FeedSource) -> FeedSource {
        var result = feed
        result.title = feed.title ?? title
        result.intervalSeconds = feed.intervalSeconds ?? intervalSeconds
        result.totalTimeoutSeconds = feed.totalTimeoutSeconds ?? totalTimeoutSeconds
        result.maxBytes = feed.maxBytes ?? maxBytes
        result.maxRedirects = feed.maxRedirects ?? maxRedirects
        return result
    }
}

extension Configuration {
    /// The configuration key of the per-feed settings.
    static let feedOverridesKey = "feed_overrides"

    /// The feeds with their `feed_overrides` entries applied (host entries under the feed's own
    /// settings, URL entries over them).
    ///
    /// - Parameter feeds: The configured feeds and those of the feed lists.
    /// - Returns: The same feeds, in order, with their settings.
    public func applyingFeedOverrides(to feeds: [FeedSource]) -> [FeedSource] {
        guard !feedOverrides.isEmpty else { return feeds }
        return feeds.map { feed in
            var result = feed
            if let host = Self.host(of: feed.url), let byHost = feedOverrides[host] {
                result = byHost.applied(under: result)
            }
            if let byURL = feedOverrides[feed.url] {
                result = byURL.applied(over: result)
            }
            return result
        }
    }

    /// The lower-cased host of an http(s) URL.
    static func host(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@").last ?? ""
        let host: Substring
        if hostAndPort.hasPrefix("[") {
            host = hostAndPort.prefix { $0 != "]" }.dropFirst()
        } else {
            host = hostAndPort.prefix { $0 != ":" }
        }
        return host.isEmpty ? nil : host.lowercased()
    }

    /// The names (URLs or hosts) under `feed_overrides` in a YAML text, in file order.
    ///
    /// The YAML provider looks values up by key but cannot list keys, so the entry names are
    /// read from the file: the keys one level under a top-level `feed_overrides:` written in
    /// block style, plain or quoted. Their values are then read through the provider.
    static func feedOverrideNames(inYAML text: String) -> [String] {
        var names: [String] = []
        var inSection = false
        var childIndent: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indent == 0 {
                inSection = content.hasPrefix(feedOverridesKey + ":")
                childIndent = nil
                continue
            }
            guard inSection else { continue }
            if childIndent == nil { childIndent = indent }
            guard indent == childIndent, let name = mappingKey(content) else { continue }
            names.append(name)
        }
        return names
    }

    /// The key of a block-mapping line (`key:`, `"key":`, `'key':`), or `nil`.
    static func mappingKey(_ content: Substring) -> String? {
        if let quote = content.first, quote == "\"" || quote == "'" {
            var key = ""
            var index = content.index(after: content.startIndex)
            while index < content.endIndex {
                let character = content[index]
                if character == quote {
                    let next = content.index(after: index)
                    if quote == "'", next < content.endIndex, content[next] == "'" {
                        key.append("'")
                        index = content.index(after: next)
                        continue
                    }
                    guard next < content.endIndex, content[next] == ":" else { return nil }
                    return key
                }
                if quote == "\"", character == "\\" {
                    let next = content.index(after: index)
                    guard next < content.endIndex else { return nil }
                    key.append(content[next])
                    index = content.index(after: next)
                    continue
                }
                key.append(character)
                index = content.index(after: index)
            }
            return nil
        }
        // A plain key ends at the first ": " or at a ':' closing the line (`https://` is no end).
        var index = content.startIndex
        while let colon = content[index...].firstIndex(of: ":") {
            let next = content.index(after: colon)
            if next == content.endIndex || content[next] == " " || content[next] == "\t" {
                let key = content[..<colon].trimmingCharacters(in: .whitespaces)
                return key.isEmpty ? nil : key
            }
            index = next
        }
        return nil
    }
}

extension ConfigLayers {
    /// The `feed_overrides` entries named in the configuration file, their values read through
    /// the provider (and so typed as every other key).
    ///
    /// - Returns: The entries by name (URL or host).
    /// - Throws: ``DaemonError/invalidValue(key:value:fix:)`` for a value of the wrong type.
    func feedOverrides() throws(DaemonError) -> [String: FeedSettings] {
        guard let filePath, let text = try? String(contentsOfFile: filePath, encoding: .utf8) else { return [:] }
        var result: [String: FeedSettings] = [:]
        for name in Configuration.feedOverrideNames(inYAML: text) {
            var fields: [String: ConfigValueTree] = [:]
            for (field, kind) in FeedSettings.fields {
                let key = ConfigKey([Configuration.feedOverridesKey, name, field])
                guard let text = reader.string(forKey: key) else { continue }
                let template: ConfigValueTree
                switch kind {
                case .string: template = .string("")
                case .int: template = .int(0)
                case .double: template = .double(0)
                case .bool: template = .bool(false)
                }
                let display = "\(Configuration.feedOverridesKey).\"\(name)\".\(field)"
                let value = try Self.parse(text, like: template, key: display)
                switch (kind, value) {
                case (.int, .double(let number)) where number != number.rounded():
                    throw .invalidValue(key: display, value: text, fix: "expected a whole number")
                default:
                    fields[field] = value
                }
            }
            let decoded: FeedSettings
            do {
                let data = try JSONEncoder().encode(ConfigValueTree.object(fields.mapKeys(Self.camelCase)))
                decoded = try JSONDecoder().decode(FeedSettings.self, from: data)
            } catch {
                throw .invalidValue(
                    key: "\(Configuration.feedOverridesKey).\"\(name)\"", value: "", fix: "expected numbers")
            }
            result[name] = decoded
        }
        return result
    }

    private static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_")
        guard let first = parts.first else { return snake }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

extension Dictionary {
    fileprivate func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
        [T: Value](uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
