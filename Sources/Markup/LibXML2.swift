internal import CLibXML2

/// One-time libxml2 set-up: `xmlInitParser()` and the deny-all external entity loader.
///
/// A global `let` is initialised exactly once, atomically, on first use, so every parse can
/// touch it without a lock.
let libxml2Initialized: Bool = {
    xmlInitParser()
    CLibXML2_installDenyAllEntityLoader()
    return true
}()

/// Options for feed and other XML input: no network, entities substituted (so libxml2's
/// amplification checks run), no output on stderr, the document's own encoding label ignored
/// (the bytes are already UTF-8). Never `XML_PARSE_HUGE`, never `DTDLOAD`.
let xmlSafeOptions: Int32 = Int32(
    XML_PARSE_NONET.rawValue | XML_PARSE_NOENT.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_NOCDATA.rawValue
)

/// Options for HTML pages: recover from anything, no network, no stderr output.
let htmlSafeOptions: Int32 = Int32(
    HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
)

/// The libxml2 error codes that mean "entity expansion refused" (amplification, loops).
let entityExpansionCodes: Set<Int32> = [Int32(XML_ERR_ENTITY_LOOP.rawValue)]

/// Collects the structured errors libxml2 reports during one parse.
final class ErrorSink {
    /// At most this many messages are kept; the count goes on.
    static let limit = 50
    var messages: [String] = []
    var codes: Set<Int32> = []
    var count = 0
}

/// The structured-error callback: `userData` is the parser context, whose `_private` field
/// holds the ``ErrorSink`` of the parse in progress.
let collectError: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let sinkPointer = context.pointee._private else { return }
    let sink = Unmanaged<ErrorSink>.fromOpaque(sinkPointer).takeUnretainedValue()
    sink.count += 1
    sink.codes.insert(error.pointee.code)
    guard sink.messages.count < ErrorSink.limit else { return }
    var message = error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)"
    while message.last == "\n" || message.last == " " { message.removeLast() }
    let line = error.pointee.line
    sink.messages.append(line > 0 ? "line \(line): \(message)" : message)
}

/// Makes an owned, NUL-free copy of a libxml2 string and frees it.
func takeXMLString(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    defer { CLibXML2_free(pointer) }
    return String(cString: pointer)
}

/// Reads a libxml2 string without taking ownership.
func xmlString(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}
