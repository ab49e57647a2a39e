import FoundationEssentials
import Glibc
import Model

/// Reading and repairing `events.jsonl`, the append-only change log.
///
/// Each event is one line ending in `\n`; lines are appended whole and `fsync`ed. A crash in the
/// middle of an append can leave an incomplete last line (or, on some file systems, a tail of
/// zero bytes). Readers ignore anything after the last newline; the writer truncates it away
/// when it opens the directory.
enum EventLog {
    /// The end of the valid prefix of the log and the sequence of its last event.
    struct Tail: Equatable {
        var validLength: Int64
        var lastSequence: Int64
    }

    /// Finds the valid prefix: everything up to and including the last complete line that
    /// parses as an event. Reads backwards from the end in chunks, so a long log costs little.
    static func scanTail(fd: Int32, size: Int64, path: String) throws(ClusterStoreError) -> Tail {
        var end = size  // exclusive end of the region still to examine
        var buffer: [UInt8] = []  // bytes [bufferStart, size)
        var bufferStart = size
        let chunk: Int64 = 1 << 16
        while end > 0 {
            // Find the newline that ends the candidate last line: the last `\n` before `end`.
            var newline: Int64? = nil
            while newline == nil {
                var index = end - 1
                while index >= bufferStart {
                    if buffer[Int(index - bufferStart)] == 10 {
                        newline = index
                        break
                    }
                    index -= 1
                }
                if newline != nil || bufferStart == 0 { break }
                try readMore(fd: fd, buffer: &buffer, bufferStart: &bufferStart, chunk: chunk, path: path)
            }
            guard let lineEnd = newline else { return Tail(validLength: 0, lastSequence: 0) }
            // Find the start of that line: just after the previous `\n`, or 0.
            var lineStart: Int64? = nil
            while lineStart == nil {
                var index = lineEnd - 1
                while index >= bufferStart {
                    if buffer[Int(index - bufferStart)] == 10 {
                        lineStart = index + 1
                        break
                    }
                    index -= 1
                }
                if lineStart != nil { break }
                if bufferStart == 0 {
                    lineStart = 0
                    break
                }
                try readMore(fd: fd, buffer: &buffer, bufferStart: &bufferStart, chunk: chunk, path: path)
            }
            let start = lineStart ?? 0
            let line = Array(buffer[Int(start - bufferStart)..<Int(lineEnd - bufferStart)])
            if let event = try? DirectoryFormat.decode(EventLine.self, from: line, path: path) {
                return Tail(validLength: lineEnd + 1, lastSequence: event.seq)
            }
            end = start
        }
        return Tail(validLength: 0, lastSequence: 0)
    }

    private static func readMore(
        fd: Int32,
        buffer: inout [UInt8],
        bufferStart: inout Int64,
        chunk: Int64,
        path: String
    ) throws(ClusterStoreError) {
        let newStart = max(0, bufferStart - chunk)
        var bytes = [UInt8](repeating: 0, count: Int(bufferStart - newStart))
        var filled = 0
        while filled < bytes.count {
            let offset = filled
            let count = try FileSystem.call("pread", path) {
                bytes.withUnsafeMutableBytes { raw in
                    pread(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, off_t(newStart) + off_t(offset))
                }
            }
            if count == 0 {
                throw .corrupt(path: path, message: "file shrank while being read")
            }
            filled += count
        }
        buffer = bytes + buffer
        bufferStart = newStart
    }

    /// Parses every complete line of a log's bytes (an incomplete last line is ignored), keeping
    /// the events with a sequence greater than `sequence`.
    ///
    /// The complete lines are decoded as one JSON array (one decoder pass, several times faster
    /// than a decoder per line); when that fails, lines are decoded one by one to report the
    /// bad one.
    static func parse(_ bytes: [UInt8], after sequence: Int64, path: String) throws(ClusterStoreError)
        -> [ClusterEvent]
    {
        guard let lastNewline = bytes.lastIndex(of: 10) else { return [] }
        var array: [UInt8] = []
        array.append(UInt8(ascii: "["))
        var lineStart = 0
        for index in bytes[...lastNewline].indices where bytes[index] == 10 {
            defer { lineStart = index + 1 }
            guard index > lineStart else { continue }
            // Lines this writer wrote start with `{"seq":N,`: skip old ones without decoding.
            if let lineSequence = leadingSequence(bytes, from: lineStart), lineSequence <= sequence {
                continue
            }
            if array.count > 1 { array.append(UInt8(ascii: ",")) }
            array.append(contentsOf: bytes[lineStart..<index])
        }
        array.append(UInt8(ascii: "]"))
        let decoded: [EventLine]
        do {
            decoded = try JSONDecoder().decode([EventLine].self, from: Data(array))
        } catch {
            decoded = try parseLines(bytes[...lastNewline], path: path)
        }
        var events: [ClusterEvent] = []
        events.reserveCapacity(decoded.count)
        for line in decoded where line.seq > sequence {
            events.append(try line.event(path: path))
        }
        return events
    }

    /// The `N` of a line starting with `{"seq":N,`, or `nil` for any other shape.
    private static func leadingSequence(_ bytes: [UInt8], from start: Int) -> Int64? {
        let prefix: [UInt8] = Array("{\"seq\":".utf8)
        guard bytes.count > start + prefix.count, bytes[start..<start + prefix.count].elementsEqual(prefix) else {
            return nil
        }
        var value: Int64 = 0
        var index = start + prefix.count
        var digits = 0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57, digits < 18 {
            value = value * 10 + Int64(bytes[index] - 48)
            index += 1
            digits += 1
        }
        guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
        return value
    }

    private static func parseLines(_ bytes: ArraySlice<UInt8>, path: String) throws(ClusterStoreError) -> [EventLine] {
        var lines: [EventLine] = []
        var lineStart = bytes.startIndex
        let decoder = JSONDecoder()
        for index in bytes.indices where bytes[index] == 10 {
            defer { lineStart = index + 1 }
            guard index > lineStart else { continue }
            do {
                lines.append(try decoder.decode(EventLine.self, from: Data(bytes[lineStart..<index])))
            } catch {
                throw .corrupt(path: path, message: "bad event line at byte \(lineStart): \(error)")
            }
        }
        return lines
    }
}
