import Foundation

/// `report.html`: a notebook with its outputs, in one self-contained file a student can hand in —
/// every cell's heading, narrative, printed output and figures (PNG files embedded as base64
/// data URIs), the questions with the student's answers, and a header with the
/// date, the edition and the exercises that were skipped. No external resources.
public struct NotebookReport {
    public var record: NotebookRecord
    /// Where the figures named in the record are.
    public var outputDirectory: URL

    public init(record: NotebookRecord, outputDirectory: URL) {
        self.record = record
        self.outputDirectory = outputDirectory
    }

    /// Writes the report completely or not at all: to a temporary file in the same folder,
    /// then renamed over `url`. An existing report is left as it was if anything fails.
    public func write(to url: URL) throws {
        let data = Data(try html().utf8)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw NotebookFileError("cannot write \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The whole document.
    public func html() throws -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(record.notebook.shortName)) report — \(escape(record.edition)) — \(escape(dateString))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <main>

            """
        out += header()
        for cell in record.cells { out += try section(cell) }
        out += """
            <footer>Written by <code>\(escape(record.notebook.command))</code> (UNet Lab Kit) on \(escape(dateString)).
            \(escape(record.notebook.about))</footer>
            </main>
            </body>
            </html>

            """
        return out
    }

    var dateString: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: record.date)
    }

    // MARK: - Parts

    func header() -> String {
        let edition = record.edition == "Solutions"
            ? "Solutions — the reference answers" : "\(record.edition) — your exercises"
        let questions = record.notebook.questions
        let answered = questions.map(\.number).filter { number in
            record.cells.contains { $0.blocks.contains { if case .question(number, let a) = $0 { a != nil } else { false } } }
        }.count
        var out = """
            <header>
            <p class="kicker">\(escape(record.notebook.kicker))</p>
            <h1>\(escape(record.notebook.title))</h1>
            <dl class="meta">
            <div><dt>Date</dt><dd>\(escape(dateString))</dd></div>
            <div><dt>Edition</dt><dd>\(escape(edition))</dd></div>
            <div><dt>Schedule</dt><dd>\(escape(record.settingsName)): \(escape(record.schedule))</dd></div>
            <div><dt>Run time</dt><dd>\(escape(formatDuration(record.totalSeconds)))</dd></div>
            <div><dt>Questions answered</dt><dd>\(answered) of \(questions.count)
            <span class="muted">(in <code>\(escape(record.answersFile))</code>)</span></dd></div>
            </dl>

            """
        let skipped = record.skippedExercises
        if skipped.isEmpty {
            out += "<div class=\"summary ok\"><strong>All \(numberWord(record.notebook.exerciseCount)) exercises ran."
                + "</strong> Every cell used them.</div>\n"
        } else {
            out += "<div class=\"summary todo\"><strong>Exercises still to write</strong> — the parts that need "
                + "them were skipped; the rest of the lab ran.<ul>\n"
            for skip in skipped {
                let parts = record.cells.flatMap(\.skips).filter { $0.exercise == skip.exercise }
                    .map { "cell \($0.cell): \($0.skippedPart)" }
                out += "<li><strong>\(escape(skip.exercise))</strong> — write <code>\(escape(skip.function))</code> in "
                    + "<code>\(escape(skip.file))</code><br><span class=\"muted\">skipped: "
                    + "\(escape(parts.joined(separator: "; ")))</span></li>\n"
            }
            out += "</ul></div>\n"
        }
        out += "<nav><ol>\n"
        for cell in record.cells {
            out += "<li><a href=\"#cell-\(cell.number)\">\(escape(cell.title))</a> "
                + "<span class=\"badge \(cell.status.rawValue)\">\(statusText(cell.status))</span></li>\n"
        }
        out += "</ol></nav>\n</header>\n"
        return out
    }

    func section(_ cell: NotebookCell) throws -> String {
        var out = """
            <section class="cell" id="cell-\(cell.number)">
            <h2><span class="number">\(cell.number)</span>\(escape(cell.title))
            <span class="badge \(cell.status.rawValue)">\(statusText(cell.status)) · \(escape(formatDuration(cell.seconds)))</span></h2>

            """
        for block in cell.blocks {
            switch block {
            case let .text(paragraph):
                out += "<p>\(inline(paragraph))</p>\n"
            case let .output(text):
                out += "<pre class=\"output\">\(escape(text))</pre>\n"
            case let .figure(file, caption):
                out += figure(file: file, caption: caption)
            case let .question(number, answer):
                out += question(number, answer: answer)
            case let .skipped(skip):
                out += "<div class=\"note skipped\"><strong>Skipped \(escape(skip.skippedPart))</strong>: "
                    + "\(escape(skip.exercise)) is not written yet. Write <code>\(escape(skip.function))</code> in "
                    + "<code>\(escape(skip.file))</code> and run the lab again.</div>\n"
            case let .missing(text):
                out += "<div class=\"note skipped\">\(escape(text))</div>\n"
            case let .error(text):
                out += "<div class=\"note error\"><strong>Error.</strong> \(escape(text))</div>\n"
            }
        }
        return out + "</section>\n"
    }

    func figure(file: String, caption: String) -> String {
        let url = outputDirectory.appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url) else {
            return "<div class=\"note error\">Figure <code>\(escape(file))</code> is missing from the output folder.</div>\n"
        }
        return """
            <figure><img src="data:image/png;base64,\(data.base64EncodedString())" alt="\(escape(caption))">
            <figcaption>\(escape(caption)) <span class="muted">— <code>\(escape(file))</code></span></figcaption></figure>

            """
    }

    func question(_ number: Int, answer: String?) -> String {
        let q = record.notebook.questions.first { $0.number == number }
            ?? NotebookQuestion(number: number, title: "", text: "")
        var out = """
            <div class="question" id="question-\(number)">
            <h3><span class="stars">★★★</span> Question \(number) — \(escape(q.title))</h3>
            <p>\(inline(q.text))</p>

            """
        if let hint = q.hint { out += "<p class=\"tip\"><strong>Tip.</strong> \(inline(hint))</p>\n" }
        if let answer {
            out += "<div class=\"answer\"><h4>Answer</h4>\n\(markdown(answer))</div>\n"
        } else {
            out += "<div class=\"answer empty\">Not answered yet — write your answer in "
                + "<code>\(escape(record.answersFile))</code> under <code>## Question \(number)</code>.</div>\n"
        }
        return out + "</div>\n"
    }

    func statusText(_ status: CellStatus) -> String {
        switch status {
        case .ran: "ran"
        case .partial: "partly skipped"
        case .skipped: "skipped"
        case .failed: "error"
        }
    }

    // MARK: - Text

    /// A little Markdown for the students' answers: paragraphs, `-`/`*` and `1.` lists, fenced
    /// code blocks, `code` and **bold**. Everything else is shown as written (escaped).
    func markdown(_ text: String) -> String {
        var out = "", paragraph: [String] = [], list: (ordered: Bool, items: [String])?
        var code: [String]?
        func flushParagraph() {
            if !paragraph.isEmpty { out += "<p>\(inline(paragraph.joined(separator: " ")))</p>\n" }
            paragraph = []
        }
        func flushList() {
            if let l = list {
                let tag = l.ordered ? "ol" : "ul"
                out += "<\(tag)>" + l.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>\n"
            }
            list = nil
        }
        for line in text.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if code != nil {
                if trimmed.hasPrefix("```") {
                    out += "<pre class=\"code\">\(escape(code!.joined(separator: "\n")))</pre>\n"
                    code = nil
                } else {
                    code!.append(line)
                }
                continue
            }
            if trimmed.hasPrefix("```") { flushParagraph(); flushList(); code = []; continue }
            if trimmed.isEmpty { flushParagraph(); flushList(); continue }
            if let item = listItem(trimmed) {
                flushParagraph()
                if list == nil || list!.ordered != item.ordered { flushList(); list = (item.ordered, []) }
                list!.items.append(item.text)
                continue
            }
            if list != nil, line.hasPrefix("  ") {
                list!.items[list!.items.count - 1] += " " + trimmed
                continue
            }
            flushList()
            paragraph.append(trimmed)
        }
        if let code { out += "<pre class=\"code\">\(escape(code.joined(separator: "\n")))</pre>\n" }
        flushParagraph()
        flushList()
        return out
    }

    private func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix(while: \.isNumber)
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return (true, String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Escapes, then `code` → <code>, **bold** → <strong>.
    func inline(_ text: String) -> String {
        var out = "", inCode = false, inBold = false
        var i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if ch == "`" {
                out += inCode ? "</code>" : "<code>"
                inCode.toggle()
            } else if !inCode, text[i...].hasPrefix("**") {
                out += inBold ? "</strong>" : "<strong>"
                inBold.toggle()
                i = text.index(after: i)
            } else {
                out += escape(String(ch))
            }
            i = text.index(after: i)
        }
        if inCode { out += "</code>" }
        if inBold { out += "</strong>" }
        return out
    }

    func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    static let css = """

        :root { --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --paper: #ffffff; --wash: #f6f8fa;
                --accent: #0b6bcb; --gold: #b7791f; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; }
        * { box-sizing: border-box; }
        html { background: #eef1f4; }
        body { margin: 0; color: var(--ink); font: 16px/1.6 -apple-system, "Segoe UI", "DejaVu Sans", "Helvetica Neue",
               Arial, sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 32px 24px 48px; }
        header, section.cell { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
                               padding: 24px 32px; margin-bottom: 24px; }
        .kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-size: 13px; }
        h1 { margin: 4px 0 16px; font-size: 30px; line-height: 1.2; }
        h2 { margin: 0 0 12px; font-size: 22px; line-height: 1.3; display: flex; align-items: center; gap: 12px;
             flex-wrap: wrap; }
        h2 .number { display: inline-flex; align-items: center; justify-content: center; min-width: 34px; height: 34px;
                     border-radius: 50%; background: var(--accent); color: #fff; font-size: 17px; }
        h3 { margin: 0 0 8px; font-size: 17px; }
        h4 { margin: 0 0 4px; font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
        p { margin: 0 0 12px; }
        code { font: 13.5px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--wash);
               padding: 1px 4px; border-radius: 4px; }
        pre { font: 13px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--wash);
              border: 1px solid var(--line); border-left: 4px solid #8c959f; border-radius: 6px; padding: 10px 14px;
              margin: 0 0 14px; overflow-x: auto; white-space: pre-wrap; }
        pre.code { border-left-color: var(--accent); }
        .meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 8px 24px;
                margin: 0 0 16px; }
        .meta div { border-top: 1px solid var(--line); padding-top: 6px; }
        .meta dt { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
        .meta dd { margin: 0; }
        .muted { color: var(--muted); font-size: 14px; }
        .summary { border-radius: 8px; padding: 12px 16px; margin: 0 0 16px; }
        .summary ul { margin: 8px 0 0; padding-left: 20px; }
        .summary.ok { background: #dafbe1; border: 1px solid #aceebb; }
        .summary.todo { background: #fff8c5; border: 1px solid #eed888; }
        nav ol { margin: 0; padding-left: 24px; columns: 2; column-gap: 32px; }
        nav li { break-inside: avoid; margin-bottom: 2px; }
        nav a { color: var(--accent); text-decoration: none; }
        .badge { font-size: 12px; font-weight: 600; border-radius: 999px; padding: 2px 10px; white-space: nowrap;
                 background: #dafbe1; color: var(--ok); }
        .badge.partial, .badge.skipped { background: #fff8c5; color: var(--warn); }
        .badge.failed { background: #ffebe9; color: var(--bad); }
        figure { margin: 8px 0 18px; text-align: center; }
        figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
        figcaption { font-size: 14px; color: var(--ink); margin-top: 6px; }
        .question { border: 1px solid #eed888; border-left: 5px solid var(--gold); background: #fffbeb;
                    border-radius: 8px; padding: 14px 18px; margin: 10px 0 18px; }
        .stars { color: var(--gold); letter-spacing: 1px; }
        .tip { color: #4d4d4d; font-size: 15px; }
        .answer { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
        .answer p:last-child, .answer ul:last-child, .answer ol:last-child { margin-bottom: 0; }
        .answer.empty { color: var(--muted); border-style: dashed; font-style: italic; }
        .note { border-radius: 6px; padding: 10px 14px; margin: 0 0 14px; }
        .note.skipped { background: #fff8c5; border: 1px solid #eed888; }
        .note.error { background: #ffebe9; border: 1px solid #ffcecb; color: #82071e; }
        footer { color: var(--muted); font-size: 13px; text-align: center; }
        @media print { html { background: #fff; } header, section.cell { border: none; padding: 0; }
                       figure, pre, .question { break-inside: avoid; } }

        """
}
