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
            h =
                ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57))
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

    /// The 64-bit hash of one token's bytes (scheme version 2), built like wyhash (final version).
    ///
    /// With s₀ = 0xA076_1D64_78BD_642F, s₁ = 0xE703_7ED1_A0B4_28DB and fold(a, b) the XOR of the
    /// high and low halves of the 128-bit product a·b: inputs of 1–3 bytes read
    /// a = p[0]·2¹⁶ | p[n/2]·2⁸ | p[n−1], b = 0; 4–16 bytes read a = r32(0)·2³² | r32(4⌊n/8⌋),
    /// b = r32(n−4)·2³² | r32(n−4−4⌊n/8⌋) (little-endian 32-bit reads, overlapping); longer inputs
    /// fold each 16-byte block i (while more than 16 bytes remain) into
    /// seed = fold(r64(i) ⊕ s₁, r64(i+8) ⊕ seed), then read a = r64(n−16), b = r64(n−8). The result
    /// is fold(s₁ ⊕ n, fold(a ⊕ s₁, b ⊕ seed)) with seed initially s₀ (and s₀ alone for no bytes).
    /// Tokens are short, so this costs a fraction of XXH64's byte-at-a-time tail.
    ///
    /// - Parameters:
    ///   - bytes: The token's UTF-8 bytes.
    /// - Returns: The 64-bit hash.
    @inline(__always)
    public static func tokenHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let secret0: UInt64 = 0xA076_1D64_78BD_642F
        let secret1: UInt64 = 0xE703_7ED1_A0B4_28DB
        let length = bytes.count
        guard let base = bytes.baseAddress, length > 0 else { return secret0 }
        var seed = secret0
        let a: UInt64
        let b: UInt64
        if length <= 16 {
            if length >= 4 {
                let step = (length >> 3) << 2
                a = load32(base, 0) << 32 | load32(base, step)
                b = load32(base, length - 4) << 32 | load32(base, length - 4 - step)
            } else {
                let first = UInt64(base.load(fromByteOffset: 0, as: UInt8.self))
                let middle = UInt64(base.load(fromByteOffset: length >> 1, as: UInt8.self))
                let last = UInt64(base.load(fromByteOffset: length - 1, as: UInt8.self))
                a = first << 16 | middle << 8 | last
                b = 0
            }
        } else {
            var offset = 0
            while length - offset > 16 {
                seed = fold(load64(base, offset) ^ secret1, load64(base, offset + 8) ^ seed)
                offset += 16
            }
            a = load64(base, length - 16)
            b = load64(base, length - 8)
        }
        return fold(secret1 ^ UInt64(length), fold(a ^ secret1, b ^ seed))
    }

    /// The XOR of the two halves of the 128-bit product of `a` and `b`.
    @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
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

    /// ``combine(_:)`` of values given as their XXH64 rounds (`round(0, value)` each), so that a
    /// value shared by several shingles is mixed once.
    @inline(__always)
    static func combine(rounds: UnsafePointer<UInt64>, count: Int) -> UInt64 {
        var h = prime5 &+ UInt64(count &* 8)
        for index in 0..<count {
            h ^= rounds[index]
            h = ((h << 27) | (h >> 37)) &* prime1 &+ prime4
        }
        return avalanche(h)
    }

    /// SplitMix64's finalizer: a bijective 64-bit mixer (every output bit depends on every input bit).
    @inline(__always)
    static func mix64(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
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
