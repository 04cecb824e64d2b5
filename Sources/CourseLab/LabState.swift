import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// What the course lab's cells share: the settings, the exercises and the networks trained so
/// far (later cells use the UNet trained in cell 3).
public final class LabState {
    public let settings: LabSettings
    public let exercises: ExerciseSet
    /// Networks trained by the cells, by kind.
    public var trained: [ModelKind: TrainedNetwork] = [:]

    init(settings: LabSettings, exercises: ExerciseSet) {
        self.settings = settings; self.exercises = exercises
    }

    /// The network trained in an earlier cell, or a `MissingResult` naming that cell.
    public func network(_ kind: ModelKind, trainedIn cell: Int) throws -> TrainedNetwork {
        guard let run = trained[kind] else {
            throw MissingResult("it needs the \(kind.courseName) trained in cell \(cell), which did not finish")
        }
        return run
    }

    /// The course's generator at the lab's size, seeded from the lab's seed plus `offset`
    /// (offsets keep the data figure, training, validation and test images apart).
    public func generator(offset: UInt64 = 0) throws -> GrayScaleDataProvider {
        try CourseData.generator(size: settings.size, seed: settings.seed &+ offset)
    }

    /// The same held-out images for every network's prediction figure.
    public func testImages(count: Int = 1) throws -> (images: Tensor, labels: Tensor) {
        try generator(offset: 1000)(count)
    }
}

/// A network trained by the lab, with its history and how long it took.
public struct TrainedNetwork {
    public var kind: ModelKind
    public var network: Module
    public var history: TrainingHistory
    public var seconds: Double
    public var parameters: Int
}
