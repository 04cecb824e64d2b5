import Foundation

/// What one cell of the lab produced, in order: the record the console shows as it goes and
/// `report.html` shows afterwards.
public enum NotebookBlock: Sendable {
    /// A paragraph of narrative. Light markup: `code` and **bold**.
    case text(String)
    /// Printed output, shown in monospace (several `print`s in a row make one block).
    case output(String)
    /// A figure written into the output folder (file name relative to it) and its caption.
    case figure(file: String, caption: String)
    /// A ★★★ question, with the student's answer from the answers file (nil: not answered).
    case question(number: Int, answer: String?)
    /// Part of the cell did not run because an exercise is still a stub.
    case skipped(ExerciseSkip)
    /// Part of the cell did not run because an earlier cell did not finish.
    case missing(String)
    /// An error (other than a stub): shown, and the lab carries on.
    case error(String)
}

/// An exercise the lab could not use, and what it had to leave out because of it.
public struct ExerciseSkip: Sendable, Equatable {
    /// e.g. "Question 6: UNet_shallow".
    public var exercise: String
    /// The file and function the student writes, e.g. "Labs/UNetShallow.swift".
    public var file: String
    public var function: String
    /// What was left out, e.g. "training UNet_shallow".
    public var skippedPart: String
    /// The cell it happened in.
    public var cell: Int
}

/// How a cell went.
public enum CellStatus: String, Sendable {
    /// Everything ran.
    case ran
    /// Some parts were skipped (a stub or an earlier cell), the rest ran.
    case partial
    /// Nothing but narrative: every part that computes was skipped.
    case skipped
    /// An error stopped (part of) the cell.
    case failed
}

/// One cell's heading, everything it produced and how long it took.
public struct NotebookCell: Sendable {
    public var number: Int
    public var title: String
    public var blocks: [NotebookBlock]
    public var seconds: Double

    /// Failed if any error was shown; skipped if parts were skipped and nothing was printed or
    /// drawn; partial if parts were skipped; else ran.
    public var status: CellStatus {
        var produced = false, skipped = false
        for block in blocks {
            switch block {
            case .error: return .failed
            case .skipped, .missing: skipped = true
            case .output, .figure: produced = true
            case .text, .question: break
            }
        }
        return skipped ? (produced ? .partial : .skipped) : .ran
    }

    /// The exercises this cell could not use.
    public var skips: [ExerciseSkip] {
        blocks.compactMap { if case let .skipped(skip) = $0 { skip } else { nil } }
    }

    /// The figure files this cell wrote.
    public var figures: [String] {
        blocks.compactMap { if case let .figure(file, _) = $0 { file } else { nil } }
    }
}

/// A whole run of a notebook.
public struct NotebookRecord: Sendable {
    /// Which notebook ran: its title, questions and how the report describes it.
    public var notebook: NotebookDescription
    /// "Labs" (the student's exercises) or "Solutions" (the reference answers).
    public var edition: String
    /// The settings' name and schedule, e.g. "course: 5 epochs × 50 steps × batch 4, 128×128 images".
    public var settingsName: String
    public var schedule: String
    public var date: Date
    public var cells: [NotebookCell]
    /// The answers file read for the questions (path as given), and whether it was just created.
    public var answersFile: String
    public var answersFileCreated: Bool
    public var totalSeconds: Double

    public init(notebook: NotebookDescription, edition: String, settingsName: String, schedule: String, date: Date,
                cells: [NotebookCell], answersFile: String, answersFileCreated: Bool, totalSeconds: Double) {
        self.notebook = notebook; self.edition = edition; self.settingsName = settingsName; self.schedule = schedule
        self.date = date; self.cells = cells; self.answersFile = answersFile
        self.answersFileCreated = answersFileCreated; self.totalSeconds = totalSeconds
    }

    /// Every skipped exercise, once each, in the order they were first met.
    public var skippedExercises: [ExerciseSkip] {
        var seen = Set<String>()
        return cells.flatMap(\.skips).filter { seen.insert($0.exercise).inserted }
    }
}
