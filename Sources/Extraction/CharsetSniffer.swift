import Markup

/// Finds a page's character encoding and turns its bytes into UTF-8.
///
/// Order of precedence follows the HTML standard: a byte-order mark, then the HTTP
/// `Content-Type` charset, then `<meta charset>` / `http-equiv` in the first bytes of the page,
/// then a guess (UTF-8 when the bytes are valid UTF-8, else windows-1256 for pages that declare
/// Arabic, else windows-1252).
enum CharsetSniffer {
    /// A supported encoding.
    enum Encoding: Equatable {
        case utf8
        case utf16LE
        case utf16BE
        case singleByte(name: String, table: [UInt16])
        /// A charset with no table here (e.g. GBK, Shift_JIS), decoded through iconv.
        case external(String)

        var name: String {
            switch self {
            case .utf8: "utf-8"
            case .utf16LE: "utf-16le"
            case .utf16BE: "utf-16be"
            case .singleByte(let name, _): name
            case .external(let label): label.lowercased()
            }
        }
    }

    /// How far into the page a `<meta charset>` is looked for.
    static let prescanLimit = 16 * 1024

    /// Decides the encoding of `bytes`.
    static func sniff(_ bytes: [UInt8], contentType: String?) -> (encoding: Encoding, bomLength: Int) {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8, 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        if let contentType, let label = charsetParameter(in: Array(contentType.utf8)[...]) {
            if let encoding = encoding(forLabel: label) { return (encoding, 0) }
            if CharsetDecoder.isSupported(label) { return (.external(label), 0) }
        }
        let head = bytes.prefix(prescanLimit)
        if let label = metaCharset(in: head) {
            if let encoding = encoding(forLabel: label) {
                // A page that says UTF-16 in a meta tag is not UTF-16 (it could not have been read).
                if encoding == .utf16LE || encoding == .utf16BE { return (.utf8, 0) }
                return (encoding, 0)
            }
            if CharsetDecoder.isSupported(label) { return (.external(label), 0) }
        }
        if isValidUTF8(bytes.prefix(256 * 1024)) { return (.utf8, 0) }
        if declaresArabic(head), let table = encoding(forLabel: "windows-1256") { return (table, 0) }
        return (.singleByte(name: "windows-1252", table: SingleByteTables.windows1252), 0)
    }

    /// Returns the bytes as UTF-8 (invalid sequences are left for the final `String` repair).
    static func utf8Bytes(_ bytes: [UInt8], encoding: Encoding, bomLength: Int) -> [UInt8] {
        switch encoding {
        case .utf8:
            return bomLength == 0 ? bytes : Array(bytes[bomLength...])
        case .utf16LE, .utf16BE:
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = bomLength
            while i + 1 < bytes.count {
                let a = UInt16(bytes[i])
                let b = UInt16(bytes[i + 1])
                units.append(encoding == .utf16LE ? (b << 8 | a) : (a << 8 | b))
                i += 2
            }
            return Array(String(decoding: units, as: UTF16.self).utf8)
        case .external(let label):
            return (try? CharsetDecoder.utf8Bytes(bytes, charset: label)) ?? bytes
        case .singleByte(_, let table):
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 2)
            for byte in bytes {
                if byte < 0x80 {
                    out.append(byte)
                } else {
                    appendUTF8(UInt32(table[Int(byte) - 0x80]), to: &out)
                }
            }
            return out
        }
    }

    /// Appends one scalar value as UTF-8.
    @inline(__always)
    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        var v = value
        if v >= 0xD800 && v <= 0xDFFF || v > 0x10FFFF { v = 0xFFFD }
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Maps an encoding label (WHATWG names and common aliases) to a supported encoding.
    static func encoding(forLabel raw: String) -> Encoding? {
        let label = raw.lowercased().filter { $0 != "\"" && $0 != "'" && !$0.isWhitespace }
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return .utf8
        case "utf-16", "utf-16le", "unicode", "ucs-2": return .utf16LE
        case "utf-16be": return .utf16BE
        case "windows-1256", "cp1256", "x-cp1256", "ms-arab":
            return single("windows-1256", SingleByteTables.windows1256)
        case "iso-8859-6", "iso8859-6", "iso_8859-6", "arabic", "asmo-708", "ecma-114", "iso-ir-127", "csiso88596e",
            "csiso88596i", "iso-8859-6-e", "iso-8859-6-i":
            return single("iso-8859-6", SingleByteTables.iso88596)
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",
            "us-ascii", "ascii", "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "csisolatin1":
            return single("windows-1252", SingleByteTables.windows1252)
        case "windows-1250", "cp1250", "x-cp1250": return single("windows-1250", SingleByteTables.windows1250)
        case "windows-1251", "cp1251", "x-cp1251": return single("windows-1251", SingleByteTables.windows1251)
        case "windows-1253", "cp1253", "x-cp1253": return single("windows-1253", SingleByteTables.windows1253)
        case "windows-1254", "cp1254", "x-cp1254", "iso-8859-9", "iso8859-9", "latin5":
            return single("windows-1254", SingleByteTables.windows1254)
        case "windows-1255", "cp1255", "x-cp1255": return single("windows-1255", SingleByteTables.windows1255)
        case "windows-1257", "cp1257", "x-cp1257": return single("windows-1257", SingleByteTables.windows1257)
        case "windows-1258", "cp1258", "x-cp1258": return single("windows-1258", SingleByteTables.windows1258)
        case "iso-8859-2", "iso8859-2", "latin2": return single("iso-8859-2", SingleByteTables.iso88592)
        case "iso-8859-5", "iso8859-5", "cyrillic": return single("iso-8859-5", SingleByteTables.iso88595)
        case "iso-8859-7", "iso8859-7", "greek": return single("iso-8859-7", SingleByteTables.iso88597)
        case "iso-8859-8", "iso8859-8", "hebrew", "iso-8859-8-i": return single("iso-8859-8", SingleByteTables.iso88598)
        case "iso-8859-15", "iso8859-15", "latin9", "latin-9": return single("iso-8859-15", SingleByteTables.iso885915)
        case "koi8-r", "koi8", "koi": return single("koi8-r", SingleByteTables.koi8r)
        case "koi8-u", "koi8-ru": return single("koi8-u", SingleByteTables.koi8u)
        default: return nil
        }
    }

    private static func single(_ name: String, _ table: [UInt16]) -> Encoding {
        .singleByte(name: name, table: table)
    }

    /// Finds `charset=…` in a byte slice (a Content-Type value or a meta `content`).
    static func charsetParameter(in bytes: ArraySlice<UInt8>) -> String? {
        guard let at = find(Array("charset".utf8), in: bytes) else { return nil }
        var i = at + 7
        while i < bytes.endIndex, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < bytes.endIndex, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x22 || bytes[i] == 0x27 {
            i += 1
        }
        let start = i
        while i < bytes.endIndex, i - start < 40 {
            let c = bytes[i]
            let ok =
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x3A
            if !ok { break }
            i += 1
        }
        guard i > start else { return nil }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// Finds the charset declared by the first `<meta>` that declares one.
    static func metaCharset(in head: ArraySlice<UInt8>) -> String? {
        var from = head.startIndex
        while let at = find(Array("<meta".utf8), in: head[from...]) {
            var end = at + 5
            while end < head.endIndex, head[end] != UInt8(ascii: ">") { end += 1 }
            if let label = charsetParameter(in: head[at..<end]) { return label }
            from = end
            if from >= head.endIndex { break }
        }
        return nil
    }

    /// Case-insensitive ASCII search (needle must be lower-case).
    static func find(_ needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        let first = needle[0]
        var i = hay.startIndex
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] | 0x20 == first {
                var k = 1
                while k < needle.count, hay[i + k] | 0x20 == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    private static func declaresArabic(_ head: ArraySlice<UInt8>) -> Bool {
        find(Array("lang=\"ar".utf8), in: head) != nil || find(Array("lang=ar".utf8), in: head) != nil
            || find(Array("lang='ar".utf8), in: head) != nil
    }

    /// Strict UTF-8 validation; a sequence cut at the end of the slice counts as valid.
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer(isValidUTF8)
    }

    /// Strict UTF-8 validation; runs of ASCII (most of a page) are checked eight bytes at a time.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        let end = bytes.count
        while i < end {
            while i + 8 <= end, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < end else { return true }
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let need: Int
            if b >= 0xC2 && b <= 0xDF {
                need = 1
            } else if b >= 0xE0 && b <= 0xEF {
                need = 2
            } else if b >= 0xF0 && b <= 0xF4 {
                need = 3
            } else {
                return false
            }
            var k = 1
            while k <= need {
                if i + k >= end { return true }
                if bytes[i + k] & 0xC0 != 0x80 { return false }
                k += 1
            }
            i += need + 1
        }
        return true
    }
}
