import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// What the course lab's cells are given: the notebook engine's context with the course's state.
public typealias CourseCell = CellContext<LabState>

/// The course's lab (seed 004) as a sequence of numbered, narrated cells, in the notebook's
/// order: data, UNet, training, loss curve, metrics, prediction, UNet_shallow, UNet_add and the
/// appendix. Each cell prints what the notebook prints and writes its figures into the output
/// folder; at the end `report.html` holds every cell with its output, figures, the seven
/// questions and the student's answers.
///
///     let lab = CourseLab(exercises: Solutions.exercises, settings: .quick,
///                         outputDirectory: "lab-output", answersFile: "Labs/ANSWERS.md")
///     let record = try lab.run()
///
/// A cell that needs an exercise still left as a stub (`ExerciseNotImplemented`) says which
/// file and function to write and carries on with the parts that do not need it; any other
/// error is shown in its cell and the lab goes on with the next one.
public struct CourseLab {
    public var exercises: ExerciseSet
    public var settings: LabSettings
    /// Folder for the figures, the per-step losses and report.html (must exist).
    public var outputDirectory: String
    /// The student's answers (Markdown); created with the questions and empty slots if missing
    /// and its folder exists.
    public var answersFile: String
    public var console: NotebookConsole

    public init(exercises: ExerciseSet, settings: LabSettings, outputDirectory: String, answersFile: String,
                console: NotebookConsole = .standardOutput) {
        self.exercises = exercises; self.settings = settings; self.outputDirectory = outputDirectory
        self.answersFile = answersFile; self.console = console
    }

    /// How the course's notebook presents itself.
    public static let description = NotebookDescription(
        title: "UNet on synthetic shapes", kicker: "Deep-learning lab · semantic segmentation", shortName: "UNet lab",
        about: "The lab follows the course's notebook on UNet semantic segmentation (seed 004), cell by cell.",
        command: "make lab", report: "lab-output/report.html", questions: CourseQuestions.all, exerciseCount: 4)

    /// The cells, in order.
    public static let cells: [Notebook<LabState>.Cell] = [
        .init(title: "Data: synthetic shapes and their labels", run: DataCell.run),
        .init(title: "The UNet", run: UNetCell.run),
        .init(title: "Training the UNet", run: TrainingCell.run),
        .init(title: "The loss curve", run: LossCurveCell.run),
        .init(title: "Evaluating a segmentation: Dice and Jaccard", run: MetricsCell.run),
        .init(title: "Prediction, and the images it gets wrong", run: PredictionCell.run),
        .init(title: "A shallower network: UNet_shallow", run: ShallowCell.run),
        .init(title: "Adding instead of concatenating: UNet_add", run: AddCell.run),
        .init(title: "Appendix: convolution and deconvolution by hand", run: AppendixCell.run),
    ]

    /// The cells' titles, numbered from 1.
    public static var cellTitles: [String] { cells.map(\.title) }

    /// The course's notebook, printing to `console`.
    public var notebook: Notebook<LabState> { Notebook(description: Self.description, cells: Self.cells, console: console) }

    /// The answers file a student starts from (`Labs/ANSWERS.md`).
    public static var answersTemplate: String {
        Notebook<LabState>(description: description, cells: cells).answersTemplate
    }

    /// Runs every cell, then writes report.html (completely or not at all). Throws only when the
    /// settings are invalid, the answers file cannot be read or the report cannot be written;
    /// errors inside cells are shown in the cells.
    @discardableResult
    public func run() throws -> NotebookRecord {
        try settings.validate()
        let lab = LabState(settings: settings, exercises: exercises)
        return try notebook.run(lab: lab, edition: exercises.name, settingsName: settings.name,
                                schedule: settings.scheduleDescription, outputDirectory: outputDirectory,
                                answersFile: answersFile)
    }
}
