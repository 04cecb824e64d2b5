import ArgumentParser
import Foundation

/// Range checks for the commands' `validate()` (swift-argument-parser calls it before `run()`),
/// so a command that cannot finish never starts: each names the option, the allowed values and
/// the value given.

/// `--name` must be in `range`.
func requireOption(_ name: String, _ value: Int, in range: ClosedRange<Int>, unit: String = "") throws {
    guard range.contains(value) else {
        throw ValidationError("--\(name) must be in \(range.lowerBound)…\(range.upperBound)\(unit), but got \(value)")
    }
}

/// `--name` must be a finite number in `range`.
func requireOption(_ name: String, _ value: Double, in range: ClosedRange<Double>, what: String? = nil) throws {
    guard value.isFinite, range.contains(value) else {
        throw ValidationError("--\(name) must be \(what ?? "a number in [\(range.lowerBound), \(range.upperBound)]"), "
                              + "but got \(value)")
    }
}

/// Checks, without creating anything, that `path` can become the output folder: not empty,
/// every existing part of it a folder, and the folder (or the nearest existing parent, where
/// it will be created) writable.
func requireOutputFolder(_ path: String, option: String = "--out") throws {
    guard !path.isEmpty else {
        throw ValidationError("\(option) must name a folder, but it is empty (use \(option) . for the current folder)")
    }
    var prefix = path.hasPrefix("/") ? "/" : ""
    var deepestExisting = path.hasPrefix("/") ? "/" : "."
    for component in path.split(separator: "/") {
        prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
        var info = stat()
        guard stat(prefix, &info) == 0 else {
            guard errno == ENOENT else {
                throw ValidationError("\(option) \(path): cannot use \(prefix): \(String(cString: strerror(errno)))")
            }
            break
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw ValidationError("\(option) \(path): \(prefix) exists and is not a folder; expected a folder (or a new name)")
        }
        deepestExisting = prefix
    }
    guard access(deepestExisting, W_OK | X_OK) == 0 else {
        throw ValidationError("\(option) \(path): cannot write in \(deepestExisting): \(String(cString: strerror(errno)))")
    }
}

/// The image sizes a generated-image command accepts: 16…1024 px.
let generatedImageSides = 16...1024

/// The lab commands' `--out` and `--answers`: the output folder can be made, and the answers
/// file, when it exists, is a regular file (not a folder, FIFO or device).
func requireLabPaths(out: String, answers: String) throws {
    try requireOutputFolder(out)
    var info = stat()
    if stat(answers, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
        throw ValidationError("--answers \(answers) is not a regular file; expected a Markdown file (created if missing)")
    }
}
