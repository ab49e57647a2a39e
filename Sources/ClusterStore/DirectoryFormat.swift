import FoundationEssentials
import Model

// The JSON shapes of the cluster directory (format version 1), documented in
// docs/cluster-directory.md and docs/cluster-directory.schema.json. Keys are snake_case; files
// are written with sorted keys, so output is byte-for-byte stable. Optional values are omitted
// when absent. Changing a shape incompatibly requires a new format version.

/// The format's name and the newest version this build reads and writes.
enum DirectoryFormat {
    static let name = "sift-clusters"
    static let version = 1
    static let manifestName = "manifest.json"
    static let clustersDirectory = "clusters"
    static let articlesDirectory = "articles"
    static let eventsName = "events.jsonl"
    static let feedName = "feed.json"
    static let lockName = "sift.lock"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes a file body, ending it with a newline.
    static func encode(_ value: some Encodable, path: String) throws(ClusterStoreError) -> [UInt8] {
        do {
            var bytes = [UInt8](try encoder().encode(value))
            bytes.append(10)
            return bytes
        } catch {
            throw .corrupt(path: path, message: "cannot encode: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String) throws(ClusterStoreError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .corrupt(path: path, message: "\(error)")
        }
    }

    /// Whether `id` is safe as a file name: 1–200 of `A–Z a–z 0–9 - _ .`, not starting with `.`.
    static func isValidIdentifier(_ id: String) -> Bool {
        let bytes = id.utf8
        guard (1...200).contains(bytes.count), bytes.first != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == 45 || byte == 95 || byte == 46
        }
    }
}

/// A `Date` written as an ISO 8601 UTC string.
struct Timestamped: Codable, Hashable {
    var date: Date

    init(_ date: Date) {
        self.date = date
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 UTC time: \(text)")
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Timestamp.format(date))
    }
}

/// `manifest.json`.
struct ManifestFile: Codable {
    struct Parameters: Codable, Equatable {
        var permutations: Int
        var seed: UInt64
        var shingleSize: Int
        var schemeVersion: Int

        enum CodingKeys: String, CodingKey {
            case permutations, seed
            case shingleSize = "shingle_size"
            case schemeVersion = "scheme_version"
        }
    }

    var format: String
    var version: Int
    var created: Timestamped?
    var generator: String?
    var signatureParameters: Parameters?

    enum CodingKeys: String, CodingKey {
        case format, version, created, generator
        case signatureParameters = "signature_parameters"
    }
}

extension ManifestFile.Parameters {
    init(_ parameters: SignatureParameters) {
        self.init(
            permutations: parameters.permutations,
            seed: parameters.seed,
            shingleSize: parameters.shingleSize,
            schemeVersion: parameters.schemeVersion
        )
    }
}

/// One member in `clusters/<id>.json`.
struct MemberFile: Codable {
    var documentID: String
    var url: String
    var feed: String?
    var outlet: String?
    var title: String?
    var published: Timestamped?
    var fetched: Timestamped
    var similarity: Double

    enum CodingKeys: String, CodingKey {
        case documentID = "document_id"
        case url, feed, outlet, title, published, fetched, similarity
    }

    init(_ member: ClusterMember) {
        documentID = member.documentID
        url = member.url
        feed = member.feed
        outlet = member.outlet
        title = member.title
        published = member.published.map(Timestamped.init)
        fetched = Timestamped(member.fetched)
        similarity = member.similarity.isFinite ? member.similarity : 0
    }

    var member: ClusterMember {
        ClusterMember(
            documentID: documentID,
            url: url,
            feed: feed,
            outlet: outlet,
            title: title,
            published: published?.date,
            fetched: fetched.date,
            similarity: similarity
        )
    }
}

/// `clusters/<id>.json`.
struct ClusterFile: Codable {
    var id: String
    var created: Timestamped
    var updated: Timestamped
    var title: String?
    var url: String
    var size: Int?
    var members: [MemberFile]

    init(_ record: ClusterRecord) {
        id = record.id
        created = Timestamped(record.created)
        updated = Timestamped(record.updated)
        title = record.title
        url = record.url
        size = record.members.count
        members = record.members.map(MemberFile.init)
    }

    var record: ClusterRecord {
        ClusterRecord(
            id: id,
            created: created.date,
            updated: updated.date,
            title: title,
            url: url,
            members: members.map(\.member)
        )
    }
}

/// `articles/<document_id>.json`.
struct ArticleFile: Codable {
    var documentID: String
    var url: String
    var canonicalURL: String?
    var title: String?
    var author: String?
    var published: Timestamped?
    var language: String?
    var paragraphs: [String]
    var text: String

    enum CodingKeys: String, CodingKey {
        case documentID = "document_id"
        case canonicalURL = "canonical_url"
        case url, title, author, published, language, paragraphs, text
    }
}

/// One line of `events.jsonl`.
struct EventLine: Codable {
    var seq: Int64
    var type: String
    var time: Timestamped
    var clusterID: String
    var documentID: String
    var url: String
    var similarity: Double

    enum CodingKeys: String, CodingKey {
        case seq, type, time, url, similarity
        case clusterID = "cluster_id"
        case documentID = "document_id"
    }

    /// The line's JSON with a fixed key order (`seq` first), without the newline.
    static func encode(_ event: ClusterEvent) -> String {
        let similarity = event.similarity.isFinite ? event.similarity : 0
        return "{\"seq\":\(event.sequence),\"type\":\(jsonString(event.kind.rawValue)),"
            + "\"time\":\"\(Timestamp.format(event.time))\",\"cluster_id\":\(jsonString(event.clusterID)),"
            + "\"document_id\":\(jsonString(event.documentID)),\"url\":\(jsonString(event.url)),"
            + "\"similarity\":\(similarity)}"
    }

    func event(path: String) throws(ClusterStoreError) -> ClusterEvent {
        guard let kind = ClusterEvent.Kind(rawValue: type) else {
            throw .corrupt(path: path, message: "event \(seq) has unknown type \(type)")
        }
        return ClusterEvent(
            sequence: seq,
            kind: kind,
            time: time.date,
            clusterID: clusterID,
            documentID: documentID,
            url: url,
            similarity: similarity
        )
    }
}

/// A JSON string literal with the escapes RFC 8259 requires.
func jsonString(_ value: String) -> String {
    var result = "\""
    result.reserveCapacity(value.utf8.count + 2)
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{2028}": result += "\\u2028"
        case "\u{2029}": result += "\\u2029"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

/// `feed.json`: a JSON Feed 1.1 of the deduplicated stream, one item per cluster.
struct JSONFeedFile: Encodable {
    struct Item: Encodable {
        var id: String
        var url: String
        var title: String?
        var contentText: String
        var datePublished: Timestamped
        var dateModified: Timestamped
        var sift: Extension

        enum CodingKeys: String, CodingKey {
            case id, url, title
            case contentText = "content_text"
            case datePublished = "date_published"
            case dateModified = "date_modified"
            case sift = "_sift"
        }
    }

    /// The `_sift` extension object of an item.
    struct Extension: Encodable {
        var clusterID: String
        var size: Int
        var members: [Member]

        enum CodingKeys: String, CodingKey {
            case clusterID = "cluster_id"
            case size, members
        }
    }

    struct Member: Encodable {
        var url: String
        var title: String?
        var outlet: String?
        var feed: String?
        var published: Timestamped?
    }

    var version = "https://jsonfeed.org/version/1.1"
    var title: String
    var description: String
    var items: [Item]

    init(title: String, clusters: [ClusterRecord]) {
        self.title = title
        self.description = "One item per story; each story lists every outlet that carried it."
        self.items = clusters.map { cluster in
            let members = cluster.members.map { member in
                Member(
                    url: member.url,
                    title: member.title,
                    outlet: member.outlet,
                    feed: member.feed,
                    published: member.published.map(Timestamped.init)
                )
            }
            let lines = cluster.members.map { member in
                "- " + (member.title ?? member.url) + (member.outlet.map { " (\($0))" } ?? "") + ": " + member.url
            }
            let count = cluster.members.count
            let heading = count == 1 ? "1 article:" : "\(count) articles:"
            return Item(
                id: cluster.id,
                url: cluster.url,
                title: cluster.title,
                contentText: ([heading] + lines).joined(separator: "\n"),
                datePublished: Timestamped(cluster.created),
                dateModified: Timestamped(cluster.updated),
                sift: Extension(clusterID: cluster.id, size: count, members: members)
            )
        }
    }
}
