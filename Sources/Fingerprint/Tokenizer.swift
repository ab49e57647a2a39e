/// Receives the normalized tokens of a text, in order.
protocol TokenSink {
    /// One token: its normalized UTF-8 bytes; `isCharacter` for a scalar of a script without spaces.
    mutating func token(_ bytes: UnsafeBufferPointer<UInt8>, isCharacter: Bool)
    /// The end of a paragraph (a line break in the text).
    mutating func paragraphBreak()
}

/// Splits UTF-8 text into normalized tokens in one pass over the bytes, without building Strings.
enum Tokenizer {
    /// The longest token kept, in bytes; longer tokens are cut (deterministically) at this length.
    static let maximumTokenBytes = 256

    /// Feeds the tokens of a UTF-8 buffer (valid UTF-8, as every Swift `String` holds) to a sink.
    @inline(__always)
    static func tokenize<Sink: TokenSink>(_ text: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        let table = FoldingTable.shared
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumTokenBytes + 4) { buffer in
            table.bmp.withUnsafeBufferPointer { bmp in
                table.fast.withUnsafeBufferPointer { fast in
                    table.pool.withUnsafeBufferPointer { pool in
                        guard let token = buffer.baseAddress, let bytes = text.baseAddress,
                            let direct = bmp.baseAddress, let quick = fast.baseAddress
                        else { return }
                        var state = TokenizerState(token: token)
                        // The token's length, kept out of `state` in the hot loop (in a register).
                        var length = 0
                        let count = text.count
                        var index = 0
                        while index < count {
                            let lead = UInt32(bytes[index])
                            let scalar: UInt32
                            if lead < 0x80 {
                                scalar = lead
                                index += 1
                            } else if lead < 0xE0, index + 1 < count {
                                scalar = (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                                index += 2
                            } else if lead < 0xF0, index + 2 < count {
                                scalar =
                                    (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                                    | UInt32(bytes[index + 2] & 0x3F)
                                index += 3
                            } else if index + 3 < count {
                                scalar =
                                    (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                                    | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                                index += 4
                            } else {
                                break
                            }
                            let entry: UInt32
                            if scalar < 0x10000 {
                                // The common cases straight from the fast table: a word scalar's
                                // UTF-8 bytes stored at once (the token buffer has 4 bytes of slack).
                                let action = quick[Int(scalar)]
                                let kind = action >> 24
                                if kind &- 1 < 3 {
                                    if length < maximumTokenBytes {
                                        UnsafeMutableRawPointer(token + length).storeBytes(
                                            of: action.littleEndian,
                                            as: UInt32.self
                                        )
                                        length &+= Int(kind)
                                    }
                                    continue
                                }
                                if kind == FoldingTable.Fast.separator {
                                    if length > 0 {
                                        sink.token(UnsafeBufferPointer(start: token, count: length), isCharacter: false)
                                        length = 0
                                    }
                                    continue
                                }
                                if kind == FoldingTable.Fast.drop { continue }
                                entry = direct[Int(scalar)]
                            } else {
                                entry = table.lookup(scalar)
                            }
                            state.length = length
                            if entry >> 24 == FoldingTable.Kind.multiple.rawValue {
                                // Pool entries are never `multiple` themselves.
                                let offset = Int((entry & 0xFF_FFFF) >> 8)
                                for part in 0..<Int(entry & 0xFF) {
                                    state.apply(pool[offset + part], into: &sink)
                                }
                            } else {
                                state.apply(entry, into: &sink)
                            }
                            length = state.length
                        }
                        state.length = length
                        state.flush(into: &sink)
                    }
                }
            }
        }
    }
}

/// The current token being built by ``Tokenizer``.
struct TokenizerState {
    let token: UnsafeMutablePointer<UInt8>
    var length = 0

    init(token: UnsafeMutablePointer<UInt8>) {
        self.token = token
    }

    @inline(__always)
    mutating func flush<Sink: TokenSink>(into sink: inout Sink) {
        if length > 0 {
            sink.token(UnsafeBufferPointer(start: token, count: length), isCharacter: false)
            length = 0
        }
    }

    @inline(__always)
    mutating func append(_ scalar: UInt32) {
        guard length < Tokenizer.maximumTokenBytes else { return }
        if scalar < 0x80 {
            token[length] = UInt8(truncatingIfNeeded: scalar)
            length += 1
        } else if scalar < 0x800 {
            token[length] = UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6)
            token[length + 1] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            length += 2
        } else if scalar < 0x10000 {
            token[length] = UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12)
            token[length + 1] = UInt8(truncatingIfNeeded: 0x80 | (scalar >> 6) & 0x3F)
            token[length + 2] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            length += 3
        } else {
            token[length] = UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18)
            token[length + 1] = UInt8(truncatingIfNeeded: 0x80 | (scalar >> 12) & 0x3F)
            token[length + 2] = UInt8(truncatingIfNeeded: 0x80 | (scalar >> 6) & 0x3F)
            token[length + 3] = UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F)
            length += 4
        }
    }

    /// Applies one encoded entry that is not ``FoldingTable/Kind/multiple``.
    @inline(__always)
    mutating func apply<Sink: TokenSink>(_ entry: UInt32, into sink: inout Sink) {
        let payload = entry & 0xFF_FFFF
        switch entry >> 24 {
        case FoldingTable.Kind.word.rawValue:
            append(payload)
        case FoldingTable.Kind.drop.rawValue:
            break
        case FoldingTable.Kind.paragraph.rawValue:
            flush(into: &sink)
            sink.paragraphBreak()
        case FoldingTable.Kind.character.rawValue:
            flush(into: &sink)
            append(payload)
            sink.token(UnsafeBufferPointer(start: token, count: length), isCharacter: true)
            length = 0
        default:
            flush(into: &sink)
        }
    }
}
