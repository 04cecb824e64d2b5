import Foundation
import UNetKit
import Notebook
import LabExercises

/// What the advanced lab's cells are given: the notebook engine's context with the lab's state.
public typealias AdvancedCell = CellContext<AdvancedLabState>

/// The advanced lab (seeds 000–003: thin-structure segmentation of retinal vessels) as ten
/// numbered, narrated cells: thin structures, preprocessing, augmentation, losses, DropBlock,
/// attention and context, the four networks, patch-wise prediction, ROC, and the seeds read
/// critically. Each cell prints its numbers and writes its figures into the output folder; at
/// the end `report.html` holds every cell, the ten questions and the student's answers.
///
///     let lab = AdvancedLab(exercises: Solutions.exercises, settings: .quick,
///                           outputDirectory: "lab-advanced-output", answersFile: "Labs/ANSWERS-advanced.md")
///     let record = try lab.run()
///
/// A part that needs one of the five advanced exercises still left as a stub says which file
/// and function to write and the cell carries on; any other error is shown in its cell.
public struct AdvancedLab {
    public var exercises: ExerciseSet
    public var settings: AdvancedSettings
    /// Folder for the figures and report.html (must exist).
    public var outputDirectory: String
    /// The student's answers (Markdown); created with the questions if missing and its folder exists.
    public var answersFile: String
    public var console: NotebookConsole

    public init(exercises: ExerciseSet, settings: AdvancedSettings, outputDirectory: String, answersFile: String,
                console: NotebookConsole = .standardOutput) {
        self.exercises = exercises; self.settings = settings; self.outputDirectory = outputDirectory
        self.answersFile = answersFile; self.console = console
    }

    public static let description = NotebookDescription(
        title: "Thin structures: retinal vessel segmentation",
        kicker: "Deep-learning lab II · advanced segmentation", shortName: "Advanced lab",
        about: "The lab follows four student reports on retinal vessel segmentation (seeds 000–003: SA-UNet, "
            + "a Keras U-Net with focal loss, an OCTA pipeline, DACRSE-UNet) on synthetic vessel images.",
        command: "make lab-advanced", report: "lab-advanced-output/report.html", questions: AdvancedQuestions.all,
        exerciseCount: 5)

    /// The cells, in order.
    public static let cells: [Notebook<AdvancedLabState>.Cell] = [
        .init(title: "Thin structures: why pixel accuracy lies", run: ThinStructuresCell.run),
        .init(title: "Preprocessing: projection, equalisation, CLAHE", run: PreprocessingCell.run),
        .init(title: "Augmentation: image and mask together", run: AugmentationCell.run),
        .init(title: "Losses for imbalance", run: LossesCell.run),
        .init(title: "Regularisation: dropout and DropBlock", run: RegularisationCell.run),
        .init(title: "Attention and context", run: AttentionCell.run),
        .init(title: "The four networks", run: NetworksCell.run),
        .init(title: "Patch-wise prediction with sliding windows", run: PatchCell.run),
        .init(title: "ROC curves and thresholds", run: ROCCell.run),
        .init(title: "Reading the seeds critically", run: CritiqueCell.run),
    ]

    public static var cellTitles: [String] { cells.map(\.title) }

    public var notebook: Notebook<AdvancedLabState> {
        Notebook(description: Self.description, cells: Self.cells, console: console)
    }

    /// The answers file a student starts from (`Labs/ANSWERS-advanced.md`).
    public static var answersTemplate: String {
        Notebook<AdvancedLabState>(description: description, cells: cells).answersTemplate
    }

    /// Runs every cell, then writes report.html (completely or not at all). Throws only when the
    /// settings are invalid, the answers file cannot be read or the report cannot be written.
    @discardableResult
    public func run() throws -> NotebookRecord {
        try settings.validate()
        let lab = AdvancedLabState(settings: settings, exercises: exercises)
        return try notebook.run(lab: lab, edition: exercises.name, settingsName: settings.name,
                                schedule: settings.scheduleDescription, outputDirectory: outputDirectory,
                                answersFile: answersFile)
    }
}

/// The advanced exercises' files in Labs/. A set that leaves an exercise out throws
/// `ExerciseNotImplemented` without a file ("(not in Labs)"); the lab then names the file the
/// student writes it in.
enum AdvancedExercises {
    static let files = ["focalLoss": "Labs/FocalLoss.swift", "dropBlock": "Labs/DropBlock.swift",
                        "dropBlockGamma": "Labs/DropBlock.swift", "SpatialAttention": "Labs/SpatialAttentionGate.swift",
                        "slidingWindowPredict": "Labs/SlidingWindowPredict.swift", "rocAUC": "Labs/ROCAUC.swift"]

    /// Runs `body`; an `ExerciseNotImplemented` without a file gets the exercise's file in Labs/.
    static func named<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let stub as ExerciseNotImplemented where stub.file.hasPrefix("(") {
            throw ExerciseNotImplemented(exercise: stub.exercise, file: files[stub.function] ?? stub.file,
                                         function: stub.function)
        }
    }

    /// The exercise's γ; a left-out `dropBlockGamma` (NaN) is reported as a stub.
    static func gamma(_ exercises: ExerciseSet, p: Double, blockSize: Int, height: Int, width: Int) throws -> Double {
        let g = exercises.dropBlockGamma(p, blockSize, height, width)
        guard !g.isNaN else {
            throw ExerciseNotImplemented(exercise: "advanced: dropBlockGamma", file: files["dropBlockGamma"]!,
                                         function: "dropBlockGamma")
        }
        return g
    }
}

extension CellContext where Lab == AdvancedLabState {
    /// `exercise(part, body)` with the advanced exercises' files named (see `AdvancedExercises`).
    func advancedExercise<T>(_ part: String, _ body: () throws -> T) throws -> T? {
        try exercise(part) { try AdvancedExercises.named(body) }
    }

    /// A table: a header line and rows, columns padded to `widths` (first column left-aligned).
    func table(_ header: [String], _ rows: [[String]], widths: [Int]) {
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == 0 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: max(0, widths[i] - cell.count)) + cell
            }.joined(separator: " ")
        }
        print(([line(header)] + rows.map(line)).joined(separator: "\n"))
    }
}

/// 0.96981 → "0.9698".
func f4(_ v: Double) -> String { String(format: "%.4f", v) }
