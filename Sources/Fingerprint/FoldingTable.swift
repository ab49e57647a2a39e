/// The per-scalar folding behind ``TextNormalizer``: what each Unicode scalar becomes.
///
/// Every scalar maps to one encoded entry: the top byte is the ``Kind``, the low 24 bits the folded
/// scalar (or, for a multi-scalar fold, a pool offset and count). The Basic Multilingual Plane is a
/// direct 64 Ki-entry array built once from the generated `encoded` table and the scalar's general
/// category; other planes use a binary search in the (small) generated table and the category.
struct FoldingTable: Sendable {
    /// What a scalar does to the token stream.
    enum Kind: UInt32 {
        /// Part of a word: append the folded scalar to the current token.
        case word = 0
        /// A script written without spaces (Han, kana, Thai, …): a token on its own.
        case character = 1
        /// Ends the current token.
        case separator = 2
        /// Ignored entirely (format and bidi controls, tashkeel, tatweel).
        case drop = 3
        /// Several scalars: the payload is `poolOffset << 8 | count` into ``pool``.
        case multiple = 4
        /// Ends the current token and the current paragraph.
        case paragraph = 5
    }

    /// The shared table, built on first use.
    static let shared = FoldingTable()

    let bmp: [UInt32]
    /// The tokenizer's view of ``bmp``: what most scalars do, with the folded scalar already
    /// encoded as UTF-8 (see ``Fast``).
    let fast: [UInt32]
    let pool: [UInt32]
    let supplementKeys: [UInt32]
    let supplementValues: [UInt32]

    /// The top byte of a ``fast`` entry; for a word scalar, the low 24 bits are the folded scalar's
    /// UTF-8 bytes, first byte lowest.
    enum Fast {
        /// Ends the current token.
        static let separator: UInt32 = 0
        // 1, 2 and 3: part of a word whose folded scalar takes that many UTF-8 bytes.
        /// Ignored entirely.
        static let drop: UInt32 = 4
        /// Anything else: apply the ``bmp`` entry.
        static let other: UInt32 = 5
    }

    /// The ``fast`` entry of a BMP entry.
    static func fastEntry(_ entry: UInt32) -> UInt32 {
        let payload = entry & 0xFF_FFFF
        switch entry >> 24 {
        case Kind.word.rawValue where payload < 0x80:
            return 1 << 24 | payload
        case Kind.word.rawValue where payload < 0x800:
            return 2 << 24 | (0x80 | payload & 0x3F) << 8 | (0xC0 | payload >> 6)
        case Kind.word.rawValue where payload < 0x10000:
            return 3 << 24 | (0x80 | payload & 0x3F) << 16 | (0x80 | (payload >> 6) & 0x3F) << 8
                | (0xE0 | payload >> 12)
        case Kind.separator.rawValue:
            return Fast.separator << 24
        case Kind.drop.rawValue:
            return Fast.drop << 24
        default:
            return Fast.other << 24
        }
    }

    @inline(__always)
    static func entry(_ kind: Kind, _ payload: UInt32) -> UInt32 {
        kind.rawValue << 24 | payload
    }

    init() {
        var folds: [UInt32: [UInt32]] = [:]
        for item in Self.encoded.split(separator: ";") {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let key = UInt32(parts[0], radix: 16) else { continue }
            folds[key] = parts[1].split(separator: ",").compactMap { UInt32($0, radix: 16) }
        }
        var pool: [UInt32] = []
        func encode(_ scalar: UInt32) -> UInt32 {
            guard let fold = folds[scalar] else { return Self.classify(scalar) }
            switch fold.count {
            case 0:
                return Self.entry(.drop, 0)
            case 1:
                return Self.classify(fold[0])
            default:
                let offset = UInt32(pool.count)
                pool.append(contentsOf: fold.map(Self.classify))
                return Self.entry(.multiple, offset << 8 | UInt32(fold.count))
            }
        }
        var bmp = [UInt32](repeating: Self.entry(.separator, 0), count: 0x10000)
        for scalar in UInt32(0)..<0x10000 where !(0xD800...0xDFFF).contains(scalar) {
            bmp[Int(scalar)] = encode(scalar)
        }
        var keys: [UInt32] = []
        var values: [UInt32] = []
        for key in folds.keys.sorted() where key >= 0x10000 {
            keys.append(key)
            values.append(encode(key))
        }
        self.bmp = bmp
        self.fast = bmp.map(Self.fastEntry)
        self.pool = pool
        self.supplementKeys = keys
        self.supplementValues = values
    }

    /// The entry of a scalar that the generated table leaves unchanged, from its category.
    static func classify(_ value: UInt32) -> UInt32 {
        switch value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029:
            return entry(.paragraph, 0)
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0x200B...0x200F, 0x2060...0x206F, 0xFEFF:
            return entry(.drop, 0)
        default:
            break
        }
        guard let scalar = Unicode.Scalar(value) else { return entry(.separator, 0) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return entry(isCharacterScript(value) ? .character : .word, value)
        case .format:
            return entry(.drop, 0)
        default:
            return entry(.separator, 0)
        }
    }

    /// Whether a scalar belongs to a script usually written without spaces between words.
    static func isCharacterScript(_ value: UInt32) -> Bool {
        switch value {
        case 0x0E00...0x0EFF,  // Thai, Lao
            0x1000...0x109F,  // Myanmar
            0x1780...0x17FF,  // Khmer
            0x3040...0x30FF, 0x31F0...0x31FF,  // Hiragana, Katakana
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,  // Han
            0x20000...0x3FFFF:  // Han, supplementary planes
            return true
        default:
            return false
        }
    }

    /// The encoded entry of any scalar value.
    @inline(__always)
    func lookup(_ scalar: UInt32) -> UInt32 {
        if scalar < 0x10000 {
            return bmp.withUnsafeBufferPointer { $0[Int(scalar)] }
        }
        var low = 0
        var high = supplementKeys.count
        while low < high {
            let middle = (low + high) / 2
            if supplementKeys[middle] < scalar { low = middle + 1 } else { high = middle }
        }
        if low < supplementKeys.count, supplementKeys[low] == scalar {
            return supplementValues[low]
        }
        return Self.classify(scalar)
    }
}
