import Foundation

/// One student's submission in a class folder: a subfolder (their `Labs/`, or a whole copy of
/// the student edition) or an archive (`.zip`, `.tar.gz`, `.tgz`) of either.
public struct Submission: Sendable, Equatable {
    /// The subfolder's or archive's name without extension, made safe for file names and CSV
    /// (letters, digits, `.`, `-`, `_`; anything else becomes `_`).
    public var student: String
    public var location: URL
    public var isArchive: Bool

    public init(student: String, location: URL, isArchive: Bool) {
        self.student = student; self.location = location; self.isArchive = isArchive
    }

    public static let archiveExtensions = [".zip", ".tar.gz", ".tgz"]

    /// The submissions in `folder`, sorted by student; hidden entries are skipped; throws when
    /// two entries make the same student name.
    public static func list(in folder: URL) throws -> [Submission] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else {
            throw CheckFailure("\(folder.path): no such folder (expected one subfolder or archive per student)")
        }
        var submissions: [Submission] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            // A symbolic link is never followed (it could lead anywhere).
            if (try? fm.destinationOfSymbolicLink(atPath: url.path)) != nil { continue }
            if isDirectory.boolValue {
                submissions.append(Submission(student: safeName(name), location: url, isArchive: false))
            } else if let ext = archiveExtensions.first(where: { name.lowercased().hasSuffix($0) }) {
                submissions.append(Submission(student: safeName(String(name.dropLast(ext.count))), location: url, isArchive: true))
            }
        }
        var seen: [String: URL] = [:]
        for s in submissions {
            if let other = seen[s.student] {
                throw CheckFailure("\(other.lastPathComponent) and \(s.location.lastPathComponent) are both student \"\(s.student)\": rename one")
            }
            seen[s.student] = s.location
        }
        return submissions
    }

    static func safeName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        let safe = String(name.map { allowed.contains($0) ? $0 : "_" })
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "_" + safe : safe
    }

    /// The folder that holds the submission's exercise files, under `root` (the subfolder or the
    /// unpacked archive): `Labs/` if there is one, else `root` itself if it has .swift files,
    /// else the same search in its only subfolder (an archive of a folder), two levels deep.
    static func labsFolder(in root: URL, depth: Int = 0) -> URL? {
        let fm = FileManager.default
        let labs = root.appendingPathComponent("Labs")
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: labs.path, isDirectory: &isDirectory), isDirectory.boolValue,
           (try? fm.destinationOfSymbolicLink(atPath: labs.path)) == nil { return labs }
        let entries = ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") && $0 != "__MACOSX" }
        if entries.contains(where: { $0.hasSuffix(".swift") }) { return root }
        let folders = entries.filter { name in
            var d: ObjCBool = false
            let url = root.appendingPathComponent(name)
            return fm.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
                && (try? fm.destinationOfSymbolicLink(atPath: url.path)) == nil
        }
        guard depth < 2, folders.count == 1 else { return nil }
        return labsFolder(in: root.appendingPathComponent(folders[0]), depth: depth + 1)
    }

    /// The limits on what is copied from a submission.
    public static let maxFiles = 200, maxFileBytes = 1 << 20

    /// Copies the submission's regular .swift files (never through a symbolic link; at most
    /// `maxFiles` of at most `maxFileBytes` each) into `destination`, unpacking an archive into
    /// `unpackDirectory` first. Returns the files' SHA-256 over their paths and contents (what
    /// "the submission changed" means for a re-run).
    public func copyLabs(to destination: URL, unpackDirectory: URL) throws -> String {
        let fm = FileManager.default
        var root = location
        if isArchive {
            try SubmissionArchive.unpack(location, into: unpackDirectory)
            root = unpackDirectory
        }
        guard let labs = Submission.labsFolder(in: root) else {
            throw CheckFailure("no Labs/ folder and no .swift files in \(location.lastPathComponent)")
        }
        try fm.createDirectory(at: destination, withIntermediateDirectories: true)
        let files = swiftFiles(in: labs)
        guard files.count <= Submission.maxFiles else {
            throw CheckFailure("\(files.count) .swift files in \(location.lastPathComponent)'s Labs/ (at most \(Submission.maxFiles))")
        }
        var digest: [UInt8] = []
        for file in files {
            let source = labs.appendingPathComponent(file)
            let attributes = try fm.attributesOfItem(atPath: source.path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            guard let size = attributes[.size] as? Int, size <= Submission.maxFileBytes else {
                throw CheckFailure("Labs/\(file) is larger than \(Submission.maxFileBytes >> 20) MB")
            }
            let data = try Data(contentsOf: source)
            let target = destination.appendingPathComponent(file)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
            digest = HMACSHA256.sha256(digest + Array(file.utf8) + [0] + HMACSHA256.sha256(Array(data)))
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// Unpacks a student's archive with the system's `unzip` or `tar`, after checking its listing:
/// no absolute paths, no `..`, no links (a link could point out of the folder), and at most
/// `maxBytes` unpacked.
public enum SubmissionArchive {
    public static let maxBytes = 64 << 20

    public static func unpack(_ archive: URL, into folder: URL) throws {
        let name = archive.lastPathComponent.lowercased()
        let zip = name.hasSuffix(".zip")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let listing = runChild(zip ? ["unzip", "-Z", "-l", archive.path] : ["tar", "-tvzf", archive.path], timeLimit: 60)
        guard listing.outcome == .exited(0) else {
            throw CheckFailure("\(archive.lastPathComponent) is not a readable \(zip ? "zip" : "tar.gz") archive: "
                               + lastLines(listing.standardError))
        }
        let namesRun = runChild(zip ? ["unzip", "-Z1", archive.path] : ["tar", "-tzf", archive.path], timeLimit: 60)
        var total = 0
        for line in listing.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // zip: "-rw-r--r--  3.0 unx  123 tx defN 24-Jan-01 00:00 path"; tar: "-rw-r--r-- u/g 123 date time path"
            guard let mode = fields.first, mode.count == 10 else { continue }
            if mode.hasPrefix("l") || mode.hasPrefix("h") {
                throw CheckFailure("\(archive.lastPathComponent) holds a link (\(fields.last ?? "")): links are not accepted")
            }
            let sizeField = zip ? (fields.count > 3 ? fields[3] : "0") : (fields.count > 2 ? fields[2] : "0")
            total += Int(sizeField) ?? 0
        }
        guard total <= maxBytes else {
            throw CheckFailure("\(archive.lastPathComponent) unpacks to \(total >> 20) MB (at most \(maxBytes >> 20) MB)")
        }
        for entry in namesRun.standardOutput.split(separator: "\n") {
            let path = String(entry)
            if path.hasPrefix("/") || path.split(separator: "/").contains("..") || path.contains("\\") {
                throw CheckFailure("\(archive.lastPathComponent) holds \"\(path)\": paths must stay inside the archive's folder")
            }
        }
        let run = runChild(zip ? ["unzip", "-q", "-n", archive.path, "-d", folder.path]
                               : ["tar", "-xzf", archive.path, "-C", folder.path, "--no-same-owner", "--no-same-permissions"],
                           timeLimit: 120)
        guard run.outcome == .exited(0) else {
            throw CheckFailure("unpacking \(archive.lastPathComponent) failed: " + lastLines(run.standardError))
        }
    }
}
