import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Notebook
import LabExercises
import Experiments

/// What the advanced lab's cells share: the settings, the exercises, the synthetic vessel
/// images (drawn once) and the networks trained so far (cells 8–10 use cell 7's four).
public final class AdvancedLabState {
    public let settings: AdvancedSettings
    public let exercises: ExerciseSet
    /// Cell 4's UNets, one per loss, in the order trained.
    public var lossRuns: [VesselLabRun] = []
    /// Cell 7's four networks, in the order trained.
    public var networks: [VesselLabRun] = []

    init(settings: AdvancedSettings, exercises: ExerciseSet) {
        self.settings = settings; self.exercises = exercises
    }

    /// The fixed training and validation images (channels last: images `[B, H, W, 1]`,
    /// one-hot labels `[B, H, W, 2]`, FOV `[B, H, W, 1]`), drawn on first use.
    public lazy var data: Result<VesselDataSet, Error> = Result {
        var o = VesselTrainingOptions()
        o.size = settings.size; o.trainingImages = settings.trainingImages
        o.validationImages = settings.validationImages; o.seed = settings.seed
        return try VesselDataSet(options: o)
    }

    /// Held-out test images, from a stream of their own (no image is in training or validation).
    public lazy var test: Result<(images: Tensor, labels: Tensor, fov: Tensor), Error> = Result {
        try VesselDataSet.draw(count: settings.testImages, size: settings.size, colour: false,
                               seed: settings.seed &+ 0xA11CE, preprocessing: .none)
    }

    /// Cell 7's network called `name`, or a `MissingResult` naming cell 7.
    public func network(_ name: String) throws -> VesselLabRun {
        guard let run = networks.first(where: { $0.name == name }) else {
            throw MissingResult("it needs the \(name) trained in cell 7, which did not finish")
        }
        return run
    }

    /// Cell 7's networks, or a `MissingResult` when none finished.
    public func trainedNetworks() throws -> [VesselLabRun] {
        guard !networks.isEmpty else { throw MissingResult("it needs the networks trained in cell 7, which did not finish") }
        return networks
    }
}
