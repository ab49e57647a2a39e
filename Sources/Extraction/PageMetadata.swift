import FoundationEssentials

/// Title, author, date, language and canonical URL, from the page's structured data first
/// (JSON-LD, Open Graph and other `<meta>`), then from its markup.
struct PageMetadata {
    var title: String?
    var author: String?
    var published: Date?
    var language: String?
    var canonicalURL: String?
    /// JSON-LD `articleBody`, when the page carries one.
    var articleBody: String?

    init(tree: PageTree, url: String?) {
        var meta: [String: String] = [:]
        var canonical: String?
        for element in tree.headElements {
            let tag = tree.nodes[Int(element)].tag
            if tag == .link {
                if let rel = tree.attribute(.rel, of: element)?.lowercased(),
                    rel.split(separator: " ").contains("canonical"),
                    canonical == nil, let href = tree.attribute(.href, of: element), !href.isEmpty
                {
                    canonical = href
                }
                continue
            }
            let key =
                (tree.attribute(.property, of: element) ?? tree.attribute(.name, of: element)
                ?? tree.attribute(.itemprop, of: element) ?? tree.attribute(.httpEquiv, of: element))?.lowercased()
            guard let key, let content = tree.attribute(.content, of: element) else { continue }
            let trimmed = Self.clean(content)
            if !trimmed.isEmpty, meta[key] == nil { meta[key] = trimmed }
        }
        var ld = JSONLDArticle()
        for source in tree.jsonLD { ld.absorb(source) }

        title = ld.headline ?? meta["og:title"] ?? meta["twitter:title"] ?? tree.title.map(Self.clean)
        if let t = title, t.isEmpty { title = nil }
        let authorKeys = ["author", "article:author", "parsely-author", "dc.creator", "byl"]
        let metaAuthor = authorKeys.lazy.compactMap { meta[$0] }.first { !$0.hasPrefix("http") }
        author = ld.author ?? metaAuthor.map(Self.stripBy)
        let dateKeys = [
            "article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate", "publish-date",
            "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date",
        ]
        let dateText: String? = ld.datePublished ?? dateKeys.lazy.compactMap { meta[$0] }.first
        published = dateText.flatMap(ISODate.parse)
        if published == nil { published = Self.firstTimeElement(tree) }
        var lang = tree.htmlElement >= 0 ? tree.attribute(.lang, of: tree.htmlElement) : nil
        if lang == nil || lang?.isEmpty == true { lang = meta["content-language"] ?? ld.inLanguage }
        if lang == nil || lang?.isEmpty == true, let locale = meta["og:locale"] {
            lang = String(locale.map { $0 == "_" ? "-" : $0 })
        }
        language = lang.map(Self.clean).flatMap { $0.isEmpty ? nil : String($0.split(separator: ",")[0]) }
        canonicalURL = Self.resolve(canonical ?? meta["og:url"], against: url)
        articleBody = ld.articleBody
    }

    /// Collapses runs of white space (ASCII and no-break space) to one space and trims the ends.
    static func clean(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var k = 0
        while k < bytes.count {
            let c = bytes[k]
            if PageTree.isSpace(c) {
                pendingSpace = true
                k += 1
                continue
            }
            if c == 0xC2, k + 1 < bytes.count, bytes[k + 1] == 0xA0 {
                pendingSpace = true
                k += 2
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(c)
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func stripBy(_ text: String) -> String {
        text.lowercased().hasPrefix("by ") ? String(text.dropFirst(3)) : text
    }

    private static func firstTimeElement(_ tree: PageTree) -> Date? {
        for i in 1..<tree.nodes.count where tree.nodes[i].tag == .time {
            if let value = tree.attribute(.datetime, of: Int32(i)), let date = ISODate.parse(value) { return date }
        }
        return nil
    }

    /// Makes a root-relative or scheme-relative URL absolute against the page URL.
    static func resolve(_ link: String?, against base: String?) -> String? {
        guard let link = link.map(clean), !link.isEmpty else { return nil }
        if link.hasPrefix("http://") || link.hasPrefix("https://") { return link }
        guard let base, let schemeEnd = base.firstRange(of: "://") else { return link }
        let scheme = base[..<schemeEnd.lowerBound]
        if link.hasPrefix("//") { return scheme + ":" + link }
        let afterScheme = base[schemeEnd.upperBound...]
        let host = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let origin = base[..<host.endIndex]
        if link.hasPrefix("/") { return origin + link }
        let path = base[host.endIndex...].prefix { $0 != "?" && $0 != "#" }
        let directory = path.lastIndex(of: "/").map { path[...$0] } ?? "/"
        return origin + directory + link
    }
}

/// The fields of a schema.org `NewsArticle` (or any `*Article`, `*Posting`) found in JSON-LD.
struct JSONLDArticle {
    var headline: String?
    var author: String?
    var datePublished: String?
    var inLanguage: String?
    var articleBody: String?

    mutating func absorb(_ source: String) {
        var source = source
        let parsed = source.withUTF8 { $0.count < PageTree.maxJSONLD ? JSONReader.parse($0) : nil }
        guard let value = parsed else { return }
        visit(value, depth: 0)
    }

    private mutating func visit(_ value: JSONValue, depth: Int) {
        guard depth < 8 else { return }
        switch value {
        case .array(let items):
            for item in items.prefix(64) { visit(item, depth: depth + 1) }
        case .object(let object):
            if let graph = object["@graph"] { visit(graph, depth: depth + 1) }
            let types = object["@type"]?.strings ?? []
            let isArticle = types.contains {
                $0.hasSuffix("Article") || $0.hasSuffix("Posting") || $0 == "Report"
            }
            guard isArticle else { return }
            if headline == nil { headline = object["headline"]?.strings.first.map(PageMetadata.clean) }
            if author == nil, let a = object["author"] { author = Self.names(a).first }
            if datePublished == nil { datePublished = object["datePublished"]?.strings.first }
            if inLanguage == nil { inLanguage = object["inLanguage"]?.strings.first }
            if articleBody == nil { articleBody = object["articleBody"]?.strings.first }
        default:
            break
        }
    }

    private static func names(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let s): return s.isEmpty || s.hasPrefix("http") ? [] : [PageMetadata.clean(s)]
        case .array(let items):
            let all = items.prefix(8).flatMap { names($0) }
            return all.isEmpty ? [] : [all.joined(separator: ", ")]
        case .object(let object): return object["name"]?.strings.map(PageMetadata.clean) ?? []
        default: return []
        }
    }
}

/// Any JSON value.
enum JSONValue: Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string values (a string, or the strings of an array).
    var strings: [String] {
        switch self {
        case .string(let s): [s]
        case .array(let items): items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        default: []
        }
    }
}

/// A strict JSON reader (RFC 8259) that accepts exactly what `JSONDecoder` accepts into
/// ``JSONValue``, an order of magnitude faster (no `Decodable` machinery, no thrown errors).
///
/// Like `JSONDecoder`: a leading byte-order mark and one trailing comma before `]` or `}` are
/// allowed; control characters in strings, unpaired surrogate escapes, numbers a `Double` cannot
/// hold (overflow, or underflow to zero), nesting deeper than 512 and anything after the value
/// are not; of duplicate keys the first wins.
struct JSONReader {
    static let maxDepth = 512

    private let p: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var depth = 0

    private init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    /// Parses one JSON text.
    ///
    /// - Parameter bytes: The text, UTF-8.
    /// - Returns: The value, or `nil` when the text is not JSON.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var reader = JSONReader(bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.i = 3 }
        reader.skipSpace()
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        return reader.i == bytes.count ? value : nil
    }

    @inline(__always) private mutating func skipSpace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    private mutating func value() -> JSONValue? {
        guard i < p.count else { return nil }
        switch p[i] {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number().map { .number($0) }
        default: return nil
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard p.count - i >= count else { return false }
        for k in 0..<count where p[i + k] != word.utf8Start[k] { return false }
        i += count
        return true
    }

    private mutating func array() -> JSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { return nil }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < p.count, p[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            guard let item = value() else { return nil }
            items.append(item)
            skipSpace()
            guard i < p.count else { return nil }
            if p[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
            guard p[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            skipSpace()
            // One trailing comma.
            if i < p.count, p[i] == UInt8(ascii: "]") {
                i += 1
                return .array(items)
            }
        }
    }

    private mutating func object() -> JSONValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { return nil }
        i += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if i < p.count, p[i] == UInt8(ascii: "}") {
            i += 1
            return .object(members)
        }
        while true {
            guard i < p.count, p[i] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard i < p.count, p[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard let member = value() else { return nil }
            if members[key] == nil { members[key] = member }
            skipSpace()
            guard i < p.count else { return nil }
            if p[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            guard p[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            skipSpace()
            // One trailing comma.
            if i < p.count, p[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
        }
    }

    /// A string at `p[i]` (its opening quote).
    private mutating func string() -> String? {
        i += 1
        let start = i
        // The common case: no escapes.
        while i < p.count, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\") {
            if p[i] < 0x20 { return nil }
            i += 1
        }
        guard i < p.count else { return nil }
        if p[i] == UInt8(ascii: "\"") {
            i += 1
            return String(decoding: UnsafeBufferPointer(rebasing: p[start..<(i - 1)]), as: UTF8.self)
        }
        var bytes = Array(UnsafeBufferPointer(rebasing: p[start..<i]))
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if c < 0x20 { return nil }
            guard c == UInt8(ascii: "\\") else {
                bytes.append(c)
                i += 1
                continue
            }
            guard i + 1 < p.count else { return nil }
            i += 2
            switch p[i - 1] {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if scalar >= 0xDC00 && scalar <= 0xDFFF { return nil }
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else { return nil }
                    i += 2
                    guard let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                CharsetSniffer.appendUTF8(scalar, to: &bytes)
            default:
                return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard p.count - i >= 4 else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = p[i]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - 0x41 + 10)
            default: return nil
            }
            v = v << 4 | digit
            i += 1
        }
        return v
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, representable as a `Double`.
    private mutating func number() -> Double? {
        let start = i
        var nonZeroDigit = false
        if p[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            let from = i
            while i < p.count, p[i] >= 0x30 && p[i] <= 0x39 {
                if p[i] != 0x30 { nonZeroDigit = true }
                i += 1
            }
            return i - from
        }
        guard i < p.count else { return nil }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < p.count, p[i] >= 0x30 && p[i] <= 0x39 { return nil }
        } else if digits() == 0 {
            return nil
        }
        if i < p.count, p[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return nil }
        }
        let mantissaHasValue = nonZeroDigit
        if i < p.count, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            i += 1
            if i < p.count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
        guard let value = Double(text), value.isFinite, value != 0 || !mantissaHasValue else { return nil }
        return value
    }
}

/// A small ISO-8601 / RFC 3339 date reader (date, optional time, optional fraction and zone).
enum ISODate {
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8.prefix(64))
        var i = 0
        while i < b.count, b[i] == 0x20 { i += 1 }
        func number(_ digits: Int) -> Int? {
            guard i + digits <= b.count else { return nil }
            var v = 0
            for k in 0..<digits {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += digits
            return v
        }
        func skip(_ c: UInt8) -> Bool {
            if i < b.count, b[i] == c {
                i += 1
                return true
            }
            return false
        }
        guard let year = number(4), skip(UInt8(ascii: "-")), let month = number(2), skip(UInt8(ascii: "-")),
            let day = number(2), (1...12).contains(month), (1...31).contains(day), year > 1900
        else { return nil }
        var seconds = 0
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 0x20 {
            i += 1
            if let hour = number(2), skip(UInt8(ascii: ":")), let minute = number(2) {
                var second = 0
                if skip(UInt8(ascii: ":")), let s = number(2) { second = s }
                if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                    while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
                }
                seconds = hour * 3600 + minute * 60 + second
                while i < b.count, b[i] == 0x20 { i += 1 }
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    if let oh = number(2) {
                        _ = skip(UInt8(ascii: ":"))
                        let om = number(2) ?? 0
                        offset = sign * (oh * 3600 + om * 60)
                    }
                }
            }
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + seconds - offset))
    }
}
