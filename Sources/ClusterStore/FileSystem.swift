import FoundationEssentials
import Glibc

/// Returns the system's message for an `errno` value.
func systemErrorMessage(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "error \(code)" }
    return String(cString: message)
}

/// Thin, checked wrappers over the POSIX calls the cluster directory needs.
///
/// Every call retries on `EINTR` and throws ``ClusterStoreError/io(path:operation:errno:)``.
enum FileSystem {
    /// Runs a system call, retrying on `EINTR`.
    static func call<T: BinaryInteger>(_ operation: String, _ path: String, _ body: () -> T) throws(ClusterStoreError)
        -> T
    {
        while true {
            let result = body()
            if result >= 0 {
                return result
            }
            let code = errno
            if code != EINTR {
                throw .io(path: path, operation: operation, errno: code)
            }
        }
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(ClusterStoreError) -> Int32 {
        try call("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    static func fsync(_ fd: Int32, _ path: String) throws(ClusterStoreError) {
        _ = try call("fsync", path) { Glibc.fsync(fd) }
    }

    /// Writes all of `bytes` at the file offset (or the end, with `O_APPEND`).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(ClusterStoreError) {
        var offset = 0
        while offset < bytes.count {
            let written = try call("write", path) {
                bytes.withUnsafeBytes { buffer in
                    Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                }
            }
            offset += written
        }
    }

    /// Reads a whole file, or returns `nil` when it does not exist.
    static func readFile(_ path: String) throws(ClusterStoreError) -> [UInt8]? {
        let fd: Int32
        do {
            fd = try open(path, O_RDONLY)
        } catch {
            if case .io(_, _, let code) = error, code == ENOENT { return nil }
            throw error
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try call("read", path) {
                chunk.withUnsafeMutableBytes { buffer in Glibc.read(fd, buffer.baseAddress, buffer.count) }
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// Creates a directory unless it exists.
    static func makeDirectory(_ path: String) throws(ClusterStoreError) {
        if Glibc.mkdir(path, 0o755) != 0 {
            let code = errno
            if code != EEXIST {
                throw .io(path: path, operation: "mkdir", errno: code)
            }
        }
    }

    /// Creates a directory and any missing parents.
    static func makeDirectories(_ path: String) throws(ClusterStoreError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            prefix += "/" + component
            try makeDirectory(prefix)
        }
    }

    /// Flushes a directory's entries (a rename or a new file) to disk.
    static func syncDirectory(_ path: String) throws(ClusterStoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path)
    }

    /// Lists a directory's entry names (without `.` and `..`).
    static func list(_ path: String) throws(ClusterStoreError) -> [String] {
        guard let dir = opendir(path) else {
            throw .io(path: path, operation: "opendir", errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
        return names
    }

    /// Writes a file atomically: a temporary file in the same directory, `fsync`, `rename`, and
    /// (unless `syncDirectory` is false) an `fsync` of the directory.
    ///
    /// A reader opening `path` sees either the old content or the new, never a mix; after a
    /// crash, `path` holds one of the two. Temporary names start with `.` and end in `.tmp`.
    static func writeAtomically(
        _ bytes: [UInt8],
        to path: String,
        directory: String,
        name: String,
        syncDirectory: Bool = true
    ) throws(ClusterStoreError) {
        let unique = String(getpid()) + "." + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let temporary = directory + "/." + name + "." + unique + ".tmp"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC)
        do {
            try writeAll(fd, bytes, temporary)
            try fsync(fd, temporary)
        } catch {
            close(fd)
            _ = unlink(temporary)
            throw error
        }
        close(fd)
        if Glibc.rename(temporary, path) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw .io(path: path, operation: "rename", errno: code)
        }
        if syncDirectory {
            try self.syncDirectory(directory)
        }
    }

    /// Writes several files of one directory atomically, with one directory `fsync`.
    ///
    /// Every temporary file is written first, then each is `fsync`ed (the kernel writes them back
    /// together), then all are renamed, then the directory is `fsync`ed once. A reader sees each
    /// file whole (old or new); after a crash each final name holds a complete file and
    /// temporary files may be left behind (removed when the directory is next opened).
    static func writeAtomically(_ files: [(bytes: [UInt8], name: String)], directory: String)
        throws(ClusterStoreError)
    {
        guard !files.isEmpty else { return }
        // Bounded groups keep the number of open descriptors small.
        let group = 64
        var start = 0
        while start < files.count {
            let slice = files[start..<min(files.count, start + group)]
            start += group
            var pending: [(fd: Int32, temporary: String, final: String)] = []
            func abandon() {
                for entry in pending {
                    close(entry.fd)
                    _ = unlink(entry.temporary)
                }
            }
            do throws(ClusterStoreError) {
                for file in slice {
                    let unique = String(getpid()) + "." + String(UInt32.random(in: 0...UInt32.max), radix: 16)
                    let temporary = directory + "/." + file.name + "." + unique + ".tmp"
                    let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC)
                    pending.append((fd, temporary, directory + "/" + file.name))
                    try writeAll(fd, file.bytes, temporary)
                }
                for entry in pending {
                    try fsync(entry.fd, entry.temporary)
                }
            } catch {
                abandon()
                throw error
            }
            for entry in pending {
                close(entry.fd)
            }
            for (index, entry) in pending.enumerated() where Glibc.rename(entry.temporary, entry.final) != 0 {
                let code = errno
                for later in pending[index...] {
                    _ = unlink(later.temporary)
                }
                throw .io(path: entry.final, operation: "rename", errno: code)
            }
        }
        try syncDirectory(directory)
    }
}
