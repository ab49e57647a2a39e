internal import CLibXML2

/// Receives an HTML page from libxml2's HTML parser as a stream of element and text events.
///
/// Used by ``HTMLTree/parseAndWalk(utf8:url:maxBytes:maxDepth:visitor:)``. Every element gives
/// one ``startElement(_:)`` and, after its content, one ``endElement()`` (libxml2 closes
/// implied and unclosed elements itself, so the events always nest); character data gives
/// ``text(_:)``. Comments, processing instructions and the doctype give nothing.
public protocol HTMLEventVisitor {
    /// An element starts.
    ///
    /// - Parameter element: The element; valid only during this call.
    /// - Returns: Which of the element's content to receive.
    mutating func startElement(_ element: HTMLElementEvent) -> HTMLContentChoice

    /// The element last started (and not yet ended) ends.
    mutating func endElement()

    /// A run of character data (UTF-8, entities decoded). One text node may come in several runs.
    ///
    /// - Parameter bytes: The text; valid only during this call.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// What a visitor wants of an element's content.
public enum HTMLContentChoice: Sendable {
    /// Every event inside the element.
    case everything
    /// Only the text inside the element, at any depth (no element events).
    case textOnly
    /// Nothing inside the element.
    case nothing
}

/// One element met by a walk: its name and attributes, read from libxml2 without copying.
///
/// Valid only during the ``HTMLEventVisitor/startElement(_:)`` call that received it.
public struct HTMLElementEvent {
    private let rawName: UnsafePointer<xmlChar>?
    private let rawAttributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    init(name: UnsafePointer<xmlChar>?, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        rawName = name
        rawAttributes = attributes
    }

    /// The element's name as libxml2 read it (lower-case ASCII for HTML), without a NUL.
    public var name: UnsafeBufferPointer<UInt8> {
        guard let rawName else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: rawName, count: Int(xmlStrlen(rawName)))
    }

    /// The interned name: libxml2 keeps every element and attribute name it reads in its
    /// dictionary for the whole parse, so within one parse equal names share this pointer and a
    /// pointer never stands for two names. It can key a cache of name lookups.
    public var internedName: UnsafeRawPointer? { rawName.map { UnsafeRawPointer($0) } }

    /// The element's attributes in document order.
    public var attributes: HTMLAttributeSequence { HTMLAttributeSequence(pairs: rawAttributes) }
}

/// The attributes of an ``HTMLElementEvent``: name and value bytes, without copying.
public struct HTMLAttributeSequence: Sequence {
    let pairs: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

    /// One attribute: its name (lower-case in HTML; interned like element names) and value
    /// (`nil` when the attribute has none, as in `<p hidden>`). Entities are decoded.
    public typealias Element = (name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>?)

    /// Iterates over the attribute list.
    public struct Iterator: IteratorProtocol {
        var cursor: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

        /// The next attribute.
        ///
        /// - Returns: The attribute, or `nil` at the end.
        public mutating func next() -> Element? {
            guard let pair = cursor, let name = pair[0] else { return nil }
            cursor = pair + 2
            let nameBytes = UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name)))
            guard let value = pair[1] else { return (nameBytes, nil) }
            return (nameBytes, UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value))))
        }
    }

    /// Makes an iterator.
    ///
    /// - Returns: An iterator from the first attribute.
    public func makeIterator() -> Iterator { Iterator(cursor: pairs) }
}

/// How a ``HTMLTree/parseAndWalk(utf8:url:maxBytes:maxDepth:visitor:)`` went.
public struct HTMLWalkResult: Sendable, Equatable {
    /// Whether the parse stopped before the end of the input because elements nested deeper
    /// than the limit: everything after the first too-deep element is missing from the events.
    public var stoppedEarly: Bool
}

extension HTMLTree {
    /// Parses a page that is already UTF-8 with libxml2's HTML parser, giving `visitor` its
    /// elements and text in document order as libxml2 reads them (no tree is built).
    ///
    /// The fast path for extraction: the caller has decoded the page (so no second charset
    /// detection runs here). Invalid UTF-8 sequences are replaced by U+FFFD first, because
    /// libxml2 would otherwise switch the rest of the page to Latin-1. Parser options are the
    /// tree's own: recover, no network, no stderr output, the page's charset declaration ignored.
    ///
    /// libxml2 looks for an end tag's match down its whole stack of open elements, so nesting is
    /// capped: at `maxDepth` open elements (libxml2's own limit when it builds a tree) the parse
    /// stops and the result says so.
    ///
    /// - Parameters:
    ///   - utf8: The page as UTF-8 (no byte-order mark).
    ///   - url: The page's URL, if known.
    ///   - maxBytes: Pages larger than this are refused before parsing.
    ///   - maxDepth: The deepest nesting read before the parse stops.
    ///   - visitor: Receives the events.
    /// - Returns: Whether libxml2 read the whole page.
    /// - Throws: ``MarkupError/tooLarge(_:)`` above `maxBytes`, ``MarkupError/parseFailed(_:)``
    ///   when libxml2 cannot start a parse.
    @discardableResult
    public static func parseAndWalk<Visitor: HTMLEventVisitor>(
        utf8: [UInt8], url: String? = nil, maxBytes: Int = 32 << 20, maxDepth: Int = 256, visitor: inout Visitor
    ) throws(MarkupError) -> HTMLWalkResult {
        guard utf8.count <= maxBytes, utf8.count < Int(Int32.max) else { throw .tooLarge(utf8.count) }
        _ = libxml2Initialized
        var input = utf8
        if !input.withUnsafeBufferPointer(isValidUTF8) {
            input = Array(String(decoding: input, as: UTF8.self).utf8)
        }
        guard !input.isEmpty else { return HTMLWalkResult(stoppedEarly: false) }
        // A context reading the bytes as they are: `htmlCtxtReadMemory` with "UTF-8" would install
        // libxml2's UTF-8 "converter", which copies the whole page into a second, growing buffer.
        let created = input.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { htmlCreateMemoryParserCtxt($0.baseAddress, Int32($0.count)) }
        }
        guard let context = created else { throw .parseFailed("out of memory") }
        defer {
            if let document = context.pointee.myDoc {
                xmlFreeDoc(document)
                context.pointee.myDoc = nil
            }
            htmlFreeParserCtxt(context)
        }
        guard let handler = context.pointee.sax else { throw .parseFailed("no SAX handler") }
        // SAX1 callbacks only: no document is built, so nothing else is called.
        handler.pointee = xmlSAXHandler()
        handler.pointee.startElement = saxStartElement
        handler.pointee.endElement = saxEndElement
        handler.pointee.characters = saxCharacters
        handler.pointee.cdataBlock = saxCharacters
        handler.pointee.initialized = 1
        if let url, let source = context.pointee.input, source.pointee.filename == nil, let copy = xmlCharStrdup(url) {
            source.pointee.filename = UnsafeRawPointer(copy).assumingMemoryBound(to: CChar.self)
        }
        // UTF-8 is libxml2's own encoding: this only marks the input as such (no converter), so a
        // non-ASCII byte is never taken for Latin-1.
        xmlSwitchEncoding(context, XML_CHAR_ENCODING_UTF8)
        _ = htmlCtxtUseOptions(context, htmlSafeOptions)

        let sink = SAXSink(visitor: visitor, maxDepth: maxDepth)
        context.pointee._private = Unmanaged.passUnretained(sink as SAXSinkBase).toOpaque()
        defer { context.pointee._private = nil }
        withExtendedLifetime(sink) { _ = htmlParseDocument(context) }
        visitor = sink.visitor
        return HTMLWalkResult(stoppedEarly: sink.stopped)
    }
}

/// Whether `bytes` are well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
///
/// Runs of ASCII, most of a page, are checked eight bytes at a time.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let n = bytes.count
    var i = 0
    while i < n {
        while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        guard i < n else { return true }
        let lead = base[i]
        if lead < 0x80 {
            i += 1
            continue
        }
        // The allowed range of the second byte depends on the lead (Unicode table 3-7).
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return false
        }
        guard i + length <= n, base[i + 1] >= low, base[i + 1] <= high else { return false }
        var k = 2
        while k < length {
            guard base[i + k] & 0xC0 == 0x80 else { return false }
            k += 1
        }
        i += length
    }
    return true
}

/// The non-generic face of ``SAXSink`` that the C callbacks reach through the parser context.
class SAXSinkBase {
    func start(
        _ context: xmlParserCtxtPtr, _ name: UnsafePointer<xmlChar>?,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {}
    func end() {}
    func characters(_ bytes: UnsafePointer<xmlChar>, _ count: Int) {}

    /// Calls `body` with the sink of the parse that `context` (libxml2's user data) belongs to.
    @inline(__always)
    static func with(_ context: UnsafeMutableRawPointer?, _ body: (xmlParserCtxtPtr, SAXSinkBase) -> Void) {
        guard let context else { return }
        let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let opaque = parser.pointee._private else { return }
        Unmanaged<SAXSinkBase>.fromOpaque(opaque)._withUnsafeGuaranteedRef { body(parser, $0) }
    }
}

/// Forwards libxml2's SAX events to a visitor, applying its ``HTMLContentChoice`` and the depth cap.
final class SAXSink<Visitor: HTMLEventVisitor>: SAXSinkBase {
    /// The visitor, out of line: a class's stored `var` is checked for exclusive access at run
    /// time on every event, a pointer's pointee is not.
    private let visitorStorage: UnsafeMutablePointer<Visitor>
    let maxDepth: Int
    /// Open elements, as libxml2 sees them.
    var depth = 0
    /// Inside an element whose content is (partly) withheld: the depth at which it was opened.
    var withheldFrom = Int.max
    var withholdText = false
    var stopped = false

    init(visitor: Visitor, maxDepth: Int) {
        visitorStorage = .allocate(capacity: 1)
        visitorStorage.initialize(to: visitor)
        self.maxDepth = maxDepth
    }

    deinit {
        visitorStorage.deinitialize(count: 1)
        visitorStorage.deallocate()
    }

    /// The visitor as the events left it.
    var visitor: Visitor { visitorStorage.pointee }

    override func start(
        _ context: xmlParserCtxtPtr, _ name: UnsafePointer<xmlChar>?,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        guard !stopped else { return }
        depth += 1
        if depth > maxDepth {
            stopped = true
            xmlStopParser(context)
            return
        }
        guard depth <= withheldFrom else { return }
        switch visitorStorage.pointee.startElement(HTMLElementEvent(name: name, attributes: attributes)) {
        case .everything:
            break
        case .textOnly:
            withheldFrom = depth
            withholdText = false
        case .nothing:
            withheldFrom = depth
            withholdText = true
        }
    }

    override func end() {
        guard !stopped, depth > 0 else { return }
        defer { depth -= 1 }
        if depth > withheldFrom { return }
        if depth == withheldFrom {
            withheldFrom = Int.max
            withholdText = false
        }
        visitorStorage.pointee.endElement()
    }

    override func characters(_ bytes: UnsafePointer<xmlChar>, _ count: Int) {
        guard !stopped, count > 0, !(withholdText && depth >= withheldFrom) else { return }
        visitorStorage.pointee.text(UnsafeBufferPointer(start: bytes, count: count))
    }
}

private let saxStartElement: startElementSAXFunc = { context, name, attributes in
    SAXSinkBase.with(context) { parser, sink in sink.start(parser, name, attributes) }
}

private let saxEndElement: endElementSAXFunc = { context, _ in
    SAXSinkBase.with(context) { _, sink in sink.end() }
}

private let saxCharacters: charactersSAXFunc = { context, bytes, count in
    guard let bytes, count > 0 else { return }
    SAXSinkBase.with(context) { _, sink in sink.characters(bytes, Int(count)) }
}
