import Foundation
import UNetKit

/// The course's lab (seed 004) as a sequence of numbered, narrated cells, in the notebook's
/// order: data, UNet, training, loss curve, metrics, prediction, UNet_shallow, UNet_add and the
/// appendix. Each cell prints what the notebook prints and writes its figures into the output
/// folder; at the end `report.html` holds every cell with its output, figures, the seven
/// questions and the student's answers.
///
///     let notebook = LabNotebook(exercises: Solutions.exercises, settings: .quick,
///                                outputDirectory: "lab-output", answersFile: "Labs/ANSWERS.md")
///     let record = try notebook.run()
///
/// A cell that needs an exercise still left as a stub (`ExerciseNotImplemented`) says which
/// file and function to write and carries on with the parts that do not need it; any other
/// error is shown in its cell and the lab goes on with the next one.
public struct LabNotebook {
    public var exercises: ExerciseSet
    public var settings: LabSettings
    /// Folder for the figures, the per-step losses and report.html (must exist).
    public var outputDirectory: String
    /// The student's answers (Markdown); created with the questions and empty slots if missing
    /// and its folder exists.
    public var answersFile: String
    public var console: NotebookConsole

    /// The report's file name inside the output folder.
    public static let reportFile = "report.html"

    public init(exercises: ExerciseSet, settings: LabSettings, outputDirectory: String, answersFile: String,
                console: NotebookConsole = .standardOutput) {
        self.exercises = exercises; self.settings = settings; self.outputDirectory = outputDirectory
        self.answersFile = answersFile; self.console = console
    }

    /// The cells, in order.
    static let cells: [(title: String, run: (CellContext) throws -> Void)] = [
        ("Data: synthetic shapes and their labels", DataCell.run),
        ("The UNet", UNetCell.run),
        ("Training the UNet", TrainingCell.run),
        ("The loss curve", LossCurveCell.run),
        ("Evaluating a segmentation: Dice and Jaccard", MetricsCell.run),
        ("Prediction, and the images it gets wrong", PredictionCell.run),
        ("A shallower network: UNet_shallow", ShallowCell.run),
        ("Adding instead of concatenating: UNet_add", AddCell.run),
        ("Appendix: convolution and deconvolution by hand", AppendixCell.run),
    ]

    /// The cells' titles, numbered from 1.
    public static var cellTitles: [String] { cells.map(\.title) }

    /// Runs every cell, then writes report.html (completely or not at all). Throws only when the
    /// settings are invalid, the answers file cannot be read or the report cannot be written;
    /// errors inside cells are shown in the cells.
    @discardableResult
    public func run() throws -> NotebookRecord {
        try settings.validate()
        let directory = URL(fileURLWithPath: outputDirectory)
        let answers = try LabAnswers.load(path: answersFile, createIfMissing: true)
        let lab = LabState(settings: settings, exercises: exercises, outputDirectory: directory, answers: answers)
        let date = Date()
        let start = DispatchTime.now().uptimeNanoseconds
        console.line("UNet lab — \(exercises.name) edition — \(settings.name) schedule: \(settings.scheduleDescription)")
        if answers.created {
            console.line("Created \(answers.path) with the seven questions: write your answers there.")
        }
        console.line("")
        var cells: [NotebookCell] = []
        for (index, cell) in Self.cells.enumerated() {
            let number = index + 1
            let heading = "Cell \(number) · \(cell.title)"
            console.line(heading)
            console.line(String(repeating: "═", count: heading.count))
            let context = CellContext(number: number, title: cell.title, lab: lab, console: console)
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
            cells.append(record)
        }
        let record = NotebookRecord(
            edition: exercises.name, settingsName: settings.name, schedule: settings.scheduleDescription, date: date,
            cells: cells, answersFile: answers.path, answersFileCreated: answers.created,
            totalSeconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        let reportPath = directory.appendingPathComponent(Self.reportFile)
        try NotebookReport(record: record, outputDirectory: directory).write(to: reportPath)
        let skipped = record.skippedExercises
        console.line("Lab finished in \(formatDuration(record.totalSeconds)).")
        if skipped.isEmpty {
            console.line("All four exercises ran.")
        } else {
            console.line("Exercises still to write (their cells were skipped):")
            for skip in skipped { console.line("  • \(skip.exercise): \(skip.function) in \(skip.file)") }
        }
        console.line("Report: \(reportPath.path) — figures in \(outputDirectory)/")
        return record
    }
}

/// 0.42 → "0.4 s", 75 → "1 min 15 s", 3700 → "1 h 01 min".
func formatDuration(_ seconds: Double) -> String {
    if seconds < 60 { return String(format: "%.1f s", seconds) }
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60) }
    return String(format: "%d min %02d s", s / 60, s % 60)
}
