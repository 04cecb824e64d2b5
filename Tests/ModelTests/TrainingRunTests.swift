import XCTest
import TestSupport
import UNetKit
import SegmentationModels
import LabExercises
import Solutions
import Figures
@testable import Experiments

final class TrainingRunTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// The course's Dice: (2·Σab + ε)/(Σa + Σb + ε).
    func testDiceCoefficient() throws {
        let eye = Tensor(shape: [3, 3]) { $0[0] == $0[1] ? 1 : 0 }
        let ones = Tensor(repeating: 1, shape: [3, 3]), zeros = Tensor(zeros: [3, 3])
        XCTAssertEqual(try diceCoeff(eye, eye), 1, accuracy: 1e-6)
        XCTAssertEqual(try diceCoeff(eye, ones), Float((2 * 3 + 1e-4) / (3 + 9 + 1e-4)), accuracy: 1e-6)
        XCTAssertEqual(try diceCoeff(zeros, ones), Float(1e-4 / (9 + 1e-4)), accuracy: 1e-9)
        XCTAssertEqual(try diceCoeff(zeros, zeros), 1)
        XCTAssertThrowsError(try diceCoeff(eye, Tensor(zeros: [9])))
        // Foreground only vs all channels: a prediction of all background on an empty image.
        let prediction = try Tensor(shape: [2, 1, 2], scalars: [1, 1, 0, 0])
        let label = try Tensor(shape: [2, 1, 2], scalars: [0, 1, 1, 0])
        XCTAssertEqual(try imageDice(prediction, label), try diceCoeff(Tensor(zeros: [2]), try Tensor(shape: [2], scalars: [1, 0])))
        XCTAssertEqual(try imageDice(prediction, label, channels: .allChannels),
                       (try diceCoeff(try Tensor(shape: [2], scalars: [1, 1]), try Tensor(shape: [2], scalars: [0, 1])) +
                        diceCoeff(Tensor(zeros: [2]), try Tensor(shape: [2], scalars: [1, 0]))) / 2)
    }

    /// A whole run at tiny width: every output file exists, the weights reload into the same
    /// network, and the model is back in training mode after eval_net (the course's version is not).
    func testTrainingRunWritesEveryOutput() throws {
        var configuration = TrainingConfiguration(epochs: 2, stepsPerEpoch: 3, batchSize: 2)
        configuration.logEvery = 3
        let run = TrainingRun(model: ModelDescription(kind: .shallow, base: 4), configuration: configuration,
                              size: 32, seed: 9, outputDirectory: directory.path, exercises: exercises)
        let history = try run.run(reporter: ProgressReporter(configuration: configuration, isTerminal: false))
        XCTAssertEqual(history.losses.count, 6)
        XCTAssertEqual(history.validationDice.count, 2)
        XCTAssertTrue(history.losses.allSatisfy { $0.isFinite && $0 > 0 })
        for file in ["loss_curve.png", "losses.csv", "prediction_0.png", "prediction_1.png", "shallow.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path), file)
        }
        let csv = try String(contentsOf: directory.appendingPathComponent("losses.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 7)
        let loaded = try LoadedModel(weights: directory.appendingPathComponent("shallow.safetensors").path, exercises: exercises)
        XCTAssertEqual(loaded.description, ModelDescription(kind: .shallow, base: 4))
        XCTAssertEqual(loaded.metadata["image_size"], "32")
        let png = try RGBImage.readPNG(from: directory.appendingPathComponent("prediction_0.png").path)
        XCTAssertEqual([png.width, png.height], [1000, 800])
    }

    func testEvalNetRestoresTrainingMode() throws {
        let model = ModelKind.shallow.make(base: 4, exercises: exercises)
        var generatorState = SeededGenerator(seed: 1)
        let batches: BatchSource = { n in
            (Tensor(shape: [n, 16, 16, 1]) { _ in Float(generatorState.nextUnit()) },
             Tensor(shape: [n, 16, 16, 2]) { $0[3] == 0 ? 1 : 0 })
        }
        XCTAssertTrue(model.isTraining)
        _ = try evalNet(model, batches: batches, count: 2)
        XCTAssertTrue(model.isTraining, "eval_net must give the model back in training mode")
        model.eval()
        _ = try evalNet(model, batches: batches, count: 1)
        XCTAssertFalse(model.isTraining)
    }

    func testBadSizesAndSchedulesAreRejected() throws {
        let configuration = TrainingConfiguration(epochs: 1, stepsPerEpoch: 1, batchSize: 1)
        let reporter = ProgressReporter(configuration: configuration, isTerminal: false)
        XCTAssertThrowsError(try TrainingRun(model: ModelDescription(kind: .unet, base: 4), configuration: configuration,
                                             size: 40, seed: 1, outputDirectory: directory.path, exercises: exercises).run(reporter: reporter)) {
            XCTAssertTrue("\($0)".contains("multiple of 16"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingConfiguration(epochs: 0).validate()) {
            XCTAssertTrue("\($0)".contains("epochs ≥ 1, but got 0"), "\($0)")
        }
    }
}
