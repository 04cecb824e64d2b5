import XCTest
import TestSupport
import UNetKit
import SegmentationModels
import LabExercises
import Solutions
@testable import Experiments

/// Saving and loading weights as the course's state_dict in safetensors.
final class WeightsFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("weights-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func testRoundTripKeepsEveryTensorAndTheModelDescription() throws {
        manualSeed(3)
        let description = ModelDescription(kind: .add, base: 4)
        let model = description.make(exercises: exercises)
        (model.namedModules().compactMap { $0.1 as? BatchNorm2d }.first!).numBatchesTracked = 7
        let url = directory.appendingPathComponent("add.safetensors")
        try model.saveWeights(to: url, metadata: description.metadata)
        let loaded = try LoadedModel(weights: url.path, exercises: exercises)
        XCTAssertEqual(loaded.description, description)
        for ((k1, t1), (k2, t2)) in zip(model.stateDict(), loaded.network.stateDict()) {
            XCTAssertEqual(k1, k2)
            XCTAssertEqual(t1, t2, k1)
        }
        let file = try SafeTensors.read(url)
        XCTAssertEqual(file.entries.first { $0.name == "inc.conv.conv.1.num_batches_tracked" }?.entry.dtype, "I64")
    }

    /// A PyTorch state_dict (the fixture's, written by Python) loads, and the network is recognised
    /// from the tensor names and shapes alone.
    func testPyTorchStateDictLoadsWithoutMetadata() throws {
        for kind in ModelKind.allCases {
            let state = try ModelFixtures.stateDict("\(kind.rawValue).small.init.")
            let url = directory.appendingPathComponent("\(kind.rawValue).safetensors")
            try SafeTensors.write(state.sorted { $0.key < $1.key }.map { ($0.key, .init($0.value)) }, to: url)
            let loaded = try LoadedModel(weights: url.path, exercises: exercises)
            XCTAssertEqual(loaded.description, ModelDescription(kind: kind, base: 4))
        }
    }

    func testWrongNetworkGivesPyTorchStyleErrors() throws {
        let url = directory.appendingPathComponent("shallow.safetensors")
        try ModelKind.shallow.make(base: 4, exercises: exercises).saveWeights(to: url)
        XCTAssertThrowsError(try ModelKind.unet.make(base: 4, exercises: exercises).loadWeights(from: url, modelName: "UNet")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("Error(s) in loading state_dict for UNet"), message)
            XCTAssertTrue(message.contains("Missing key(s) in state_dict: \"down3.mpconv.1.conv.0.bias\""), message)
            XCTAssertTrue(message.contains("size mismatch for up1.conv.conv.0.weight"), message)
        }
        XCTAssertThrowsError(try LoadedModel(weights: directory.appendingPathComponent("missing.safetensors").path, exercises: exercises)) {
            XCTAssertTrue("\($0)".contains("missing.safetensors"), "\($0)")
        }
    }

    /// Loading is all or nothing: a failed load leaves the network as it was.
    func testFailedLoadChangesNothing() throws {
        let model = ModelKind.shallow.make(base: 4, exercises: exercises)
        let before = model.stateDict().map(\.tensor)
        var state = Dictionary(uniqueKeysWithValues: ModelKind.shallow.make(base: 4, exercises: exercises).stateDict().map { ($0.name, $0.tensor) })
        state["extra.weight"] = Tensor(zeros: [1])
        XCTAssertThrowsError(try model.loadStateDict(state)) { XCTAssertTrue("\($0)".contains("Unexpected key(s) in state_dict: \"extra.weight\"")) }
        XCTAssertEqual(model.stateDict().map(\.tensor), before)
    }
}
