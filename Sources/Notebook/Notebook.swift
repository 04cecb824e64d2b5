import Foundation

/// How a notebook presents itself: in the console, the answers file and report.html.
public struct NotebookDescription: Sendable {
    /// The report's heading, e.g. "UNet on synthetic shapes".
    public var title: String
    /// The line above it, e.g. "Deep-learning lab · semantic segmentation".
    public var kicker: String
    /// The console's first words, e.g. "UNet lab".
    public var shortName: String
    /// The report's closing sentence: where the notebook comes from.
    public var about: String
    /// What the reader runs, e.g. "make lab" (the answers file and the report say it).
    public var command: String
    /// Where that command writes the report, e.g. "lab-output/report.html" (the answers file says it).
    public var report: String
    /// The questions, in the order the cells ask them.
    public var questions: [NotebookQuestion]
    /// How many exercises the notebook uses ("All four exercises ran").
    public var exerciseCount: Int

    public init(title: String, kicker: String, shortName: String, about: String, command: String, report: String,
                questions: [NotebookQuestion], exerciseCount: Int) {
        self.title = title; self.kicker = kicker; self.shortName = shortName; self.about = about
        self.command = command; self.report = report; self.questions = questions; self.exerciseCount = exerciseCount
    }
}

/// A notebook: numbered cells that share a `Lab` value, run in order. Each cell narrates,
/// prints and draws through its `CellContext`; afterwards `report.html` holds every cell with
/// its output and figures, the questions and the reader's answers.
///
///     let notebook = Notebook(description: course, cells: [
///         .init(title: "Data") { c in … },
///         .init(title: "Training") { c in … },
///     ])
///     let record = try notebook.run(lab: state, edition: "Labs", schedule: ("quick", "…"),
///                                   outputDirectory: "lab-output", answersFile: "Labs/ANSWERS.md")
///
/// A cell part that needs an exercise still left as a stub (an `ExerciseStub`) says which file
/// and function to write and the cell carries on; any other error is shown in its cell and the
/// notebook goes on with the next one.
public struct Notebook<Lab> {
    public struct Cell: Sendable {
        public var title: String
        public var run: @Sendable (CellContext<Lab>) throws -> Void
        public init(title: String, run: @escaping @Sendable (CellContext<Lab>) throws -> Void) {
            self.title = title; self.run = run
        }
    }

    public var description: NotebookDescription
    public var cells: [Cell]
    public var console: NotebookConsole

    /// The report's file name inside the output folder.
    public static var reportFile: String { "report.html" }

    public init(description: NotebookDescription, cells: [Cell], console: NotebookConsole = .standardOutput) {
        self.description = description; self.cells = cells; self.console = console
    }

    /// The answers file a reader starts from.
    public var answersTemplate: String {
        AnswersFile.template(description.questions, command: description.command, report: description.report)
    }

    /// Runs every cell, then writes report.html (completely or not at all). `outputDirectory`
    /// must exist. Throws only when the answers file cannot be read or the report cannot be
    /// written; errors inside cells are shown in the cells.
    @discardableResult
    public func run(lab: Lab, edition: String, settingsName: String, schedule: String, outputDirectory: String,
                    answersFile: String) throws -> NotebookRecord {
        let directory = URL(fileURLWithPath: outputDirectory)
        let answers = try AnswersFile.load(path: answersFile, template: answersTemplate, createIfMissing: true)
        let date = Date()
        let start = DispatchTime.now().uptimeNanoseconds
        console.line("\(description.shortName) — \(edition) edition — \(settingsName) schedule: \(schedule)")
        if answers.created {
            console.line("Created \(answers.path) with the \(numberWord(description.questions.count)) questions: "
                         + "write your answers there.")
        }
        console.line("")
        var records: [NotebookCell] = []
        for (index, cell) in cells.enumerated() {
            let number = index + 1
            let heading = "Cell \(number) · \(cell.title)"
            console.line(heading)
            console.line(String(repeating: "═", count: heading.count))
            let context = CellContext(number: number, title: cell.title, lab: lab, console: console,
                                      outputDirectory: directory, questions: description.questions, answers: answers)
            let cellStart = DispatchTime.now().uptimeNanoseconds
            do {
                try cell.run(context)
            } catch {
                context.show(error, part: "running this cell")
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - cellStart) / 1e9
            let record = NotebookCell(number: number, title: cell.title, blocks: context.blocks, seconds: seconds)
            console.line("— cell \(number): \(record.status.rawValue) in \(formatDuration(seconds))")
            console.line("")
            records.append(record)
        }
        let record = NotebookRecord(
            notebook: description, edition: edition, settingsName: settingsName, schedule: schedule, date: date,
            cells: records, answersFile: answers.path, answersFileCreated: answers.created,
            totalSeconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        let reportPath = directory.appendingPathComponent(Self.reportFile)
        try NotebookReport(record: record, outputDirectory: directory).write(to: reportPath)
        let skipped = record.skippedExercises
        console.line("Lab finished in \(formatDuration(record.totalSeconds)).")
        if skipped.isEmpty {
            console.line("All \(numberWord(description.exerciseCount)) exercises ran.")
        } else {
            console.line("Exercises still to write (their cells were skipped):")
            for skip in skipped { console.line("  • \(skip.exercise): \(skip.function) in \(skip.file)") }
        }
        console.line("Report: \(reportPath.path) — figures in \(outputDirectory)/")
        return record
    }
}

/// 0.42 → "0.4 s", 75 → "1 min 15 s", 3700 → "1 h 01 min".
public func formatDuration(_ seconds: Double) -> String {
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60) }
    return String(format: "%d min %02d s", s / 60, s % 60)
}

/// 4 → "four" (up to twelve), else the digits.
func numberWord(_ n: Int) -> String {
    let words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
    return words.indices.contains(n) ? words[n] : "\(n)"
}
