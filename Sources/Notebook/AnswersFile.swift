import Foundation
import UNetKit

/// The reader's answers to a notebook's questions: a Markdown file with one section per question,
///
///     ## Question 1 — Which layout, grey or RGB?
///     > From the output above: is the data laid out as …   (the question, quoted)
///
///     Your answer, any Markdown: paragraphs, `- lists`, fenced code.
///
/// Quoted lines (`>`) and HTML comments are the template's and are not part of the answer.
public struct AnswersFile: Sendable {
    /// The file, as given.
    public var path: String
    /// Answers by question number; only the non-empty ones.
    public var answers: [Int: String]
    /// Whether the file was just created from the template.
    public var created: Bool

    public init(path: String, answers: [Int: String], created: Bool = false) {
        self.path = path; self.answers = answers; self.created = created
    }

    /// The answer to question `number`, or nil when it is empty.
    public func answer(to number: Int) -> String? { answers[number] }

    /// The largest answers file read (Markdown text; 8 MiB is thousands of pages).
    public static let maximumBytes = 8 << 20

    /// Reads the answers file. When it is missing and `createIfMissing`, writes the template
    /// (the questions with empty answer slots) if its folder exists; otherwise the answers are
    /// all empty. A file that exists but cannot be read, is not a regular file, is larger than
    /// `maximumBytes` or is not UTF-8 is an error.
    public static func load(path: String, template: @autoclosure () -> String, createIfMissing: Bool) throws -> AnswersFile {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else {
            var isFolder: ObjCBool = false
            let folder = url.deletingLastPathComponent().path
            if createIfMissing, FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue {
                do {
                    try Data(template().utf8).write(to: url, options: .atomic)
                } catch {
                    throw NotebookFileError("cannot create the answers file \(path): \(error.localizedDescription)")
                }
                return AnswersFile(path: path, answers: [:], created: true)
            }
            return AnswersFile(path: path, answers: [:])
        }
        // A regular file of bounded size (a folder, FIFO or device such as /dev/zero is refused
        // before reading) holding UTF-8 text.
        let text: String
        do {
            text = try readTextFile(path, limit: maximumBytes, what: "a Markdown answers file")
        } catch let error as FileReadError {
            throw NotebookFileError("the answers file: \(error.message)")
        }
        return AnswersFile(path: path, answers: parse(text))
    }

    /// Answers by question number from the file's text: everything under `## Question N`
    /// up to the next `## ` heading, without quoted lines and HTML comments, trimmed.
    public static func parse(_ text: String) -> [Int: String] {
        var answers: [Int: String] = [:]
        var current: Int?
        var lines: [String] = []
        func finish() {
            guard let number = current else { return }
            let body = lines.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix(">") }
                .joined(separator: "\n")
            let answer = removingComments(body).trimmingCharacters(in: .whitespacesAndNewlines)
            if !answer.isEmpty { answers[number] = answer }
        }
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("## ") || line.hasPrefix("# ") {
                finish()
                current = nil
                lines = []
                let words = line.drop(while: { $0 == "#" }).split(whereSeparator: { $0 == " " || $0 == "—" || $0 == ":" })
                if words.count >= 2, words[0].lowercased() == "question", let n = Int(words[1]) { current = n }
            } else if current != nil {
                lines.append(line)
            }
        }
        finish()
        return answers
    }

    /// The text without its `<!-- … -->` comments (an unclosed one runs to the end), in one pass
    /// over the UTF-8 bytes: a file of a million comments takes as long as its length.
    private static func removingComments(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let (lt, bang, dash, gt) = (UInt8(ascii: "<"), UInt8(ascii: "!"), UInt8(ascii: "-"), UInt8(ascii: ">"))
        var i = 0
        while i < bytes.count {
            guard i + 3 < bytes.count, bytes[i] == lt, bytes[i + 1] == bang, bytes[i + 2] == dash, bytes[i + 3] == dash else {
                out.append(bytes[i])
                i += 1
                continue
            }
            var j = i + 4
            while j + 2 < bytes.count, !(bytes[j] == dash && bytes[j + 1] == dash && bytes[j + 2] == gt) { j += 1 }
            guard j + 2 < bytes.count else { break }
            i = j + 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The file a reader starts from: the questions, each with an empty slot. `command` is what
    /// the reader runs and `report` the report it writes, e.g. "make lab" and "lab-output/report.html".
    public static func template(_ questions: [NotebookQuestion], command: String, report: String) -> String {
        var text = """
            # Answers to the lab's questions

            Write your answer under each question, below the quoted question (lines starting with `>`
            are the question and are left out of the report). Any Markdown works: paragraphs,
            `- lists`, fenced code. `\(command)` puts your answers into \(report) under
            their questions.

            """
        for q in questions {
            text += "\n## Question \(q.number) — \(q.title)\n\n> \(q.text)\n"
            if let hint = q.hint { text += ">\n> Tip: \(hint)\n" }
            text += "\n<!-- your answer below -->\n\n"
        }
        return text
    }
}
