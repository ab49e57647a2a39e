/// Byte-level rewrites of a UTF-8 feed before libxml2 sees it.
///
/// Two jobs: HTML named references such as `&eacute;` that XML does not define are turned into
/// numeric references (libxml2 would otherwise drop them), and, for documents that are not
/// well-formed, the common real-world faults are repaired so the recovery parse keeps the text:
/// junk before the first `<`, control characters, bare `&`, unknown entities and unclosed CDATA
/// sections. Bytes inside CDATA sections are never rewritten.
enum FeedPreprocessor {
    private static let ampersand = UInt8(ascii: "&")
    private static let semicolon = UInt8(ascii: ";")
    private static let cdataOpen = Array("<![CDATA[".utf8)
    private static let cdataClose = Array("]]>".utf8)
    private static let predefined: Set<String> = ["amp", "lt", "gt", "quot", "apos"]
    private static let predefinedBytes: [[UInt8]] = predefined.map { Array($0.utf8) }

    /// The document with undeclared HTML entities made numeric, or `nil` when it has none.
    static func translatingHTMLEntities(_ bytes: [UInt8]) -> [UInt8]? {
        guard mayNeedTranslation(bytes) else { return nil }
        let result = rewrite(bytes, repair: false)
        return result.changed ? result.bytes : nil
    }

    /// A quick scan: is there any named reference other than the five XML predefines?
    private static func mayNeedTranslation(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var index = 0
            while index < count {
                guard buffer[index] == ampersand else {
                    index += 1
                    continue
                }
                var end = index + 1
                while end < count, end - index <= 40, isNameByte(buffer[end]) { end += 1 }
                if end < count, buffer[end] == semicolon, end > index + 1, buffer[index + 1] != UInt8(ascii: "#") {
                    let length = end - index - 1
                    let start = index + 1
                    let isPredefined: Bool
                    switch length {
                    case 2:
                        isPredefined =
                            (buffer[start] == UInt8(ascii: "l") || buffer[start] == UInt8(ascii: "g"))
                            && buffer[start + 1] == UInt8(ascii: "t")
                    case 3:
                        isPredefined =
                            buffer[start] == UInt8(ascii: "a") && buffer[start + 1] == UInt8(ascii: "m")
                            && buffer[start + 2] == UInt8(ascii: "p")
                    case 4:
                        let word = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
                        isPredefined = word == "quot" || word == "apos"
                    default:
                        isPredefined = false
                    }
                    if !isPredefined { return true }
                }
                index = end
            }
            return false
        }
    }

    /// windows-1252's characters for 0x80–0x9F, indexed from 0x80 (0 where it defines none).
    private static let windows1252C1: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178,
    ]

    /// UTF-8 text with C1 control characters (U+0080–U+009F) replaced by the windows-1252
    /// characters they almost always stand for: text once decoded as ISO-8859-1 keeps curly
    /// quotes and dashes as C1 controls ("don\u{92}t" → "don’t"), as browsers and feedparser
    /// read them.
    static func mappingC1Controls(_ bytes: [UInt8]) -> [UInt8] {
        var replacedNamedReferences = false
        return mappingC1Controls(bytes, replacedNamedReferences: &replacedNamedReferences)
    }

    /// ``mappingC1Controls(_:)``, telling whether HTML named references were replaced (the
    /// document used references XML does not define, so it was not well-formed).
    static func mappingC1Controls(_ bytes: [UInt8], replacedNamedReferences: inout Bool) -> [UInt8] {
        guard bytes.contains(0xC2) || find(Array("&#".utf8), in: bytes, from: 0, before: bytes.count) != nil else {
            return bytes
        }
        var index = 0
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]),
                case let mapped = windows1252C1[Int(bytes[index + 1] - 0x80)], mapped != 0,
                let scalar = Unicode.Scalar(mapped)
            {
                result.append(contentsOf: Array(String(Character(scalar)).utf8))
                index += 2
                continue
            }
            if byte == UInt8(ascii: "&"), let (scalar, length) = doubleEncodedReferences(in: bytes, at: index) {
                let run = bytes[index..<(index + length)]
                if zip(run, run.dropFirst()).contains(where: { $0 == ampersand && $1 != UInt8(ascii: "#") }) {
                    replacedNamedReferences = true
                }
                result.append(contentsOf: Array("&#\(scalar.value);".utf8))
                index += length
                continue
            }
            if byte == UInt8(ascii: "&"), let (code, length) = numericReference(in: bytes, at: index),
                (0x80...0x9F).contains(code), case let mapped = windows1252C1[Int(code - 0x80)], mapped != 0
            {
                // "&#146;" → "&#8217;", as HTML reads numeric references in this range.
                result.append(contentsOf: Array("&#\(mapped);".utf8))
                index += length
                continue
            }
            result.append(byte)
            index += 1
        }
        return result
    }

    /// A character whose UTF-8 bytes were written one reference per byte, as when UTF-8 text is
    /// read as ISO-8859-1 and escaped again (`&#226;&#128;&#166;` or `&acirc;&#128;&brvbar;` for
    /// "…"): the character and the byte length of the references, if the run at `start` is
    /// exactly one well-formed multi-byte UTF-8 sequence.
    private static func doubleEncodedReferences(in bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        guard let (lead, leadLength) = latin1Reference(in: bytes, at: start), (0xC2...0xF4).contains(lead) else {
            return nil
        }
        let continuations = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1
        var sequence = [UInt8(lead)]
        var index = start + leadLength
        for _ in 0..<continuations {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "&"),
                let (code, length) = latin1Reference(in: bytes, at: index), (0x80...0xBF).contains(code)
            else { return nil }
            sequence.append(UInt8(code))
            index += length
        }
        guard let decoded = String(validating: sequence, as: UTF8.self),
            let scalar = decoded.unicodeScalars.first
        else { return nil }
        return (scalar, index - start)
    }

    /// The code point (up to U+00FF) and byte length of a numeric or HTML named reference at
    /// `start`.
    private static func latin1Reference(in bytes: [UInt8], at start: Int) -> (UInt32, Int)? {
        if let (code, length) = numericReference(in: bytes, at: start) {
            return code <= 0xFF ? (code, length) : nil
        }
        var end = start + 1
        while end < bytes.count, end - start <= 10, isNameByte(bytes[end]) { end += 1 }
        // The five XML names (the common case, `&amp;` and `&lt;` in escaped HTML) are ASCII.
        guard end > start + 2, end < bytes.count, bytes[end] == semicolon,
            !(end - start <= 5 && predefinedBytes.contains { $0.elementsEqual(bytes[(start + 1)..<end]) }),
            let value = HTMLEntities.table[String(decoding: bytes[(start + 1)..<end], as: UTF8.self)],
            value.unicodeScalars.count == 1, let scalar = value.unicodeScalars.first, scalar.value <= 0xFF
        else { return nil }
        return (scalar.value, end + 1 - start)
    }

    /// The code point and byte length of a numeric character reference (`&#146;`, `&#x92;`)
    /// starting at `start`, if there is one.
    private static func numericReference(in bytes: [UInt8], at start: Int) -> (UInt32, Int)? {
        var index = start + 1
        guard index < bytes.count, bytes[index] == UInt8(ascii: "#") else { return nil }
        index += 1
        var hex = false
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "x") {
            hex = true
            index += 1
        }
        var value: UInt32 = 0
        let digitsStart = index
        while index < bytes.count, index - digitsStart < 8 {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                value = value * (hex ? 16 : 10) + UInt32(byte - 0x30)
            } else if hex, (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "f") {
                value = value * 16 + UInt32((byte | 0x20) - UInt8(ascii: "a") + 10)
            } else {
                break
            }
            index += 1
        }
        guard index > digitsStart, index < bytes.count, bytes[index] == UInt8(ascii: ";") else { return nil }
        return (value, index + 1 - start)
    }

    /// The document with the `encoding` pseudo-attribute of its XML declaration removed: the
    /// bytes are already UTF-8, and libxml2 rejects some labels iconv understood (`437`).
    static func droppingDeclaredEncoding(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard bytes.count - start > 5, bytes[start..<(start + 5)].elementsEqual("<?xml".utf8),
            let close = find(Array("?>".utf8), in: bytes, from: start, before: min(bytes.count, start + 512)),
            let attribute = find(Array("encoding".utf8), in: bytes, from: start, before: close)
        else { return bytes }
        var end = attribute + 8
        while end < close, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "=")].contains(bytes[end]) { end += 1 }
        guard end < close, bytes[end] == UInt8(ascii: "\"") || bytes[end] == UInt8(ascii: "'") else { return bytes }
        let quote = bytes[end]
        end += 1
        while end < close, bytes[end] != quote { end += 1 }
        guard end < close else { return bytes }
        var result = Array(bytes[..<attribute])
        result.append(contentsOf: bytes[(end + 1)...])
        return result
    }

    /// The document with entities translated and common well-formedness faults repaired.
    static func repaired(_ bytes: [UInt8]) -> [UInt8] {
        rewrite(bytes, repair: true).bytes
    }

    private static func rewrite(_ input: [UInt8], repair: Bool) -> (bytes: [UInt8], changed: Bool) {
        let declared = declaredEntities(input)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 16)
        var changed = false
        var index = 0
        let count = input.count
        if repair, let first = input.firstIndex(of: UInt8(ascii: "<")), first > 0 {
            index = first
            changed = true
        }
        while index < count {
            let byte = input[index]
            if byte == UInt8(ascii: "<"), input[index...].starts(with: cdataOpen) {
                let bodyStart = index + cdataOpen.count
                let close = find(cdataClose, in: input, from: bodyStart, before: count)
                let nextOpen = find(cdataOpen, in: input, from: bodyStart, before: close ?? count)
                if let close, nextOpen == nil {
                    output.append(contentsOf: input[index..<(close + cdataClose.count)])
                    index = close + cdataClose.count
                    continue
                }
                guard repair else {
                    output.append(contentsOf: input[index...])
                    break
                }
                // Unclosed: end it before the next end tag (the element that held it).
                let limit = nextOpen ?? count
                let endTag = find(Array("</".utf8), in: input, from: bodyStart, before: limit) ?? limit
                output.append(contentsOf: input[index..<endTag])
                output.append(contentsOf: cdataClose)
                index = endTag
                changed = true
                continue
            }
            if repair, byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                index += 1
                changed = true
                continue
            }
            if byte == ampersand {
                let (replacement, consumed) = reference(in: input, at: index, declared: declared, repair: repair)
                if let replacement {
                    output.append(contentsOf: replacement)
                    changed = true
                } else {
                    output.append(contentsOf: input[index..<(index + consumed)])
                }
                index += consumed
                continue
            }
            output.append(byte)
            index += 1
        }
        return (output, changed)
    }

    /// Looks at the reference starting at `index` (an `&`); returns its replacement, if it needs
    /// one, and how many bytes it spans.
    private static func reference(
        in input: [UInt8],
        at index: Int,
        declared: Set<String>,
        repair: Bool
    ) -> (replacement: [UInt8]?, consumed: Int) {
        var end = index + 1
        let count = input.count
        if end < count, input[end] == UInt8(ascii: "#") {
            end += 1
            var hex = false
            if end < count, input[end] == UInt8(ascii: "x") || input[end] == UInt8(ascii: "X") {
                hex = true
                end += 1
            }
            let digitsStart = end
            while end < count, end - digitsStart < 10, isDigit(input[end], hex: hex) { end += 1 }
            if end > digitsStart, end < count, input[end] == semicolon {
                // XML only knows "&#x"; "&#X41;" is repaired to "&#x41;".
                if repair, hex, input[index + 2] == UInt8(ascii: "X") {
                    var fixed = Array(input[index..<(end + 1)])
                    fixed[2] = UInt8(ascii: "x")
                    return (fixed, end + 1 - index)
                }
                return (nil, end + 1 - index)
            }
            return (repair ? Array("&amp;".utf8) : nil, 1)
        }
        while end < count, end - index <= 40, isNameByte(input[end]) { end += 1 }
        guard end > index + 1, end < count, input[end] == semicolon else {
            return (repair ? Array("&amp;".utf8) : nil, 1)
        }
        let name = String(decoding: input[(index + 1)..<end], as: UTF8.self)
        if predefined.contains(name) || declared.contains(name) {
            return (nil, end + 1 - index)
        }
        if let value = HTMLEntities.table[name] {
            var replacement: [UInt8] = []
            for scalar in value.unicodeScalars {
                replacement.append(contentsOf: "&#x\(String(scalar.value, radix: 16));".utf8)
            }
            return (replacement, end + 1 - index)
        }
        return (repair ? Array("&amp;".utf8) : nil, 1)
    }

    /// Names declared with `<!ENTITY name` in the internal subset (not parameter entities).
    private static func declaredEntities(_ input: [UInt8]) -> Set<String> {
        let marker = Array("<!ENTITY".utf8)
        var names: Set<String> = []
        var from = 0
        // The internal subset precedes the root element; looking at the first 64 KiB is enough.
        let limit = min(input.count, 65_536)
        while let start = find(marker, in: input, from: from, before: limit) {
            var index = start + marker.count
            while index < limit, input[index] == 0x20 || input[index] == 0x09 || input[index] == 0x0A { index += 1 }
            let nameStart = index
            while index < limit, isNameByte(input[index]) { index += 1 }
            if index > nameStart {
                names.insert(String(decoding: input[nameStart..<index], as: UTF8.self))
            }
            from = index
        }
        return names
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func isDigit(_ byte: UInt8, hex: Bool) -> Bool {
        if byte >= 0x30 && byte <= 0x39 { return true }
        return hex && ((byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46))
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, before end: Int) -> Int? {
        guard let first = needle.first else { return nil }
        var index = start
        let last = end - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
