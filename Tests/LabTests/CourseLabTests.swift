import XCTest
import UNetKit
import SegmentationModels
import Solutions
import Labs
@testable import CourseLab
import Notebook
import LabExercises

/// The narrated lab end to end at tiny settings (base width 4, 32×32, 1 epoch × 2 steps).
final class CourseLabNotebookTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func runLab(_ exercises: ExerciseSet, answers: String? = nil) throws -> (NotebookRecord, String) {
        let answersFile = directory.appendingPathComponent("ANSWERS.md")
        if let answers { try answers.write(to: answersFile, atomically: true, encoding: .utf8) }
        let record = try CourseLab(exercises: exercises, settings: .tiny, outputDirectory: directory.path,
                                     answersFile: answersFile.path, console: .silent).run()
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        return (record, html)
    }

    /// Every cell runs on the reference answers; every figure exists and is embedded; the
    /// course's printed outputs are there; the answers file is created from the template.
    func testSolutionsRunEveryCellAndWriteTheReport() throws {
        let (record, html) = try runLab(Solutions.exercises)
        XCTAssertEqual(record.cells.map(\.number), Array(1...9))
        for cell in record.cells {
            XCTAssertEqual(cell.status, .ran, "cell \(cell.number) \(cell.title): \(cell.blocks)")
            XCTAssertTrue(html.contains("id=\"cell-\(cell.number)\""), "cell \(cell.number) missing from the report")
        }
        XCTAssertTrue(record.skippedExercises.isEmpty)
        let output = record.cells.flatMap(\.blocks).compactMap { if case let .output(t) = $0 { t } else { nil } }
            .joined(separator: "\n")
        for expected in ["(2, 32, 32, 1)", "(2, 32, 32, 2)", "(2, 32, 32, 1) → (2, 1, 32, 32)",
                         "epoch 1 iteration 2 loss is", "validation dice coeff:",
                         "jaccard(zeros, ones)  = 1.1111e-05", "✓ matches the course's output",
                         "[[[ 2.  0.  2.  4.  0.]", "speed-up of BLAS over the naive loops",
                         "[[[ 3.  3.  2.  7.  5.]", "UNet_shallow", "UNet_add"] {
            XCTAssertTrue(output.contains(expected), "output lacks \(expected)")
        }
        let figures = record.cells.flatMap(\.figures)
        XCTAssertEqual(Set(figures), ["cell1_data.png", "cell4_loss_curve.png", "cell6_prediction.png", "cell6_worst_1.png",
                                      "cell7_shallow_prediction.png", "cell8_add_prediction.png",
                                      "cell8_loss_comparison.png"])
        for file in figures {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), file)
        }
        XCTAssertEqual(html.components(separatedBy: "src=\"data:image/png;base64,iVBORw0KGgo").count - 1, figures.count)
        for n in 1...7 { XCTAssertTrue(html.contains("id=\"question-\(n)\""), "question \(n)") }
        XCTAssertTrue(html.contains("All four exercises ran"))
        XCTAssertTrue(html.contains("Solutions — the reference answers"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "the report must not load anything")
        XCTAssertTrue(record.answersFileCreated)
        let template = try String(contentsOf: directory.appendingPathComponent("ANSWERS.md"), encoding: .utf8)
        XCTAssertEqual(template, CourseLab.answersTemplate)
        XCTAssertTrue(AnswersFile.parse(template).isEmpty, "the template's questions are not answers")
        for kind in ["unet", "shallow", "add"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(
                "cell\(kind == "unet" ? 3 : kind == "shallow" ? 7 : 8)_\(kind)_losses.csv").path), kind)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    /// With every exercise a stub: the cells that need one say which file and function to write,
    /// and everything else — UNet training, loss curve, prediction, the appendix's convolution — runs.
    func testStubsAreSkippedAndTheRestRuns() throws {
        let (record, html) = try runLab(StubExercises.all)
        let status = Dictionary(uniqueKeysWithValues: record.cells.map { ($0.number, $0.status) })
        XCTAssertEqual(status[1], .ran); XCTAssertEqual(status[2], .ran); XCTAssertEqual(status[3], .ran)
        XCTAssertEqual(status[4], .ran); XCTAssertEqual(status[6], .ran)
        XCTAssertEqual(status[5], .partial)   // Jaccard skipped; Dice and eval_net ran
        XCTAssertEqual(status[7], .skipped)   // nothing but UNet_shallow in it
        XCTAssertEqual(status[8], .partial)   // up_add skipped; the comparison shows the UNet
        XCTAssertEqual(status[9], .partial)   // deconv2d skipped; convolution and benchmark ran
        let skipped = Set(record.skippedExercises.map(\.file))
        XCTAssertEqual(skipped, ["Labs/JaccardCoeff.swift", "Labs/UNetShallow.swift", "Labs/UpAdd.swift",
                                 "Labs/Deconv2d.swift"])
        XCTAssertEqual(Set(record.cells.flatMap(\.skips).map(\.cell)), [5, 7, 8, 9])
        XCTAssertTrue(record.cells.allSatisfy { $0.status != .failed })
        XCTAssertTrue(record.cells[7].figures.contains("cell8_loss_comparison.png"))
        for skip in record.skippedExercises {
            XCTAssertTrue(html.contains("<code>\(skip.file)</code>"), skip.file)
        }
        XCTAssertTrue(html.contains("Exercises still to write"))
        XCTAssertTrue(html.contains("Labs — your exercises"))
    }

    /// The shipped stubs of Labs/ (this repository's, generated from Solutions/) are recognised
    /// the same way: the lab names the four files the student has to write.
    func testShippedLabsStubsNameTheirFiles() throws {
        let (record, _) = try runLab(Labs.exercises)
        XCTAssertEqual(Set(record.skippedExercises.map(\.file)),
                       ["Labs/JaccardCoeff.swift", "Labs/UNetShallow.swift", "Labs/UpAdd.swift", "Labs/Deconv2d.swift"])
        XCTAssertEqual(record.cells[2].status, .ran, "the UNet trains without any exercise")
        XCTAssertTrue(record.cells.allSatisfy { $0.status != .failed })
    }

    /// Answers written under their questions appear in the report under each question, with
    /// the template's quoted question and comments left out.
    func testAnswersAppearUnderTheirQuestions() throws {
        var answers = CourseLab.answersTemplate
        answers = answers.replacingOccurrences(
            of: "## Question 1 — Which layout, grey or RGB?",
            with: "## Question 1 — Which layout, grey or RGB?\n\nB×H×W×C: the last axis has **one** channel, so grey.")
        answers += "\n## Question 7\n\n- fill zeros\n- convolve with `conv2d`\n\n```\nprint(deconv2d(x, w))\n```\n"
        let parsed = AnswersFile.parse(answers)
        XCTAssertEqual(Set(parsed.keys), [1, 7])
        XCTAssertEqual(parsed[1], "B×H×W×C: the last axis has **one** channel, so grey.")
        let (record, html) = try runLab(Solutions.exercises, answers: answers)
        XCTAssertFalse(record.answersFileCreated)
        XCTAssertTrue(html.contains("B×H×W×C: the last axis has <strong>one</strong> channel, so grey."))
        XCTAssertTrue(html.contains("<li>convolve with <code>conv2d</code></li>"))
        XCTAssertTrue(html.contains("<pre class=\"code\">print(deconv2d(x, w))</pre>"))
        XCTAssertEqual(html.components(separatedBy: "Not answered yet").count - 1, 5)
        // The answer sits inside question 1's box, before question 2.
        let q1 = try XCTUnwrap(html.range(of: "id=\"question-1\"")), q2 = try XCTUnwrap(html.range(of: "id=\"question-2\""))
        let a1 = try XCTUnwrap(html.range(of: "so grey."))
        XCTAssertTrue(q1.upperBound < a1.lowerBound && a1.upperBound < q2.lowerBound)
    }

    /// An error other than a stub is shown in its cell and the lab carries on.
    func testOtherErrorsAreShownAndTheLabContinues() throws {
        var broken = Solutions.exercises
        broken.deconv2d = { _, _ in throw ShapeError("expected [2, 5, 5], got nonsense") }
        broken.jaccardCoeff = { _, _ in 0.5 }
        let (record, html) = try runLab(broken)
        XCTAssertEqual(record.cells[8].status, .failed)
        XCTAssertTrue(html.contains("expected [2, 5, 5], got nonsense"))
        XCTAssertTrue(record.cells[0..<8].allSatisfy { $0.status == .ran })
        let metrics = record.cells[4].blocks.compactMap { if case let .output(t) = $0 { t } else { nil } }.joined()
        XCTAssertTrue(metrics.contains("✗ the course expects 1, 0.3333, 1.1111e-05, 1"))
    }

    /// A report that cannot be written leaves the old one untouched and no temporary file behind.
    func testReportIsWrittenCompletelyOrNotAtAll() throws {
        let target = directory.appendingPathComponent("report.html")
        try "old".write(to: target, atomically: true, encoding: .utf8)
        let record = NotebookRecord(notebook: CourseLab.description, edition: "Labs", settingsName: "tiny", schedule: "", date: Date(), cells: [],
                                    answersFile: "ANSWERS.md", answersFileCreated: false, totalSeconds: 0)
        let report = NotebookReport(record: record, outputDirectory: directory)
        XCTAssertThrowsError(try report.write(to: directory.appendingPathComponent("missing-folder/report.html")))
        try report.write(to: target)
        XCTAssertTrue(try String(contentsOf: target, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["report.html"])
    }
}

/// Every exercise left as a stub, as the shipped Labs/ has them.
enum StubExercises {
    static func stub(_ exercise: String, _ file: String, _ function: String) -> ExerciseNotImplemented {
        ExerciseNotImplemented(exercise: exercise, file: file, function: function)
    }

    final class StubNetwork: Module {
        let error: ExerciseNotImplemented
        init(_ error: ExerciseNotImplemented) { self.error = error }
        override func forward(_ x: Variable) throws -> Variable { throw error }
    }

    final class StubUp: Module, UpBlock {
        func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable {
            throw stub("Exercise up_add", "Labs/UpAdd.swift", "UpAdd.init and UpAdd.callAsFunction(_:_:)")
        }
    }

    static let all = ExerciseSet(
        name: "Labs",
        jaccardCoeff: { _, _ in throw stub("Question 3: JaccardCoeff", "Labs/JaccardCoeff.swift", "jaccardCoeff(_:_:)") },
        makeUpAdd: { _, _ in StubUp() },
        makeUNetShallow: { _, _, _ in
            StubNetwork(stub("Question 6: UNet_shallow", "Labs/UNetShallow.swift", "UNetShallow.init and UNetShallow.forward(_:)"))
        },
        deconv2d: { _, _ in throw stub("Question 7: deconv2d", "Labs/Deconv2d.swift", "deconv2d(_:_:)") })
}
