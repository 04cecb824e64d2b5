import XCTest
import UNetKit
import Solutions
import SyntheticData
@testable import Experiments

/// `unetlab train --data vessels`, `predict` and `evaluate` at tiny settings.
final class VesselRunTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vessels-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func tinyOptions(epochs: Int) -> VesselTrainingOptions {
        var o = VesselTrainingOptions()
        o.network = "unet"; o.width = 4; o.size = 64; o.patch = 32; o.epochs = epochs; o.stepsPerEpoch = 2
        o.batchSize = 2; o.trainingImages = 3; o.validationImages = 2; o.loss = .bceDice; o.optimizer = .adam
        o.schedule = .step; o.stepSize = 1; o.gamma = 0.5; o.seed = 5
        return o
    }

    private func folder(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func modelTensors(_ url: URL) throws -> [String: Tensor] {
        let file = try SafeTensors.read(url)
        return Dictionary(file.entries.filter { $0.name.hasPrefix("model.") }.map { ($0.name, $0.entry.tensor) },
                          uniquingKeysWith: { a, _ in a })
    }

    /// Two epochs × two steps write every file; one epoch then a resume from its checkpoint
    /// gives bit-identical weights, history and checkpoint to the run that never stopped.
    func testTinyRunWritesItsFilesAndResumesBitIdentically() throws {
        let whole = try folder("whole")
        let (records, model) = try VesselTrainingRun(options: tinyOptions(epochs: 2), outputDirectory: whole.path,
                                                     exercises: exercises).run(log: { _ in })
        XCTAssertEqual(records.map(\.epoch), [1, 2])
        XCTAssertEqual(records.map(\.learningRate), [1e-3, 5e-4])
        for file in [VesselTrainingRun.bestWeightsFile, VesselTrainingRun.checkpointFile, VesselTrainingRun.historyFile,
                     VesselTrainingRun.lossFigureFile, VesselTrainingRun.accuracyFigureFile, VesselTrainingRun.predictionFigureFile] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: whole.appendingPathComponent(file).path), file)
        }
        let history = try String(contentsOf: whole.appendingPathComponent(VesselTrainingRun.historyFile), encoding: .utf8)
        XCTAssertEqual(try EpochHistory.parse(history), records)
        for r in records {
            XCTAssertTrue(r.trainingLoss.isFinite && r.validationLoss.isFinite)
            XCTAssertTrue((0...1).contains(r.validationAccuracy) && (0...1).contains(r.validationAUC))
        }

        let resumed = try folder("resumed")
        _ = try VesselTrainingRun(options: tinyOptions(epochs: 1), outputDirectory: resumed.path, exercises: exercises)
            .run(log: { _ in })
        let checkpoint = resumed.appendingPathComponent(VesselTrainingRun.checkpointFile).path
        let (again, againModel) = try VesselTrainingRun(options: tinyOptions(epochs: 2), outputDirectory: resumed.path,
                                                        exercises: exercises, resume: checkpoint).run(log: { _ in })
        XCTAssertEqual(again, records)
        XCTAssertEqual(try modelTensors(resumed.appendingPathComponent(VesselTrainingRun.checkpointFile)),
                       try modelTensors(whole.appendingPathComponent(VesselTrainingRun.checkpointFile)))
        XCTAssertEqual(againModel.network.stateDict().map(\.tensor), model.network.stateDict().map(\.tensor))

        // The best weights reload, and evaluation equals UNetKit's metrics computed directly.
        let loaded = try VesselNetwork(weights: whole.appendingPathComponent(VesselTrainingRun.bestWeightsFile).path,
                                       exercises: exercises)
        XCTAssertEqual(loaded.network.stateDict().map(\.tensor), model.network.stateDict().map(\.tensor))
        XCTAssertEqual(loaded.activation, .sigmoid)
        let input = try VesselPrediction.synthetic(for: loaded, count: 2, size: 64, seed: 77)
        let probabilities = try VesselPrediction.predict(loaded, input, window: try SlidingWindow(patchSize: 32))
        let scores = try SegmentationScores(probabilities: probabilities, labels: input.labels!, fov: input.fov)
        let direct = try ConfusionMatrix(probabilities: probabilities, labels: input.labels!, mask: input.fov)
        XCTAssertEqual(scores.confusion, direct)
        XCTAssertEqual(scores.auc, try rocAUCScore(probabilities: probabilities, labels: input.labels!, mask: input.fov))
        XCTAssertEqual(scores.rows.map(\.value), [direct.accuracy, direct.sensitivity, direct.specificity, direct.precision,
                                                  direct.f1, direct.balancedAccuracy, direct.iou, direct.dice, scores.auc])
        XCTAssertTrue(scores.table.contains(String(format: "accuracy            %.4f", direct.accuracy)), scores.table)
        XCTAssertTrue(scores.table.contains(String(format: "AUC                 %.4f", scores.auc)), scores.table)
        let files = try VesselPrediction.write(input, probabilities: probabilities, metadata: loaded.metadata, into: directory)
        XCTAssertEqual(files, ["prediction.safetensors", "prediction_0.png", "prediction_1.png"])
        // Scoring the written files gives the same numbers.
        let path = directory.appendingPathComponent("prediction.safetensors").path
        let fromFiles = try EvaluationInputs.scores(probabilities: path, labels: path, fov: path)
        XCTAssertEqual(fromFiles.confusion, direct)
        XCTAssertEqual(fromFiles.auc, scores.auc)
    }

    /// A resume with other settings names the difference.
    func testResumeWithOtherSettingsIsAnError() throws {
        let first = try folder("first")
        _ = try VesselTrainingRun(options: tinyOptions(epochs: 1), outputDirectory: first.path, exercises: exercises).run(log: { _ in })
        var other = tinyOptions(epochs: 2)
        other.gamma = 0.25
        XCTAssertThrowsError(try VesselTrainingRun(options: other, outputDirectory: first.path, exercises: exercises,
                                                   resume: first.appendingPathComponent(VesselTrainingRun.checkpointFile).path)
            .run(log: { _ in }))
    }

    /// `--drop-block P` sets every DropBlock layer's p (and the weights' metadata says so); a
    /// network without DropBlock refuses it, and nothing is left behind.
    func testDropBlockProbability() throws {
        var o = tinyOptions(epochs: 1)
        o.network = "sa-unet"; o.width = 2; o.size = 64; o.patch = 64; o.stepsPerEpoch = 1; o.dropBlockP = 0.05
        let run = try folder("sa")
        let (_, model) = try VesselTrainingRun(options: o, outputDirectory: run.path, exercises: exercises).run(log: { _ in })
        let layers = model.network.namedModules().compactMap { $0.1 as? DropBlock2d }
        XCTAssertFalse(layers.isEmpty)
        XCTAssertTrue(layers.allSatisfy { $0.p == 0.05 })
        let file = try SafeTensors.read(run.appendingPathComponent(VesselTrainingRun.bestWeightsFile))
        XCTAssertEqual(file.metadata["drop_block_p"], "0.05")

        var plain = tinyOptions(epochs: 1)
        plain.dropBlockP = 0.1
        let refused = directory.appendingPathComponent("plain")
        XCTAssertThrowsError(try VesselTrainingRun(options: plain, outputDirectory: refused.path, exercises: exercises)
            .run(log: { _ in })) {
            XCTAssertTrue("\($0)".contains("has no DropBlock layers"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused.appendingPathComponent(VesselTrainingRun.bestWeightsFile).path))
    }

    /// Scores of a case built by hand: inside the FOV TP 2, FP 1, TN 1, FN 1; the pixel outside is ignored.
    func testEvaluateFromFilesOnAHandBuiltCase() throws {
        let p = try Tensor(shape: [1, 1, 2, 3], scalars: [0.9, 0.2, 0.6, 0.4, 0.8, 0.1])
        let y = try Tensor(shape: [1, 1, 2, 3], scalars: [1, 0, 0, 1, 1, 0])
        let fov = try Tensor(shape: [1, 1, 2, 3], scalars: [1, 1, 1, 1, 1, 0])
        let pURL = directory.appendingPathComponent("p.safetensors"), yURL = directory.appendingPathComponent("y.safetensors")
        let fURL = directory.appendingPathComponent("fov.safetensors")
        try SafeTensors.write([("output", .init(p))], to: pURL)
        try SafeTensors.write([("labels", .init(y)), ("other", .init(p))], to: yURL)
        try SafeTensors.write([("mask", .init(fov))], to: fURL)
        let s = try EvaluationInputs.scores(probabilities: pURL.path, labels: yURL.path, fov: fURL.path)
        XCTAssertEqual(s.confusion, ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1))
        XCTAssertEqual(s.accuracy, 3.0 / 5)
        XCTAssertEqual(s.sensitivity, 2.0 / 3)
        XCTAssertEqual(s.specificity, 1.0 / 2)
        XCTAssertEqual(s.precision, 2.0 / 3)
        XCTAssertEqual(s.f1, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(s.iou, 2.0 / 4)
        // AUC = fraction of (vessel, background) pairs ranked right: 5 of 6.
        XCTAssertEqual(s.auc, 5.0 / 6, accuracy: 1e-15)
        // Without the FOV the sixth pixel (0.1, background) counts as a true negative.
        XCTAssertEqual(try EvaluationInputs.scores(probabilities: pURL.path, labels: yURL.path, fov: nil).confusion.trueNegatives, 2)
        // Mismatched shapes, values outside [0, 1], one class only: clear errors.
        let small = directory.appendingPathComponent("small.safetensors")
        try SafeTensors.write([("labels", .init(try Tensor(shape: [1, 1, 1, 2], scalars: [0, 1])))], to: small)
        XCTAssertThrowsError(try EvaluationInputs.scores(probabilities: pURL.path, labels: small.path, fov: nil)) {
            XCTAssertTrue("\($0)".contains("must match"), "\($0)")
        }
        let logits = directory.appendingPathComponent("logits.safetensors")
        try SafeTensors.write([("probabilities", .init(try Tensor(shape: [1, 1, 2, 3], scalars: [2, 0, 0, 0, 0, 0])))], to: logits)
        XCTAssertThrowsError(try EvaluationInputs.scores(probabilities: logits.path, labels: yURL.path, fov: nil)) {
            XCTAssertTrue("\($0)".contains("[0, 1]"), "\($0)")
        }
        let ones = directory.appendingPathComponent("ones.safetensors")
        try SafeTensors.write([("labels", .init(Tensor(repeating: 1, shape: [1, 1, 2, 3])))], to: ones)
        XCTAssertThrowsError(try EvaluationInputs.scores(probabilities: pURL.path, labels: ones.path, fov: nil)) {
            XCTAssertTrue("\($0)".contains("only one class"), "\($0)")
        }
    }

    /// Every out-of-range option is refused by `validate()` with a message naming it.
    func testBadOptionsAreErrors() throws {
        XCTAssertNoThrow(try tinyOptions(epochs: 1).validate())
        let cases: [(String, (inout VesselTrainingOptions) -> Void)] = [
            ("--width", { $0.width = 0 }), ("--classes", { $0.classes = 3 }), ("--epochs", { $0.epochs = 0 }),
            ("--steps", { $0.stepsPerEpoch = 0 }), ("--batch", { $0.batchSize = 0 }), ("--size", { $0.size = 72 }),
            ("--patch", { $0.patch = 24 }), ("--patch", { $0.patch = 128 }), ("--lr", { $0.learningRate = -1 }),
            ("--lr", { $0.learningRate = .nan }), ("--gamma", { $0.gamma = 0 }), ("--step-size", { $0.stepSize = 0 }),
            ("--early-stopping", { $0.earlyStoppingPatience = 0 }), ("--train-images", { $0.trainingImages = 0 }),
            ("--val-images", { $0.validationImages = 0 }), ("unknown network", { $0.network = "nope" }),
            ("--loss ce", { $0.loss = .ce; $0.classes = 1 }), ("--drop-block", { $0.dropBlockP = 1 }),
            ("--drop-block", { $0.dropBlockP = -0.1 }), ("--drop-block", { $0.dropBlockP = .nan }),
        ]
        for (expected, change) in cases {
            var o = tinyOptions(epochs: 1)
            change(&o)
            XCTAssertThrowsError(try o.validate(), expected) {
                XCTAssertTrue("\($0)".contains(expected), "expected a message naming \(expected), got: \($0)")
            }
        }
    }
}
