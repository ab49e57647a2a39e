/// A map from string ids to 32-bit values, by a 64-bit hash of the id's UTF-8 bytes.
///
/// The map keeps no keys: each entry is the upper half of the id's hash (its tag) above the value
/// plus one (0 = empty), in one open-addressing table with linear probing and a load of at most
/// 3/4. A lookup compares tags and asks the caller whether a candidate value's id is the one
/// sought (the caller keeps the ids, by value), so an absent id costs one hash and usually one
/// cache line. Removal shifts the rest of the probe run back (no tombstones). Growth doubles the
/// table and moves entries in table order; their new home comes from the stored tag, so no id is
/// hashed again.
///
/// Ids are equal when their UTF-8 bytes are equal. The hash is seeded per map, so an attacker who
/// chooses ids (URLs) cannot aim them at one probe run.
struct IDMap: ~Copyable {
    /// The number of values in the map.
    private(set) var count = 0
    private var table: BucketTable
    private var mask: Int
    private let seed: UInt64

    /// Creates an empty map.
    ///
    /// - Parameters:
    ///   - seed: The hash seed.
    init(seed: UInt64) {
        self.seed = seed
        table = BucketTable(count: 64)
        mask = 63
    }

    /// The hash of `id` under this map's seed.
    ///
    /// - Parameters:
    ///   - id: The id.
    /// - Returns: Its 64-bit hash.
    func hash(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { Self.hash($0, seed: seed) }
    }

    /// A 64-bit hash of `bytes` (multiply-fold over 8-byte words, then a full avalanche).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let count = bytes.count
        var h = seed ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
        guard let base = bytes.baseAddress else { return finish(h) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            h = fold(h ^ word)
            offset += 8
        }
        if offset < count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                word |= UInt64(base[offset]) << shift
                shift += 8
                offset += 1
            }
            h = fold(h ^ word ^ 0xA076_1D64_78BD_642F)
        }
        return finish(h)
    }

    @inline(__always)
    private static func fold(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: 0xE703_7ED1_A0B4_28DB)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func finish(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt64 { hash >> 32 }

    /// The entry where the search for `hash` starts (to load it early: ``touch(hash:)``).
    @inline(__always)
    private func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: Self.tag(hash)) & mask }

    /// Loads the entry where the search for `hash` starts, so that its cache miss overlaps other
    /// work; returns it (for the caller to keep observable).
    @inline(__always)
    func touch(hash: UInt64) -> UInt64 { table.base[home(hash)] }

    /// The value whose id has `hash` and satisfies `isSought`, if any.
    ///
    /// - Parameters:
    ///   - hash: The id's ``hash(_:)``.
    ///   - isSought: Whether a stored value's id is the id sought (values of other ids with the
    ///     same tag are offered too).
    /// - Returns: The value, or `nil`.
    func find(hash: UInt64, where isSought: (UInt32) -> Bool) -> UInt32? {
        let wanted = Self.tag(hash)
        let base = table.base
        var position = home(hash)
        while true {
            let entry = base[position]
            if entry == 0 { return nil }
            if entry >> 32 == wanted {
                let value = UInt32(truncatingIfNeeded: entry) &- 1
                if isSought(value) { return value }
            }
            position = (position + 1) & mask
        }
    }

    /// Adds `value` for an id that is not in the map.
    ///
    /// - Parameters:
    ///   - hash: The id's ``hash(_:)``.
    ///   - value: The value (below `UInt32.max`).
    mutating func insert(hash: UInt64, value: UInt32) {
        precondition(value != UInt32.max, "IDMap values are below UInt32.max")
        if (count + 1) * 4 > table.count * 3 { resize(capacity: table.count * 2) }
        let base = table.base
        var position = home(hash)
        while base[position] != 0 { position = (position + 1) & mask }
        base[position] = Self.tag(hash) << 32 | UInt64(value &+ 1)
        count += 1
    }

    /// Removes `value`, stored for an id with `hash`; does nothing when it is not stored.
    ///
    /// - Parameters:
    ///   - hash: The id's ``hash(_:)``.
    ///   - value: The value to remove.
    mutating func remove(hash: UInt64, value: UInt32) {
        let wanted = Self.tag(hash) << 32 | UInt64(value &+ 1)
        let base = table.base
        var hole = home(hash)
        while base[hole] != wanted {
            if base[hole] == 0 { return }
            hole = (hole + 1) & mask
        }
        // Shift back every later entry of the run that may live at the hole (its home is not
        // between the hole and its position).
        var next = (hole + 1) & mask
        while base[next] != 0 {
            let entry = base[next]
            let entryHome = Int(truncatingIfNeeded: entry >> 32) & mask
            if (next &- entryHome) & mask >= (next &- hole) & mask {
                base[hole] = entry
                hole = next
            }
            next = (next + 1) & mask
        }
        base[hole] = 0
        count -= 1
    }

    /// Grows the table so that `count` values fit without growing again.
    ///
    /// - Parameters:
    ///   - count: The number of values expected at once.
    mutating func reserveCapacity(_ count: Int) {
        var capacity = table.count
        while count * 4 > capacity * 3 { capacity *= 2 }
        if capacity > table.count { resize(capacity: capacity) }
    }

    private mutating func resize(capacity: Int) {
        let old = table
        let grown = BucketTable(count: capacity)
        let newMask = capacity - 1
        let base = grown.base
        for index in 0..<old.count {
            let entry = old.base[index]
            guard entry != 0 else { continue }
            var position = Int(truncatingIfNeeded: entry >> 32) & newMask
            while base[position] != 0 { position = (position + 1) & newMask }
            base[position] = entry
        }
        table = grown
        mask = newMask
    }
}
