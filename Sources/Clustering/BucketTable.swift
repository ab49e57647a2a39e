#if canImport(Glibc)
    import Glibc
#endif

/// The LSH bucket table's storage: `count` zero-initialized 64-bit entries.
///
/// On Linux the entries live in an anonymous mapping advised for transparent huge pages: the index
/// probes one random entry per band, and with 4 KiB pages nearly every probe of a large table also
/// misses the TLB (a two-level page walk under virtualization). The mapping also starts zeroed
/// without a pass over it. Elsewhere it is an ordinary allocation.
final class BucketTable {
    /// The first entry.
    let base: UnsafeMutablePointer<UInt64>
    /// The number of entries (a power of two).
    let count: Int
    private let byteCount: Int
    private let isMapped: Bool

    /// Creates a zeroed table.
    ///
    /// - Parameters:
    ///   - count: The number of entries.
    init(count: Int) {
        self.count = count
        byteCount = count * MemoryLayout<UInt64>.stride
        #if canImport(Glibc)
            if byteCount >= 1 << 21,
                let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                mapped != UnsafeMutableRawPointer(bitPattern: -1)
            {
                _ = madvise(mapped, byteCount, MADV_HUGEPAGE)
                base = mapped.bindMemory(to: UInt64.self, capacity: count)
                isMapped = true
                return
            }
        #endif
        base = .allocate(capacity: count)
        base.initialize(repeating: 0, count: count)
        isMapped = false
    }

    deinit {
        #if canImport(Glibc)
            if isMapped {
                _ = munmap(UnsafeMutableRawPointer(base), byteCount)
                return
            }
        #endif
        base.deallocate()
    }
}
