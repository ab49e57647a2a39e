internal import CLibXML2

/// A parsed XML document, owning libxml2's tree.
///
/// Parsing is safe for hostile input: no network, no external entities or DTDs (a deny-all
/// loader answers every request), and internal entities are expanded under libxml2's
/// amplification limits, so "billion laughs" and quadratic blowups fail with
/// ``MarkupError/entityExpansion(_:)`` instead of eating memory. The bytes are decoded to UTF-8
/// first (see ``CharsetDecoder/decodeDocument(_:transportCharset:html:)``).
///
/// Not `Sendable`: one tree belongs to one task; ``Node`` values are valid while it lives.
public final class XMLTree {
    private let document: xmlDocPtr

    /// Whether the document was well-formed XML (false when it was recovered).
    public let wellFormed: Bool
    /// libxml2's error messages, one line each (at most 50).
    public let errors: [String]
    /// The charset the document was decoded from.
    public let encoding: String
    /// Contradictions between the declared charset and the bytes.
    public let warnings: [String]

    /// Parses an XML document.
    ///
    /// - Parameters:
    ///   - bytes: The document as received (any charset).
    ///   - encoding: The charset from HTTP, if known; a byte-order mark still wins over it.
    ///   - url: The document's URL, used as the base for `xml:base` resolution.
    ///   - maxBytes: Inputs larger than this are refused before parsing.
    ///   - recover: `true` to build a tree from ill-formed input as far as libxml2 can;
    ///     `false` to fail unless the document is well-formed.
    /// - Throws: ``MarkupError/tooLarge(_:)``, ``MarkupError/entityExpansion(_:)``, or
    ///   ``MarkupError/parseFailed(_:)`` when no tree could be built.
    public init(
        bytes: [UInt8],
        encoding: String? = nil,
        url: String? = nil,
        maxBytes: Int = 32 << 20,
        recover: Bool = true
    ) throws(MarkupError) {
        guard bytes.count <= maxBytes, bytes.count < Int(Int32.max) else { throw .tooLarge(bytes.count) }
        _ = libxml2Initialized
        let decoded = CharsetDecoder.decodeDocument(bytes, transportCharset: encoding, html: false)
        guard let context = xmlNewParserCtxt() else { throw .parseFailed("out of memory") }
        defer { xmlFreeParserCtxt(context) }
        let sink = ErrorSink()
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }
        context.pointee._private = sinkPointer.toOpaque()
        context.pointee.sax.pointee.serror = collectError
        var options = xmlSafeOptions
        if recover { options |= Int32(XML_PARSE_RECOVER.rawValue) }
        guard !decoded.utf8.isEmpty else { throw .parseFailed("empty document") }
        let parsed: xmlDocPtr? = decoded.utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), url, "UTF-8", options)
            }
        }
        let expansion = !sink.codes.isDisjoint(with: entityExpansionCodes)
        if expansion {
            if let parsed { xmlFreeDoc(parsed) }
            throw .entityExpansion(sink.messages.first ?? "entity amplification limit reached")
        }
        guard let parsed else {
            throw .parseFailed(sink.messages.first ?? "no document")
        }
        document = parsed
        // Namespace errors (an undeclared prefix) leave `wellFormed` set but clear `nsWellFormed`.
        // Bytes invalid in their charset make the document ill-formed even if libxml2 never saw them.
        wellFormed = context.pointee.wellFormed != 0 && context.pointee.nsWellFormed != 0 && !decoded.bytesWereInvalid
        errors = sink.messages
        self.encoding = decoded.encoding
        warnings = decoded.warnings
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// The libxml2 document, for the module's own helpers.
    var documentPointer: xmlDocPtr { document }

    /// The document element, if there is one.
    public var root: Node? {
        xmlDocGetRootElement(document).map { Node(UnsafeMutableRawPointer($0)) }
    }
}

extension Node {
    /// Gives the element a new name (a sanitizer restoring the case of SVG names, which the
    /// HTML parser lower-cases).
    ///
    /// - Parameter name: The new name.
    public func rename(to name: String) {
        xmlNodeSetName(rawPointer.assumingMemoryBound(to: xmlNode.self), name)
    }

    /// The namespace URIs this element declares with `xmlns` or `xmlns:prefix`, in document order
    /// (whether or not anything uses them).
    public var declaredNamespaceURIs: [String] {
        var uris: [String] = []
        var namespace = rawPointer.assumingMemoryBound(to: xmlNode.self).pointee.nsDef
        while let current = namespace {
            if let href = current.pointee.href {
                uris.append(String(cString: UnsafeRawPointer(href).assumingMemoryBound(to: CChar.self)))
            }
            namespace = current.pointee.next
        }
        return uris
    }
}
