/// The LSH bucket table's storage: `count` zero-initialized 64-bit entries.
///
/// On Linux the entries live in an anonymous mapping advised for transparent huge pages: the index
/// probes one random entry per band, and with 4 KiB pages nearly every probe of a large table also
/// misses the TLB (a two-level page walk under virtualization). The mapping also starts zeroed
/// without a pass over it. Elsewhere it is an ordinary allocation.
///
/// A table created with `growable` reserves address space (not memory) for many more entries, so
/// that ``grow(to:)`` extends it in place: no new table is zeroed and nothing is copied, and only
/// the added entries are touched for the first time. Without a reservation (or beyond it) growing
/// moves the entries to a new allocation.
final class BucketTable {
    /// The first entry.
    private(set) var base: UnsafeMutablePointer<UInt64>
    /// The number of entries (a power of two).
    private(set) var count: Int
    /// Bytes mapped at `base` (0 when `base` is an ordinary allocation).
    private var mappedBytes: Int

    /// Address space reserved by growable tables: room for 2^32 entries.
    static let reservedBytes = (1 << 32) * MemoryLayout<UInt64>.stride

    /// Creates a zeroed table.
    ///
    /// - Parameters:
    ///   - count: The number of entries.
    ///   - growable: Whether to reserve address space for growing in place.
    init(count: Int, growable: Bool = false) {
        self.count = count
        let byteCount = count * MemoryLayout<UInt64>.stride
        if growable,
            let mapped = AnonymousMemory.map(max(byteCount, Self.reservedBytes), reserveOnly: true, hugePages: true)
        {
            base = mapped.bindMemory(to: UInt64.self, capacity: count)
            mappedBytes = max(byteCount, Self.reservedBytes)
            return
        }
        if byteCount >= 1 << 21, let mapped = AnonymousMemory.map(byteCount, reserveOnly: false, hugePages: true) {
            base = mapped.bindMemory(to: UInt64.self, capacity: count)
            mappedBytes = byteCount
            return
        }
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
        mappedBytes = 0
    }

    /// Extends the table to `newCount` entries: the first `count` keep their values, the others
    /// are zero.
    ///
    /// - Parameters:
    ///   - newCount: The new number of entries (at least `count`).
    func grow(to newCount: Int) {
        precondition(newCount >= count, "a bucket table never shrinks")
        if newCount * MemoryLayout<UInt64>.stride <= mappedBytes {
            // Never touched, hence zero.
            count = newCount
            return
        }
        let grown = BucketTable(count: newCount)
        grown.base.update(from: base, count: count)
        swap(&base, &grown.base)
        swap(&mappedBytes, &grown.mappedBytes)
        grown.count = count
        count = newCount
    }

    /// Commits the memory of all `count` entries now, in one call, rather than at their first
    /// touches (``AnonymousMemory/populate(_:bytes:)``); nothing where the kernel cannot.
    func populate() {
        guard mappedBytes > 0 else { return }
        _ = AnonymousMemory.populate(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<UInt64>.stride)
    }

    deinit { AnonymousMemory.release(base, mappedBytes: mappedBytes) }
}
