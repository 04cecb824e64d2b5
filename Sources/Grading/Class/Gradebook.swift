import Foundation
import UNetKit
#if canImport(Glibc)
import Glibc
#endif

/// A class's grades in one folder, written only by the grading parent:
///
///     gradebook.csv            one row per student (see `csvHeader`), sorted by student
///     feedback/<student>.md    the student's table, messages and every check
///     records/<student>.json   what a re-run needs to skip an unchanged submission, signed
///                              with `.key` (HMAC-SHA256), so a planted record is not believed
///
/// Every file is written whole (to a temporary name, then renamed) from the parent's records.
public struct Gradebook: Sendable {
    public var folder: URL
    public var exercises: [String]
    private let key: [UInt8]

    public var csvURL: URL { folder.appendingPathComponent("gradebook.csv") }
    var recordsFolder: URL { folder.appendingPathComponent("records") }
    var feedbackFolder: URL { folder.appendingPathComponent("feedback") }

    /// Opens (or creates) the gradebook in `folder` for `exercises` (the graders' order).
    public init(folder: URL, exercises: [String]) throws {
        self.folder = folder
        self.exercises = exercises
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("records"), withIntermediateDirectories: true)
        try fm.createDirectory(at: folder.appendingPathComponent("feedback"), withIntermediateDirectories: true)
        let keyFile = folder.appendingPathComponent(".key")
        if let data = try? Data(contentsOf: keyFile), data.count == 32 {
            key = Array(data)
        } else {
            key = freshGradingKey()
            try writeWhole(Data(key), to: keyFile)
            try? fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        }
    }

    /// The stored record of `student` if it is genuine (its signature checks) and graded the
    /// same exercises; nil otherwise.
    public func record(of student: String) -> SubmissionRecord? {
        guard let text = try? String(contentsOf: recordsFolder.appendingPathComponent(student + ".json"), encoding: .utf8),
              let newline = text.firstIndex(of: "\n") else { return nil }
        let mac = String(text[..<newline]), json = String(text[text.index(after: newline)...])
        guard HMACSHA256.equalInConstantTime(mac, HMACSHA256.hex(key: key, message: Array(json.utf8))),
              let record = try? JSONDecoder().decode(SubmissionRecord.self, from: Data(json.utf8)),
              record.student == student, record.results.map(\.exercise) == exercises else { return nil }
        return record
    }

    /// Stores `record` and writes the student's feedback file.
    public func save(_ record: SubmissionRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        let signed = HMACSHA256.hex(key: key, message: Array(json.utf8)) + "\n" + json
        try writeWhole(Data(signed.utf8), to: recordsFolder.appendingPathComponent(record.student + ".json"))
        try writeWhole(Data(feedback(record).utf8), to: feedbackFolder.appendingPathComponent(record.student + ".md"))
    }

    /// Rewrites gradebook.csv from the stored records of `students`.
    @discardableResult
    public func writeCSV(students: [String]) throws -> [SubmissionRecord] {
        let records = students.sorted().compactMap(record(of:))
        var lines = [Gradebook.csvHeader(exercises)]
        for r in records { lines.append(Gradebook.csvRow(r)) }
        try writeWhole(Data((lines.joined(separator: "\n") + "\n").utf8), to: csvURL)
        return records
    }

    /// student, one points column per exercise, total, max_total, one status column per
    /// exercise, does_not_compile (the files), seed, seconds, sandboxed, hidden_checks, submission_sha256.
    public static func csvHeader(_ exercises: [String]) -> String {
        (["student"] + exercises + ["total", "max_total"] + exercises.map { $0 + "_status" }
         + ["does_not_compile", "seed", "seconds", "sandboxed", "hidden_checks", "submission_sha256"]).joined(separator: ",")
    }

    public static func csvRow(_ r: SubmissionRecord) -> String {
        let fields = [r.student] + r.results.map { formatPoints($0.points) }
            + [formatPoints(r.total), formatPoints(r.maxTotal)] + r.results.map(\.status.rawValue)
            + [r.compileProblems.map(\.file).joined(separator: " "), String(r.seed), String(format: "%.1f", r.seconds),
               r.sandboxed ? "yes" : "no", r.hiddenChecks ? "yes" : "no", r.submissionSHA256]
        return fields.map(csvField).joined(separator: ",")
    }

    /// The feedback file: Markdown, for the student.
    public func feedback(_ r: SubmissionRecord) -> String {
        var text = "# Grading feedback: \(r.student)\n\n"
        text += "**Total: \(formatPoints(r.total))/\(formatPoints(r.maxTotal))** — graded in \(String(format: "%.0f", r.seconds)) s, "
            + "seed \(r.seed) (`UNETLAB_GRADER_SEED=\(r.seed) make grade` repeats the randomized checks)"
            + (r.hiddenChecks ? "; includes the instructor's hidden checks" : "") + ".\n\n"
        if let failure = r.failure { text += "**Not graded:** \(failure)\n\n" }
        text += "```\n" + gradeTable(r.results) + "\n```\n"
        if !r.compileProblems.isEmpty {
            text += "\n## Files that do not compile\n\n"
            for p in r.compileProblems {
                text += "- `\(p.file)`: \(p.firstError) — " + (p.replacedByStub ? "graded as the shipped stub" : "left out (a helper file)") + "\n"
            }
        }
        if r.forgedLines > 0 {
            text += "\n**Note:** the output held \(r.forgedLines) result line\(r.forgedLines == 1 ? "" : "s") that the grader "
                + "did not write; \(r.forgedLines == 1 ? "it was" : "they were") ignored.\n"
        }
        for result in r.results {
            text += "\n## \(result.exercise) — \(result.title): \(formatPoints(result.points))/\(formatPoints(result.maxPoints))\n\n"
            text += result.message + "\n"
            if !result.checks.isEmpty {
                text += "\n" + result.checks.map { "- [\($0.passed ? "pass" : "FAIL") \(formatPoints($0.points))/\(formatPoints($0.maxPoints))] \($0.name): \($0.message)" }
                    .joined(separator: "\n") + "\n"
            }
        }
        return text
    }

    /// The largest gradebook `merge` reads (a class of thousands is a few hundred KB).
    public static let maximumGradebookBytes = 64 << 20

    /// Merges gradebooks (one per shard) into one: the same header, each student once, sorted.
    public static func merge(_ csvFiles: [URL]) throws -> String {
        var header: String?
        var rows: [String: (row: String, file: String)] = [:]
        for file in csvFiles {
            // A regular file of bounded size (a folder, FIFO or /dev/zero is refused unread), UTF-8.
            let text: String
            do {
                text = try readTextFile(file.path, limit: maximumGradebookBytes, what: "a gradebook.csv")
            } catch let error as FileReadError {
                throw CheckFailure(error.message)
            }
            let lines = text.split(separator: "\n").map(String.init)
            guard let first = lines.first, first.hasPrefix("student,") else {
                throw CheckFailure("\(file.path): not a gradebook (its first line should start with \"student,\")")
            }
            if let header, header != first {
                throw CheckFailure("\(file.path) has other columns than \(csvFiles[0].path):\n  \(first)\n  \(header)")
            }
            header = first
            for line in lines.dropFirst() {
                let student = String(line.prefix { $0 != "," })
                if let other = rows[student] {
                    throw CheckFailure("student \(student) is in both \(other.file) and \(file.path): were the shards overlapping?")
                }
                rows[student] = (line, file.path)
            }
        }
        guard let header else { throw CheckFailure("no gradebooks to merge") }
        return ([header] + rows.keys.sorted().map { rows[$0]!.row }).joined(separator: "\n") + "\n"
    }
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
func csvField(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Writes `data` to a temporary file beside `url`, then renames it over `url`: readers see
/// the old file or the new one, never half of one.
func writeWhole(_ data: Data, to url: URL) throws {
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    try data.write(to: temporary)
    if rename(temporary.path, url.path) != 0 {
        try? FileManager.default.removeItem(at: temporary)
        throw CheckFailure("cannot write \(url.path): \(String(cString: strerror(errno)))")
    }
}
