import Foundation

/// Reading files that come from elsewhere, and writing files completely or not at all.
///
/// - `readRegularFile` reads only a regular file, at most `limit` bytes: a folder, FIFO,
///   socket or device (`/dev/zero`) is refused from `fstat` before a byte is read, so it can
///   neither block nor fill the memory.
/// - `writeFileAtomically` writes `.<name>.tmp-<pid>-<random>` beside the target, flushes it
///   (`fsync`) and renames it over the target: readers see the old file or the new one.
///   A process killed in between leaves the temporary file, which `removeStaleTemporaryFiles`
///   deletes once its process is gone.

/// A file that could not be read; the message names it and says why, in the user's terms.
public struct FileReadError: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// A file that could not be written; the message names it and says why.
public struct FileWriteError: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// What kind of thing is at a path, in words ("a folder", "a FIFO (named pipe)", …).
func fileKindDescription(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: "a folder"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
}

/// The bytes of the regular file at `path` (symbolic links followed), at most `limit` of them.
/// `what` names what the file should be ("a safetensors file", "a PNG image").
/// - Throws: `FileReadError`: no such file, permission denied, not a regular file (a folder,
///   FIFO, device), larger than `limit`, or a read error.
public func readRegularFile(_ path: String, limit: Int, what: String) throws -> [UInt8] {
    guard !path.isEmpty else { throw FileReadError("expected \(what), but the path is empty") }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
        let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
        throw FileReadError("cannot read \(path) (expected \(what)): \(reason)")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
        throw FileReadError("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
        throw FileReadError("cannot read \(path): it is \(fileKindDescription(info.st_mode)), expected \(what)")
    }
    let size = Int(info.st_size)
    guard size <= limit else {
        throw FileReadError("cannot read \(path): it has \(size) bytes, more than the \(limit) bytes \(what) may have here")
    }
    do {
        return try readBytes(fd, at: 0, count: size)   // fewer if the file shrank while being read
    } catch {
        throw FileReadError("cannot read \(path): \(error)")
    }
}

/// Up to `count` bytes of the open file `fd` from byte `offset` on (`pread`: the file position
/// stays), fewer when the file ends first. Interrupted reads are retried, and so is EAGAIN: for
/// regular files (which never return it), not for a non-blocking pipe or socket.
/// - Throws: `FileReadError` with the system's reason when a read fails.
public func readBytes(_ fd: Int32, at offset: Int, count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { continue }
            throw FileReadError(String(cString: strerror(errno)))
        }
        if n == 0 { break }
        done += n
    }
    return done == count ? bytes : Array(bytes.prefix(done))
}

/// The regular file at `path` as UTF-8 text (`readRegularFile`'s checks and `limit`), without a
/// leading byte-order mark (EF BB BF: editors such as Excel's "CSV UTF-8" and Notepad write one).
/// - Throws: `FileReadError` as `readRegularFile`, or when the bytes are not UTF-8.
public func readTextFile(_ path: String, limit: Int, what: String) throws -> String {
    let bytes = try readRegularFile(path, limit: limit, what: what)
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
    guard let text = String(validating: body, as: UTF8.self) else {
        throw FileReadError("cannot read \(path): expected UTF-8 text (\(what)), but it holds other bytes")
    }
    return text
}

/// The prefix of the temporary files `writeFileAtomically` makes for `name` in process `pid`.
func temporaryFilePrefix(_ name: String, pid: Int32 = getpid()) -> String { ".\(name).tmp-\(pid)-" }

/// Writes `bytes` to `path` completely or not at all (temporary file, `fsync`, `rename(2)`).
/// - Throws: `FileWriteError` naming the path and the system's reason.
public func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary = directory + "/" + temporaryFilePrefix(url.lastPathComponent) + "\(UInt32.random(in: 0...UInt32.max))"
    func osError(_ what: String) -> FileWriteError {
        FileWriteError("cannot write \(path): \(what): \(String(cString: strerror(errno)))")
    }
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw osError("cannot create a file in \(directory)") }
    var done = false
    defer { if !done { unlink(temporary) } }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            let error = osError("write failed")
            close(fd)
            throw error
        }
        offset += n
    }
    if fsync(fd) != 0 {
        let error = osError("fsync failed")
        close(fd)
        throw error
    }
    guard close(fd) == 0 else { throw osError("close failed") }
    guard rename(temporary, path) == 0 else { throw osError("rename failed") }
    done = true
}

/// Removes the temporary files of interrupted atomic writes in `directory`
/// (`.<name>.tmp-<pid>-<random>`, also those of Figures' PNG files) whose process is gone,
/// and Foundation's `.dat.nosync*` files older than an hour. Returns the names removed.
@discardableResult
public func removeStaleTemporaryFiles(in directory: String) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var removed: [String] = []
    for name in names where name.hasPrefix(".") {
        let path = directory + "/" + name
        if let range = name.range(of: ".tmp-", options: .backwards) {
            let rest = name[range.upperBound...].split(separator: "-")
            guard rest.count == 2, let pid = Int32(rest[0]), UInt32(rest[1]) != nil else { continue }
            if pid == getpid() || isProcessAlive(pid) { continue }
        } else if name.hasPrefix(".dat.nosync") {
            var info = stat()
            guard stat(path, &info) == 0, time(nil) - info.st_mtim.tv_sec > 3600 else { continue }
        } else {
            continue
        }
        if unlink(path) == 0 { removed.append(name) }
    }
    return removed
}

/// Whether a process with this id exists (`kill(pid, 0)`; EPERM means it exists).
public func isProcessAlive(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
}
