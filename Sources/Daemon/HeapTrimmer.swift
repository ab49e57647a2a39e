import Glibc

/// Keeps the daemon's resident memory near its live heap under glibc's allocator.
///
/// A pass allocates and frees on many threads (the HTTP client's, the cooperative pool's, the
/// directory writer's, SQLite's), and glibc gives contending threads arenas of their own, up to
/// eight per core; freed chunks stay resident in whichever arena they came from, and the
/// resident size can creep up pass after pass although the live memory is flat. Measured with
/// `SiftBench pipeline --retention 2` (rounds of 4,000 articles, index flat at 12,000 from the
/// third, the bench's own work bounded): RssAnon 38–43 MB over rounds 3–12 with two arenas and
/// a trim after each pass (10 MB in the thread arena), 37–45 MB with `MALLOC_ARENA_MAX=16`
/// (eight thread arenas, 12 → 18 MB). Earlier figures of 89 → 161 MB were mostly the bench's
/// own check, which read the whole cluster directory every round.
///
/// Both functions are looked up at run time: another C library has neither, and then they do
/// nothing.
enum HeapTrimmer {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32

    /// The functions' addresses (0 when absent), kept as numbers so that they are `Sendable`.
    private static let trimAddress = Int(bitPattern: dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim"))
    private static let optionAddress = Int(bitPattern: dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt"))
    /// glibc's `M_ARENA_MAX`.
    private static let arenaMaximumOption: Int32 = -8
    /// glibc's `M_MMAP_THRESHOLD`.
    private static let mmapThresholdOption: Int32 = -3

    /// The arena limit applied when the environment sets none (`MALLOC_ARENA_MAX`).
    static let defaultArenas = 2
    /// The size from which allocations get a mapping of their own, when the environment sets
    /// none (`MALLOC_MMAP_THRESHOLD_`): glibc's initial 128 KiB, held there.
    static let defaultMmapThreshold = 128 << 10

    /// Whether the C library can trim.
    static var isAvailable: Bool { trimAddress != 0 }

    /// Returns free heap pages to the kernel: the free top of every arena and the free pages
    /// inside them (`malloc_trim(0)`).
    ///
    /// - Returns: `true` when memory was released.
    @discardableResult
    static func trim() -> Bool {
        guard let pointer = UnsafeRawPointer(bitPattern: trimAddress) else { return false }
        return unsafeBitCast(pointer, to: Trim.self)(0) != 0
    }

    /// Caps the number of malloc arenas and holds the mapping threshold, each unless the
    /// environment sets it (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`: the operator's choice
    /// wins). Arenas already created stay; call it before the pipeline starts its threads.
    ///
    /// glibc raises the mapping threshold (up to 32 MiB) each time a mapped block is freed, so
    /// after the first large buffer every later one up to that size is carved from an arena and
    /// leaves a hole there; a fixed threshold keeps large, short-lived buffers (response bodies,
    /// encoded files, the filter's table) in mappings of their own, returned whole when freed.
    /// Measured as above with `MALLOC_MMAP_THRESHOLD_=131072` (the same setting) over 24 rounds of
    /// 2,000 articles: RssAnon 59–64 MB over rounds 18–24 against 64–75 MB without.
    ///
    /// - Parameters:
    ///   - arenas: The most arenas.
    ///   - mmapThreshold: The size in bytes from which an allocation is mapped on its own.
    ///   - environment: The process environment.
    /// - Returns: Whether each setting was applied.
    @discardableResult
    static func configure(
        arenas: Int = defaultArenas,
        mmapThreshold: Int = defaultMmapThreshold,
        environment: [String: String]
    ) -> (arenas: Bool, mmapThreshold: Bool) {
        guard let pointer = UnsafeRawPointer(bitPattern: optionAddress) else { return (false, false) }
        let option = unsafeBitCast(pointer, to: Option.self)
        let arenasSet =
            environment["MALLOC_ARENA_MAX"] == nil && arenas > 0
            && option(arenaMaximumOption, Int32(clamping: arenas)) == 1
        let thresholdSet =
            environment["MALLOC_MMAP_THRESHOLD_"] == nil && mmapThreshold > 0
            && option(mmapThresholdOption, Int32(clamping: mmapThreshold)) == 1
        return (arenasSet, thresholdSet)
    }
}
