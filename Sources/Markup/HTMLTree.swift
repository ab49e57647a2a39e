internal import CLibXML2

/// A parsed HTML document, owning libxml2's tree.
///
/// The page is decoded to UTF-8 first: byte-order mark, then the HTTP charset, then
/// `<meta charset>` / `http-equiv`, then UTF-8 (any charset glibc's iconv knows, e.g.
/// windows-1256). libxml2's HTML parser then recovers from anything, without network access
/// and without writing to stderr.
///
/// Not `Sendable`: one tree belongs to one task; ``Node`` values are valid while it lives.
public final class HTMLTree {
    private let document: htmlDocPtr

    /// The charset the page was decoded from.
    public let encoding: String
    /// Contradictions between the declared charset and the bytes.
    public let warnings: [String]

    /// Parses an HTML page.
    ///
    /// - Parameters:
    ///   - bytes: The page as received (any charset).
    ///   - encoding: The charset from HTTP, if known; a byte-order mark still wins over it.
    ///   - url: The page's URL (recorded as the document URL).
    ///   - maxBytes: Pages larger than this are refused before parsing.
    /// - Throws: ``MarkupError/tooLarge(_:)``, or ``MarkupError/parseFailed(_:)`` when libxml2
    ///   returns no document.
    public init(bytes: [UInt8], encoding: String? = nil, url: String? = nil, maxBytes: Int = 32 << 20)
        throws(MarkupError)
    {
        guard bytes.count <= maxBytes, bytes.count < Int(Int32.max) else { throw .tooLarge(bytes.count) }
        let decoded = CharsetDecoder.decodeDocument(bytes, transportCharset: encoding, html: true)
        document = try Self.parse(utf8: decoded.utf8, url: url)
        self.encoding = decoded.encoding
        warnings = decoded.warnings
    }

    /// Parses a fragment of HTML (such as a feed entry's content) as the body of a document.
    ///
    /// - Parameter fragment: The HTML markup.
    /// - Throws: ``MarkupError/parseFailed(_:)`` when libxml2 returns no document.
    public init(fragment: String) throws(MarkupError) {
        var utf8: [UInt8] = Array("<!DOCTYPE html><html><body>".utf8)
        utf8.append(contentsOf: fragment.utf8)
        utf8.append(contentsOf: "</body></html>".utf8)
        document = try Self.parse(utf8: utf8, url: nil)
        encoding = "UTF-8"
        warnings = []
    }

    private static func parse(utf8: [UInt8], url: String?) throws(MarkupError) -> htmlDocPtr {
        _ = libxml2Initialized
        // libxml2 returns no document for empty input; an empty page is still a page.
        let input = utf8.isEmpty ? Array("<html></html>".utf8) : utf8
        guard let context = htmlNewParserCtxt() else { throw .parseFailed("out of memory") }
        defer { htmlFreeParserCtxt(context) }
        let parsed: htmlDocPtr? = input.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), url, "UTF-8", htmlSafeOptions)
            }
        }
        guard let parsed else {
            let message = xmlString(
                context.pointee.lastError.message.map { UnsafeRawPointer($0) }?
                    .assumingMemoryBound(to: xmlChar.self))
            throw .parseFailed(message ?? "no document")
        }
        return parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The libxml2 document, for the module's own helpers.
    var documentPointer: htmlDocPtr { document }

    /// The `<html>` element.
    public var root: Node? {
        xmlDocGetRootElement(document).map { Node(UnsafeMutableRawPointer($0)) }
    }

    /// The `<body>` element, if the page has one.
    public var body: Node? {
        root?.children.first { $0.hasName("body") }
    }

    /// The `<head>` element, if the page has one.
    public var head: Node? {
        root?.children.first { $0.hasName("head") }
    }
}
