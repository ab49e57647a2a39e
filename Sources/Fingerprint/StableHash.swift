/// Fixed 64-bit hashes whose values never depend on the process, the machine or the Swift version.
///
/// Signatures are stored and compared across restarts, so the hashes behind them are spelled out
/// here instead of coming from `Hasher` (which is seeded per process). ``xxh64(_:seed:)`` is
/// XXH64 as published (golden-value tests pin it); ``combine(_:)`` mixes the token hashes of one
/// shingle with XXH64's round and avalanche functions.
public enum StableHash {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always)
    static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        var acc = accumulator &+ input &* prime2
        acc = (acc << 31) | (acc >> 33)
        return acc &* prime1
    }

    @inline(__always)
    static func mergeRound(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        let acc = accumulator ^ round(0, value)
        return acc &* prime1 &+ prime4
    }

    @inline(__always)
    static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* prime2
        h ^= h >> 29
        h = h &* prime3
        h ^= h >> 32
        return h
    }

    @inline(__always)
    static func load64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    static func load32(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    /// The XXH64 hash of a byte buffer.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to hash.
    ///   - seed: The XXH64 seed.
    /// - Returns: The 64-bit hash, identical to the reference implementation's.
    public static func xxh64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let length = bytes.count
        guard let base = bytes.baseAddress, length > 0 else {
            return avalanche(seed &+ prime5)
        }
        var offset = 0
        var h: UInt64
        if length >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while offset + 32 <= length {
                v1 = round(v1, load64(base, offset))
                v2 = round(v2, load64(base, offset + 8))
                v3 = round(v3, load64(base, offset + 16))
                v4 = round(v4, load64(base, offset + 24))
                offset += 32
            }
            h = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57))
                &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            h = mergeRound(h, v1)
            h = mergeRound(h, v2)
            h = mergeRound(h, v3)
            h = mergeRound(h, v4)
        } else {
            h = seed &+ prime5
        }
        h = h &+ UInt64(length)
        while offset + 8 <= length {
            h ^= round(0, load64(base, offset))
            h = ((h << 27) | (h >> 37)) &* prime1 &+ prime4
            offset += 8
        }
        if offset + 4 <= length {
            h ^= load32(base, offset) &* prime1
            h = ((h << 23) | (h >> 41)) &* prime2 &+ prime3
            offset += 4
        }
        while offset < length {
            h ^= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* prime5
            h = ((h << 11) | (h >> 53)) &* prime1
            offset += 1
        }
        return avalanche(h)
    }

    /// The XXH64 hash of a string's UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - string: The string to hash.
    ///   - seed: The XXH64 seed.
    /// - Returns: The 64-bit hash.
    public static func xxh64(_ string: String, seed: UInt64 = 0) -> UInt64 {
        var copy = string
        return copy.withUTF8 { xxh64(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// Mixes an ordered sequence of 64-bit token hashes into one shingle hash.
    ///
    /// Equivalent to XXH64's tail processing of the values as 8-byte lanes (seed 0, length
    /// `8 × count`), so the result depends on every value and on their order.
    ///
    /// - Parameters:
    ///   - values: The token hashes, in order.
    /// - Returns: The 64-bit shingle hash.
    @inline(__always)
    public static func combine(_ values: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var h = prime5 &+ UInt64(values.count &* 8)
        for value in values {
            h ^= round(0, value)
            h = ((h << 27) | (h >> 37)) &* prime1 &+ prime4
        }
        return avalanche(h)
    }

    /// The SplitMix64 generator step: advances `state` and returns the next value.
    @inline(__always)
    static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
