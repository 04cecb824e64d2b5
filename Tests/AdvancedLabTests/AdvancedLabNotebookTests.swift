import XCTest
import UNetKit
import Solutions
import Labs
@testable import AdvancedLab
import Notebook
import LabExercises
import SyntheticData

/// The advanced lab end to end at tiny settings (64×64, width 2, 1 epoch × 1 step per network).
final class AdvancedLabNotebookTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("advanced-lab-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func runLab(_ exercises: ExerciseSet) throws -> (NotebookRecord, String) {
        let answersFile = directory.appendingPathComponent("ANSWERS-advanced.md")
        let record = try AdvancedLab(exercises: exercises, settings: .tiny, outputDirectory: directory.path,
                                     answersFile: answersFile.path, console: .silent).run()
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        return (record, html)
    }

    static let figures: Set<String> = [
        "cell1_vessels.png", "cell2_octa_projection.png", "cell2_equalisation.png", "cell2_histograms.png",
        "cell3_augmentations.png", "cell4_loss_curves.png", "cell5_dropblock_masks.png", "cell6_spatial_attention.png",
        "cell6_se_gates.png", "cell7_loss_curves.png", "cell7_accuracy_curves.png", "cell7_predictions.png",
        "cell7_sa_unet_attention.png", "cell8_sliding_window.png", "cell9_roc.png",
    ]

    /// With the reference answers every cell runs, every figure is written and embedded.
    func testEveryCellRunsWithAllExercises() throws {
        let (record, html) = try runLab(Solutions.exercises)
        XCTAssertEqual(record.cells.map(\.number), Array(1...10))
        for cell in record.cells {
            XCTAssertEqual(cell.status, .ran, "cell \(cell.number) \(cell.title): \(cell.blocks)")
            XCTAssertTrue(html.contains("id=\"cell-\(cell.number)\""), "cell \(cell.number) missing from the report")
        }
        XCTAssertTrue(record.skippedExercises.isEmpty, "\(record.skippedExercises)")
        let figures = record.cells.flatMap(\.figures)
        XCTAssertEqual(Set(figures), Self.figures)
        for file in figures {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), file)
        }
        XCTAssertEqual(html.components(separatedBy: "src=\"data:image/png;base64,iVBORw0KGgo").count - 1, figures.count)
        for n in 1...10 { XCTAssertTrue(html.contains("id=\"question-\(n)\""), "question \(n)") }
        let output = record.cells.flatMap(\.blocks).compactMap { if case let .output(t) = $0 { t } else { nil } }
            .joined(separator: "\n")
        for expected in ["all background", "✓ your focalLoss matches", "dropBlockGamma(p 0.18, bs 7, 64×48)",
                         "your SpatialAttention(7): 98 parameters", "your slidingWindowPredict", "your rocAUC",
                         "seed 003: TP/(TP+FP)", "SA-UNet, every pixel", "paper (DRIVE)", "0.9864"] {
            XCTAssertTrue(output.contains(expected), "output lacks \(expected)")
        }
        for line in ["✗ your", "✗ check"] { XCTAssertFalse(output.contains(line), "an exercise check failed: \(line)") }
        XCTAssertTrue(record.answersFileCreated)
        let template = try String(contentsOf: directory.appendingPathComponent("ANSWERS-advanced.md"), encoding: .utf8)
        XCTAssertEqual(template, AdvancedLab.answersTemplate)
    }

    /// With the advanced exercises left out (the stubs' behaviour): the parts that need them say
    /// which file and function to write; everything else runs — the four networks train.
    func testStubsAreNamedAndTheRestRuns() throws {
        let (record, html) = try runLab(Self.withoutAdvanced(Solutions.exercises))
        let status = Dictionary(uniqueKeysWithValues: record.cells.map { ($0.number, $0.status) })
        for n in [1, 2, 3, 7, 10] { XCTAssertEqual(status[n], .ran, "cell \(n): \(record.cells[n - 1].blocks)") }
        for n in [4, 5, 6, 8, 9] { XCTAssertEqual(status[n], .partial, "cell \(n): \(record.cells[n - 1].blocks)") }
        XCTAssertTrue(record.cells.allSatisfy { $0.status != .failed })
        XCTAssertEqual(Set(record.skippedExercises.map(\.function)),
                       ["focalLoss", "dropBlockGamma", "dropBlock", "SpatialAttention", "slidingWindowPredict", "rocAUC"])
        for skip in record.skippedExercises {
            XCTAssertTrue(skip.file.hasPrefix("Labs/") && skip.file.hasSuffix(".swift"), skip.file)
            XCTAssertTrue(html.contains("<code>\(skip.file)</code>"), skip.file)
        }
        XCTAssertEqual(Set(record.cells.flatMap(\.figures)), Self.figures, "every figure is drawn without the exercises")
        XCTAssertTrue(html.contains("Exercises still to write"))
    }

    /// The shipped Labs/ stubs: no cell fails, and the networks of cell 7 still train.
    func testShippedLabsRun() throws {
        let (record, _) = try runLab(Labs.exercises)
        XCTAssertTrue(record.cells.allSatisfy { $0.status != .failed }, "\(record.cells.map(\.status))")
        XCTAssertEqual(record.cells[6].status, .ran, "the four networks need no exercise")
    }

    /// `set` with its advanced exercises left out.
    static func withoutAdvanced(_ set: ExerciseSet) -> ExerciseSet {
        ExerciseSet(name: set.name, jaccardCoeff: set.jaccardCoeff, makeUpAdd: set.makeUpAdd,
                    makeUNetShallow: set.makeUNetShallow, deconv2d: set.deconv2d)
    }
}
