import Foundation

/// The student's edition of the repository, made from the instructor's: `Labs/` is generated
/// from `Solutions/` by `SolutionStripper`, and the student's copy leaves out `Solutions/` and
/// everything that needs it.
///
/// One source of truth: `unetlab strip-solutions` writes `Labs/` with `labsFiles(repository:)`,
/// a test compares the committed `Labs/` with the same function's output, and
/// `unetlab student-edition --out DIR` copies the repository without `solutionsOnlyPaths`.
public enum StudentEdition {
    /// Paths (relative to the repository, folders end in "/") that need the reference answers.
    /// `Package.swift` declares the matching targets only when `Solutions/` exists.
    public static let solutionsOnlyPaths = ["Sources/HiddenChecks/", "Solutions/", "Tests/ModelTests/", "Tests/GraderTests/",
                                             "Tests/LabTests/", "Tests/AdvancedLabTests/"]

    /// The student's files, `Labs/<name>` for every `Solutions/<name>.swift`, as
    /// [file name: contents], made by stripping the solution regions.
    public static func labsFiles(repository: URL) throws -> [String: String] {
        let solutions = repository.appendingPathComponent("Solutions")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: solutions.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StudentEditionError("\(solutions.path): no such folder — the reference answers live in Solutions/ "
                                      + "(this looks like a student edition, which has only Labs/)")
        }
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: solutions.path) where name.hasSuffix(".swift") {
            let source = try String(contentsOf: solutions.appendingPathComponent(name), encoding: .utf8)
            files[name] = try SolutionStripper.strip(source, fileName: "Solutions/" + name)
        }
        return files
    }

    /// The folders written from `Solutions/`: `Labs/` (the student's, which they edit) and
    /// `Stubs/` (the same files, never edited: the grader puts a stub back in place of a file
    /// that does not compile).
    public static let strippedFolders = ["Labs", "Stubs"]

    /// How the committed `Labs/` and `Stubs/` differ from `labsFiles(repository:)`: one line per
    /// file that is missing, different or extra (empty when they agree).
    public static func labsDifferences(repository: URL) throws -> [String] {
        let expected = try labsFiles(repository: repository)
        var differences: [String] = []
        for folder in strippedFolders {
            let labs = repository.appendingPathComponent(folder)
            let present = Set((try? FileManager.default.contentsOfDirectory(atPath: labs.path))?.filter { $0.hasSuffix(".swift") } ?? [])
            for (name, contents) in expected.sorted(by: { $0.key < $1.key }) {
                guard present.contains(name) else { differences.append("\(folder)/\(name) is missing"); continue }
                let actual = try String(contentsOf: labs.appendingPathComponent(name), encoding: .utf8)
                if actual != contents {
                    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
                    let e = contents.split(separator: "\n", omittingEmptySubsequences: false)
                    let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
                    differences.append("\(folder)/\(name) differs from the stripped Solutions/\(name) from line \(line + 1)")
                }
            }
            for name in present.subtracting(expected.keys).sorted() {
                differences.append("\(folder)/\(name) has no Solutions/\(name)")
            }
        }
        return differences
    }

    /// Rewrites `Labs/` and `Stubs/` from `Solutions/` (each file atomically; .swift files
    /// without a counterpart in Solutions/ are removed). Returns the names of the files written.
    @discardableResult
    public static func writeLabs(repository: URL) throws -> [String] {
        let files = try labsFiles(repository: repository)
        for folder in strippedFolders {
            let labs = repository.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: labs, withIntermediateDirectories: true)
            for (name, contents) in files {
                try Data(contents.utf8).write(to: labs.appendingPathComponent(name), options: .atomic)
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: labs.path)
            where name.hasSuffix(".swift") && files[name] == nil {
                try FileManager.default.removeItem(at: labs.appendingPathComponent(name))
            }
        }
        return files.keys.sorted()
    }

    /// Whether a repository path belongs only to the instructor's edition.
    public static func isSolutionsOnly(_ path: String) -> Bool {
        solutionsOnlyPaths.contains { path.hasPrefix($0) }
    }

    /// Copies the git-tracked files of `repository` (as they are in the working tree) into
    /// `destination`, leaving out `solutionsOnlyPaths`. `destination` must not exist or be an
    /// empty folder. Checks first that `Labs/` is up to date. Returns the number of files copied.
    @discardableResult
    public static func write(repository: URL, to destination: URL) throws -> Int {
        let differences = try labsDifferences(repository: repository)
        guard differences.isEmpty else {
            throw StudentEditionError("Labs/ is out of date with Solutions/ — run `unetlab strip-solutions` first:\n  "
                                      + differences.joined(separator: "\n  "))
        }
        let fm = FileManager.default
        if fm.fileExists(atPath: destination.path),
           !(try fm.contentsOfDirectory(atPath: destination.path)).isEmpty {
            throw StudentEditionError("\(destination.path) already exists and is not empty: give a new folder")
        }
        let tracked = try gitTrackedFiles(repository)
        var copied = 0
        for path in tracked where !isSolutionsOnly(path) {
            let source = repository.appendingPathComponent(path)
            guard fm.fileExists(atPath: source.path) else { continue }   // deleted in the working tree
            let target = destination.appendingPathComponent(path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: source, to: target)
            copied += 1
        }
        return copied
    }

    /// `git ls-files` of the repository (paths relative to it).
    static func gitTrackedFiles(_ repository: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repository.path, "ls-files", "-z"]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        do { try process.run() } catch {
            throw StudentEditionError("could not run git (needed to list the repository's files): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StudentEditionError("git ls-files failed in \(repository.path): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\0").map(String.init)
    }
}

public struct StudentEditionError: Error, CustomStringConvertible, LocalizedError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
