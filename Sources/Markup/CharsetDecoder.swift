#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Converts bytes in any charset glibc's iconv knows into Unicode, and finds which charset a
/// document uses.
///
/// Decoding is lenient: an invalid or truncated sequence becomes U+FFFD and decoding goes on, so
/// one bad byte never costs the whole document. Charset names are matched case-insensitively and
/// the usual web aliases are applied (`latin1` and `us-ascii` mean windows-1252, `gb2312` and
/// `gbk` mean GB18030, `x-sjis` means Shift_JIS), as browsers do.
public enum CharsetDecoder {
    /// Decodes `bytes` written in `charset` into a string.
    ///
    /// - Parameters:
    ///   - bytes: The encoded bytes.
    ///   - charset: An IANA or glibc charset name, e.g. `windows-1256`, `KOI8-R`, `Shift_JIS`.
    /// - Returns: The text; invalid sequences are replaced by U+FFFD.
    /// - Throws: ``MarkupError/encoding(_:)`` when the charset is unknown.
    public static func decode(_ bytes: [UInt8], charset: String) throws(MarkupError) -> String {
        let utf8 = try utf8Bytes(bytes, charset: charset)
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Decodes `bytes` written in `charset` into UTF-8 bytes.
    ///
    /// A leading byte-order mark is dropped from the result.
    ///
    /// - Parameters:
    ///   - bytes: The encoded bytes.
    ///   - charset: An IANA or glibc charset name.
    /// - Returns: UTF-8 bytes; invalid sequences are replaced by U+FFFD.
    /// - Throws: ``MarkupError/encoding(_:)`` when the charset is unknown.
    public static func utf8Bytes(_ bytes: [UInt8], charset: String) throws(MarkupError) -> [UInt8] {
        let name = canonicalName(charset)
        if name == "UTF-8" {
            var start = 0
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            let body = bytes[start...]
            if isValidUTF8(body) { return Array(body) }
            return Array(String(decoding: body, as: UTF8.self).utf8)
        }
        return try iconvToUTF8(bytes, from: name)
    }

    /// The `charset` parameter of an HTTP `Content-Type` header value.
    ///
    /// - Parameter contentType: A header value such as `text/xml; charset="windows-1251"`.
    /// - Returns: The charset name without quotes, or `nil` when there is none.
    public static func charset(fromContentType contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingASCIIWhitespace().lowercased()
            guard key == "charset" else { continue }
            var value = pair[1].trimmingASCIIWhitespace()
            if value.hasPrefix("\"") || value.hasPrefix("'") { value.removeFirst() }
            if value.hasSuffix("\"") || value.hasSuffix("'") { value.removeLast() }
            value = value.trimmingASCIIWhitespace()
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Whether glibc's iconv can decode the named charset.
    ///
    /// - Parameter charset: A charset name.
    /// - Returns: `true` when ``decode(_:charset:)`` accepts it.
    public static func isSupported(_ charset: String) -> Bool {
        let name = canonicalName(charset)
        if name == "UTF-8" || builtinSingleByte[name] != nil { return true }
        let converter = iconv_open("UTF-8", name)
        if converter == iconv_t(bitPattern: -1) { return false }
        iconv_close(converter)
        return true
    }

    /// Decodes a whole XML or HTML document to UTF-8, choosing its charset the way browsers and
    /// feed readers do.
    ///
    /// The order is: byte-order mark, then `transportCharset` (HTTP), then the document's own
    /// declaration (`<?xml encoding>` for XML, `<meta charset>` / `http-equiv` for HTML), then
    /// UTF-8. A declaration that contradicts the bytes is corrected where the evidence is clear
    /// and reported in ``DecodedDocument/warnings``: bytes that are not UTF-8 under a UTF-8 label
    /// are read as windows-1252, and valid multi-byte UTF-8 under a single-byte Latin label is
    /// read as UTF-8.
    ///
    /// - Parameters:
    ///   - bytes: The document as received.
    ///   - transportCharset: The charset from the HTTP `Content-Type`, if any.
    ///   - html: `true` to look for `<meta>` declarations, `false` for the XML declaration.
    /// - Returns: The UTF-8 bytes (without BOM), the charset used and any warnings.
    public static func decodeDocument(
        _ bytes: [UInt8],
        transportCharset: String?,
        html: Bool
    ) -> DecodedDocument {
        var warnings: [String] = []
        var label: String
        var source: String
        if let bom = byteOrderMark(bytes) {
            label = bom
            source = "byte-order mark"
        } else if let transport = transportCharset, !transport.isEmpty {
            label = transport
            source = "HTTP charset"
        } else if let declared = html ? metaCharset(bytes) : xmlDeclarationCharset(bytes) {
            label = declared
            source = "document declaration"
        } else if !html, bytes.starts(with: ebcdicDeclarationStart) {
            // XML 1.0 appendix F: `<?xm` in EBCDIC; the declaration itself names the code page.
            let head = (try? iconvToUTF8(Array(bytes.prefix(512)), from: "IBM037")) ?? []
            label = xmlDeclarationCharset(head) ?? "IBM037"
            source = "document declaration"
        } else {
            label = "UTF-8"
            source = "default"
        }
        var invalid = false
        var name = canonicalName(label)
        if name != "UTF-8" && !isSupported(name) {
            warnings.append("unknown charset \(label) (\(source)); decoded as UTF-8")
            name = "UTF-8"
        }
        if name == "UTF-8" {
            var start = 0
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            if isValidUTF8(bytes[start...]) {
                return DecodedDocument(utf8: Array(bytes[start...]), encoding: "UTF-8", warnings: warnings)
            }
            invalid = true
            if source != "byte-order mark" {
                warnings.append("bytes are not UTF-8 as declared (\(source)); decoded as windows-1252")
                if let utf8 = try? iconvToUTF8(bytes, from: "WINDOWS-1252") {
                    return DecodedDocument(
                        utf8: utf8, encoding: "windows-1252", warnings: warnings, bytesWereInvalid: true
                    )
                }
            } else {
                warnings.append("invalid UTF-8 sequences replaced")
            }
            let repaired = Array(String(decoding: bytes[start...], as: UTF8.self).utf8)
            return DecodedDocument(utf8: repaired, encoding: "UTF-8", warnings: warnings, bytesWereInvalid: invalid)
        }
        if isSingleByte(name), containsMultiByteUTF8(bytes), isValidUTF8(bytes[...]) {
            warnings.append("declared \(label) (\(source)) but bytes are UTF-8; decoded as UTF-8")
            return DecodedDocument(utf8: bytes, encoding: "UTF-8", warnings: warnings)
        }
        if let converted = try? iconvToUTF8Reporting(bytes, from: name) {
            var result = converted.utf8
            if result.starts(with: [0xEF, 0xBB, 0xBF]) { result.removeFirst(3) }
            if converted.replaced { warnings.append("invalid \(label) sequences replaced") }
            return DecodedDocument(
                utf8: result,
                encoding: displayName(label, canonical: name),
                warnings: warnings,
                bytesWereInvalid: converted.replaced
            )
        }
        warnings.append("cannot decode as \(label); decoded as UTF-8")
        return DecodedDocument(
            utf8: Array(String(decoding: bytes, as: UTF8.self).utf8),
            encoding: "UTF-8",
            warnings: warnings,
            bytesWereInvalid: true
        )
    }

    // MARK: - Sniffing

    /// The charset named by a byte-order mark at the start of `bytes`.
    static func byteOrderMark(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "UTF-8" }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32LE" }
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return "UTF-32BE" }
        if bytes.starts(with: [0xFF, 0xFE]) { return "UTF-16LE" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "UTF-16BE" }
        // XML 1.0 appendix F: `<?` in UTF-16 without a mark.
        if bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) { return "UTF-16LE" }
        if bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F]) { return "UTF-16BE" }
        return nil
    }

    /// `<?xm` in EBCDIC code pages (the invariant characters of IBM037, IBM500 and the like).
    private static let ebcdicDeclarationStart: [UInt8] = [0x4C, 0x6F, 0xA7, 0x94]

    /// The `encoding` pseudo-attribute of a leading XML declaration.
    static func xmlDeclarationCharset(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(512))
        var index = 0
        while index < head.count, isASCIISpace(head[index]) { index += 1 }
        guard head[index...].starts(with: Array("<?xml".utf8)) else { return nil }
        guard let end = find(Array("?>".utf8), in: head, from: index) else { return nil }
        let declaration = Array(head[index..<end])
        guard let position = find(Array("encoding".utf8), in: declaration, from: 0) else { return nil }
        return attributeValue(declaration, after: position + 8)
    }

    /// The charset of the first `<meta charset>` or `<meta http-equiv content="…charset=…">`
    /// in the first 4 KiB, as the HTML prescan does.
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(4096).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        var from = 0
        while let start = find(Array("<meta".utf8), in: head, from: from) {
            let end = head[start...].firstIndex(of: UInt8(ascii: ">")) ?? head.count
            let tag = Array(head[start..<end])
            if let position = find(Array("charset".utf8), in: tag, from: 0),
                let value = attributeValue(tag, after: position + 7), !value.isEmpty
            {
                return value
            }
            from = end
        }
        return nil
    }

    /// Reads `= "value"` (quotes optional) starting at `index`.
    private static func attributeValue(_ bytes: [UInt8], after index: Int) -> String? {
        var index = index
        while index < bytes.count, isASCIISpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
        index += 1
        while index < bytes.count, isASCIISpace(bytes[index]) || bytes[index] == 0x22 || bytes[index] == 0x27 {
            index += 1
        }
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if isASCIISpace(byte) || byte == 0x22 || byte == 0x27 || byte == UInt8(ascii: ";")
                || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "/")
            {
                break
            }
            end += 1
        }
        guard end > index else { return nil }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    // MARK: - Names

    /// Whether a canonical charset name is a single-byte charset. Text in one of these is
    /// practically never valid UTF-8 with multi-byte sequences, so such bytes under such a label
    /// are UTF-8 with a wrong label (a common server default).
    private static func isSingleByte(_ name: String) -> Bool {
        name.hasPrefix("WINDOWS-125") || name.hasPrefix("ISO-8859-") || name.hasPrefix("ISO8859-")
            || name.hasPrefix("KOI8") || name == "CP874" || name.hasPrefix("CP125") || name.hasPrefix("IBM")
            || name.hasPrefix("CP8") || name.hasPrefix("MAC")
    }

    /// Maps a label to the name iconv knows, applying the web's aliases.
    static func canonicalName(_ label: String) -> String {
        let upper = label.trimmingASCIIWhitespace().uppercased()
        switch upper {
        case "UTF8", "UTF-8", "UNICODE-1-1-UTF-8", "X-UNICODE20UTF8":
            return "UTF-8"
        case "US-ASCII", "ASCII", "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "L1", "CP1252", "X-CP1252",
            "CP819", "IBM819", "WINDOWS-1252":
            return "WINDOWS-1252"
        case "GB2312", "GBK", "X-GBK", "CP936", "GB_2312-80", "CHINESE", "EUC-CN":
            return "GB18030"
        case "X-SJIS", "SJIS", "SHIFT-JIS", "MS_KANJI", "WINDOWS-31J", "CSSHIFTJIS", "SHIFT_JIS":
            return "CP932"
        case "TIS-620", "ISO-8859-11", "WINDOWS-874", "DOS-874", "TIS620":
            return "CP874"
        case "BIG5", "BIG5-HKSCS", "CN-BIG5", "X-X-BIG5":
            return "BIG5-HKSCS"
        case "KS_C_5601-1987", "EUC-KR", "WINDOWS-949", "KOREAN":
            return "CP949"
        case "UTF-16", "UTF16":
            return "UTF-16"
        case "MACROMAN", "MAC-ROMAN", "X-MAC-ROMAN", "CSMACINTOSH":
            return "MACINTOSH"
        case "MACCENTRALEUROPE", "MACLATIN2", "MAC-LATIN2", "X-MAC-CENTRALEURROMAN", "X-MAC-CE":
            return "MAC-CENTRALEUROPE"
        case "MACICELAND", "X-MAC-ICELANDIC":
            return "MAC-IS"
        case "CP-IS", "CP_IS", "CSIBM861":
            return "CP861"
        case "X-MAC-CYRILLIC", "MAC-CYRILLIC":
            return "MACCYRILLIC"
        case "IBM039", "CP039":
            return "IBM037"
        case "CP1140":
            return "IBM1140"
        case "MACGREEK", "MAC-GREEK", "X-MAC-GREEK", "MAC_GREEK":
            return "MACGREEK"
        case "MACTURKISH", "MAC-TURKISH", "X-MAC-TURKISH", "MAC_TURKISH":
            return "MACTURKISH"
        default:
            if upper.hasPrefix("EBCDIC_") { return upper.replacingUnderscores() }
            if upper.hasPrefix("WINDOWS_") { return "WINDOWS-" + upper.dropFirst(8) }
            if upper.hasPrefix("CP125") { return "WINDOWS-125" + upper.dropFirst(5) }
            if upper.hasPrefix("X-MAC-") { return "MAC" }
            return upper
        }
    }

    /// The name reported for a decoded document: the label as given when it is a real name.
    private static func displayName(_ label: String, canonical: String) -> String {
        switch canonical {
        case "WINDOWS-1252": return "windows-1252"
        case "CP932": return "Shift_JIS"
        case "CP874": return "windows-874"
        case "BIG5-HKSCS": return "Big5"
        case "CP949": return "EUC-KR"
        default:
            return canonical.hasPrefix("WINDOWS-") ? canonical.lowercased() : canonical
        }
    }

    // MARK: - Conversion

    /// Single-byte Mac code pages glibc's iconv lacks: the characters for 0x80–0xFF (Apple's
    /// published mappings); 0x00–0x7F are ASCII.
    private static let builtinSingleByte: [String: [UInt16]] = [
        "MACGREEK": [
            0x00C4, 0x00B9, 0x00B2, 0x00C9, 0x00B3, 0x00D6, 0x00DC, 0x0385, 0x00E0, 0x00E2, 0x00E4, 0x0384, 0x00A8,
            0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00A3, 0x2122, 0x00EE, 0x00EF, 0x2022, 0x00BD, 0x2030, 0x00F4,
            0x00F6, 0x00A6, 0x20AC, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x0393, 0x0394, 0x0398, 0x039B, 0x039E, 0x03A0,
            0x00DF, 0x00AE, 0x00A9, 0x03A3, 0x03AA, 0x00A7, 0x2260, 0x00B0, 0x00B7, 0x0391, 0x00B1, 0x2264, 0x2265,
            0x00A5, 0x0392, 0x0395, 0x0396, 0x0397, 0x0399, 0x039A, 0x039C, 0x03A6, 0x03AB, 0x03A8, 0x03A9, 0x03AC,
            0x039D, 0x00AC, 0x039F, 0x03A1, 0x2248, 0x03A4, 0x00AB, 0x00BB, 0x2026, 0x00A0, 0x03A5, 0x03A7, 0x0386,
            0x0388, 0x0153, 0x2013, 0x2015, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x0389, 0x038A, 0x038C, 0x038E,
            0x03AD, 0x03AE, 0x03AF, 0x03CC, 0x038F, 0x03CD, 0x03B1, 0x03B2, 0x03C8, 0x03B4, 0x03B5, 0x03C6, 0x03B3,
            0x03B7, 0x03B9, 0x03BE, 0x03BA, 0x03BB, 0x03BC, 0x03BD, 0x03BF, 0x03C0, 0x03CE, 0x03C1, 0x03C3, 0x03C4,
            0x03B8, 0x03C9, 0x03C2, 0x03C7, 0x03C5, 0x03B6, 0x03CA, 0x03CB, 0x0390, 0x03B0, 0x00AD,
        ],
        "MACTURKISH": [
            0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5,
            0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3, 0x00F2, 0x00F4,
            0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6,
            0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8, 0x221E, 0x00B1, 0x2264, 0x2265,
            0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF,
            0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB, 0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5,
            0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x011E,
            0x011F, 0x0130, 0x0131, 0x015E, 0x015F, 0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
            0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9,
            0xF8A0, 0x02C6, 0x02DC, 0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
        ],
    ]

    /// Decodes a ``builtinSingleByte`` code page.
    private static func decodeSingleByte(_ bytes: [UInt8], table: [UInt16]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 4)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else if let scalar = Unicode.Scalar(table[Int(byte - 0x80)]) {
                output.append(contentsOf: String(Character(scalar)).utf8)
            }
        }
        return output
    }

    private static func iconvToUTF8(_ bytes: [UInt8], from name: String) throws(MarkupError) -> [UInt8] {
        try iconvToUTF8Reporting(bytes, from: name).utf8
    }

    /// Converts with iconv; `replaced` tells whether any invalid sequence became U+FFFD.
    private static func iconvToUTF8Reporting(_ bytes: [UInt8], from name: String) throws(MarkupError)
        -> (utf8: [UInt8], replaced: Bool)
    {
        if let table = builtinSingleByte[name] { return (decodeSingleByte(bytes, table: table), false) }
        let converter = iconv_open("UTF-8", name)
        if converter == iconv_t(bitPattern: -1) {
            throw MarkupError.encoding("unknown charset \(name)")
        }
        defer { iconv_close(converter) }
        if bytes.isEmpty { return ([], false) }
        var replaced = false
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var written = 0
        var input = bytes
        input.withUnsafeMutableBufferPointer { inputBuffer in
            guard let inputBase = inputBuffer.baseAddress else { return }
            var inputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBase)
                .assumingMemoryBound(to: CChar.self)
            var inputLeft = inputBuffer.count
            while true {
                if output.count - written < 16 {
                    output.append(contentsOf: repeatElement(0, count: max(output.count, 64)))
                }
                let capacity = output.count - written
                var outputLeft = capacity
                let result = output.withUnsafeMutableBufferPointer { outputBuffer -> Int in
                    guard let outputBase = outputBuffer.baseAddress else { return 0 }
                    var outputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBase + written)
                        .assumingMemoryBound(to: CChar.self)
                    if inputLeft == 0 {
                        return iconv(converter, nil, nil, &outputPointer, &outputLeft)
                    }
                    return iconv(converter, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
                }
                let failure = result == -1 ? errno : 0
                written += capacity - outputLeft
                if result != -1 {
                    if inputLeft == 0 { break }
                    continue
                }
                switch failure {
                case E2BIG:
                    output.append(contentsOf: repeatElement(0, count: output.count))
                case EILSEQ, EINVAL:
                    // Invalid (EILSEQ) or truncated (EINVAL) input: emit U+FFFD and skip one byte.
                    if output.count - written < 3 {
                        output.append(contentsOf: repeatElement(0, count: 64))
                    }
                    output[written] = 0xEF
                    output[written + 1] = 0xBF
                    output[written + 2] = 0xBD
                    written += 3
                    replaced = true
                    if inputLeft > 0 {
                        inputPointer = inputPointer.map { $0 + 1 }
                        inputLeft -= 1
                    }
                    if inputLeft == 0 { return }
                default:
                    return
                }
            }
        }
        output.removeSubrange(written...)
        return (output, replaced)
    }

    // MARK: - Byte helpers

    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        // Fast path: plain ASCII.
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            while index < count {
                let lead = buffer[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                var lower: UInt8 = 0x80
                var upper: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0:
                    length = 3
                    lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED:
                    length = 3
                    upper = 0x9F
                case 0xF0:
                    length = 4
                    lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4:
                    length = 4
                    upper = 0x8F
                default: return false
                }
                guard index + length <= count else { return false }
                let second = buffer[index + 1]
                guard second >= lower && second <= upper else { return false }
                var offset = 2
                while offset < length {
                    guard buffer[index + offset] & 0xC0 == 0x80 else { return false }
                    offset += 1
                }
                index += length
            }
            return true
        }
    }

    private static func containsMultiByteUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.contains { $0 >= 0xC2 && $0 <= 0xF4 }
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }
}

/// A document decoded to UTF-8 by ``CharsetDecoder/decodeDocument(_:transportCharset:html:)``.
public struct DecodedDocument: Sendable {
    /// The document as UTF-8 bytes, without a byte-order mark.
    public var utf8: [UInt8]
    /// The charset the bytes were decoded from (IANA-style name).
    public var encoding: String
    /// Contradictions found between the declared charset and the bytes (one line each).
    public var warnings: [String]
    /// `true` when the bytes were not valid in the charset that governed them (a fallback
    /// charset was used or sequences were replaced): such a document is not well-formed XML.
    public var bytesWereInvalid: Bool

    /// Creates a decoded document.
    ///
    /// - Parameters:
    ///   - utf8: The UTF-8 bytes.
    ///   - encoding: The charset used.
    ///   - warnings: Warnings about the charset.
    ///   - bytesWereInvalid: Whether the bytes were invalid in the governing charset.
    public init(utf8: [UInt8], encoding: String, warnings: [String], bytesWereInvalid: Bool = false) {
        self.utf8 = utf8
        self.encoding = encoding
        self.warnings = warnings
        self.bytesWereInvalid = bytesWereInvalid
    }
}

extension StringProtocol {
    /// The string with every `_` replaced by `-` (`EBCDIC_CP_BE` → `EBCDIC-CP-BE`).
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }

    /// The string without leading and trailing ASCII whitespace.
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[start..<end])
        return String(result)
    }
}
