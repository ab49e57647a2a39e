/// Named character references: the ones news pages actually use. Numeric references are
/// decoded in full; an unknown name is kept as written.
enum HTMLEntities {
    static let named: [String: UInt32] = [
        "nbsp": 0x00A0,
        "amp": 0x0026,
        "lt": 0x003C,
        "gt": 0x003E,
        "quot": 0x0022,
        "apos": 0x0027,
        "copy": 0x00A9,
        "reg": 0x00AE,
        "trade": 0x2122,
        "mdash": 0x2014,
        "ndash": 0x2013,
        "hellip": 0x2026,
        "lsquo": 0x2018,
        "rsquo": 0x2019,
        "ldquo": 0x201C,
        "rdquo": 0x201D,
        "sbquo": 0x201A,
        "bdquo": 0x201E,
        "laquo": 0x00AB,
        "raquo": 0x00BB,
        "lsaquo": 0x2039,
        "rsaquo": 0x203A,
        "bull": 0x2022,
        "middot": 0x00B7,
        "deg": 0x00B0,
        "plusmn": 0x00B1,
        "times": 0x00D7,
        "divide": 0x00F7,
        "frac12": 0x00BD,
        "frac14": 0x00BC,
        "frac34": 0x00BE,
        "sup1": 0x00B9,
        "sup2": 0x00B2,
        "sup3": 0x00B3,
        "euro": 0x20AC,
        "pound": 0x00A3,
        "yen": 0x00A5,
        "cent": 0x00A2,
        "sect": 0x00A7,
        "para": 0x00B6,
        "shy": 0x00AD,
        "thinsp": 0x2009,
        "ensp": 0x2002,
        "emsp": 0x2003,
        "zwnj": 0x200C,
        "zwj": 0x200D,
        "lrm": 0x200E,
        "rlm": 0x200F,
        "iexcl": 0x00A1,
        "iquest": 0x00BF,
        "micro": 0x00B5,
        "prime": 0x2032,
        "Prime": 0x2033,
        "dagger": 0x2020,
        "Dagger": 0x2021,
        "permil": 0x2030,
        "larr": 0x2190,
        "rarr": 0x2192,
        "uarr": 0x2191,
        "darr": 0x2193,
        "harr": 0x2194,
        "hearts": 0x2665,
        "acute": 0x00B4,
        "cedil": 0x00B8,
        "ordf": 0x00AA,
        "ordm": 0x00BA,
        "macr": 0x00AF,
        "uml": 0x00A8,
        "not": 0x00AC,
        "brvbar": 0x00A6,
        "curren": 0x00A4,
        "Agrave": 0x00C0,
        "Aacute": 0x00C1,
        "Acirc": 0x00C2,
        "Atilde": 0x00C3,
        "Auml": 0x00C4,
        "Aring": 0x00C5,
        "AElig": 0x00C6,
        "Ccedil": 0x00C7,
        "Egrave": 0x00C8,
        "Eacute": 0x00C9,
        "Ecirc": 0x00CA,
        "Euml": 0x00CB,
        "Igrave": 0x00CC,
        "Iacute": 0x00CD,
        "Icirc": 0x00CE,
        "Iuml": 0x00CF,
        "ETH": 0x00D0,
        "Ntilde": 0x00D1,
        "Ograve": 0x00D2,
        "Oacute": 0x00D3,
        "Ocirc": 0x00D4,
        "Otilde": 0x00D5,
        "Ouml": 0x00D6,
        "Oslash": 0x00D8,
        "Ugrave": 0x00D9,
        "Uacute": 0x00DA,
        "Ucirc": 0x00DB,
        "Uuml": 0x00DC,
        "Yacute": 0x00DD,
        "THORN": 0x00DE,
        "szlig": 0x00DF,
        "agrave": 0x00E0,
        "aacute": 0x00E1,
        "acirc": 0x00E2,
        "atilde": 0x00E3,
        "auml": 0x00E4,
        "aring": 0x00E5,
        "aelig": 0x00E6,
        "ccedil": 0x00E7,
        "egrave": 0x00E8,
        "eacute": 0x00E9,
        "ecirc": 0x00EA,
        "euml": 0x00EB,
        "igrave": 0x00EC,
        "iacute": 0x00ED,
        "icirc": 0x00EE,
        "iuml": 0x00EF,
        "eth": 0x00F0,
        "ntilde": 0x00F1,
        "ograve": 0x00F2,
        "oacute": 0x00F3,
        "ocirc": 0x00F4,
        "otilde": 0x00F5,
        "ouml": 0x00F6,
        "oslash": 0x00F8,
        "ugrave": 0x00F9,
        "uacute": 0x00FA,
        "ucirc": 0x00FB,
        "uuml": 0x00FC,
        "yacute": 0x00FD,
        "thorn": 0x00FE,
        "yuml": 0x00FF,
        "OElig": 0x0152,
        "oelig": 0x0153,
        "Scaron": 0x0160,
        "scaron": 0x0161,
        "Yuml": 0x0178,
        "fnof": 0x0192,
        "circ": 0x02C6,
        "tilde": 0x02DC,
        "alpha": 0x03B1,
        "beta": 0x03B2,
        "gamma": 0x03B3,
        "delta": 0x03B4,
        "epsilon": 0x03B5,
        "pi": 0x03C0,
        "sigma": 0x03C3,
        "omega": 0x03C9,
        "mu": 0x03BC,
        "lambda": 0x03BB,
        "theta": 0x03B8,
        "infin": 0x221E,
        "ne": 0x2260,
        "le": 0x2264,
        "ge": 0x2265,
        "asymp": 0x2248,
        "minus": 0x2212,
        "sum": 0x2211,
        "radic": 0x221A,
    ]

    /// Windows-1252 meanings of the C1 range in numeric references (`&#150;` is an en dash).
    static let c1Replacements: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Appends `bytes[range]` to `out`, decoding character references.
    static func appendDecoded(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into out: inout [UInt8]) {
        var i = start
        while i < end {
            let c = p[i]
            if c != UInt8(ascii: "&") {
                out.append(c)
                i += 1
                continue
            }
            if let (value, length) = reference(p, at: i, end: end) {
                CharsetSniffer.appendUTF8(value, to: &out)
                i += length
            } else {
                out.append(c)
                i += 1
            }
        }
    }

    /// Decodes the reference starting at `p[at]` (an ampersand): the scalar and the bytes consumed.
    static func reference(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> (UInt32, Int)? {
        var i = at + 1
        guard i < end else { return nil }
        if p[i] == UInt8(ascii: "#") {
            i += 1
            var hex = false
            if i < end, p[i] | 0x20 == UInt8(ascii: "x") {
                hex = true
                i += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while i < end, digits < 8 {
                let c = p[i]
                let d: UInt32
                if c >= 0x30 && c <= 0x39 {
                    d = UInt32(c - 0x30)
                } else if hex, c | 0x20 >= 0x61, c | 0x20 <= 0x66 {
                    d = UInt32((c | 0x20) - 0x61 + 10)
                } else {
                    break
                }
                value = value * (hex ? 16 : 10) + d
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if i < end, p[i] == UInt8(ascii: ";") { i += 1 }
            if value >= 0x80 && value <= 0x9F { value = c1Replacements[Int(value - 0x80)] }
            if value == 0 { value = 0xFFFD }
            return (value, i - at)
        }
        let nameStart = i
        while i < end, i - nameStart < 10 {
            let c = p[i]
            let alnum = (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
            if !alnum { break }
            i += 1
        }
        guard i > nameStart else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: p[nameStart..<i]), as: UTF8.self)
        guard let value = named[name] else { return nil }
        if i < end, p[i] == UInt8(ascii: ";") {
            i += 1
        } else if !(name == "amp" || name == "lt" || name == "gt" || name == "nbsp" || name == "quot") {
            return nil
        }
        return (value, i - at)
    }
}
