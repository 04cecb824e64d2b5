import Foundation
import UNetKit
import SegmentationModels
import LabExercises
import SyntheticData
import Figures

/// A network loaded from a weights file, with what it is.
public struct LoadedModel {
    public var network: Module
    public var description: ModelDescription
    public var metadata: [String: String]

    /// Loads a safetensors state_dict written by `unetlab train` or saved from the course's
    /// PyTorch network; the network is rebuilt from the file's metadata or tensor shapes.
    public init(weights path: String, exercises: ExerciseSet) throws {
        let file = try SafeTensors.read(URL(fileURLWithPath: path))
        description = try ModelDescription.infer(from: file, path: path, exercises: exercises)
        network = description.make(exercises: exercises)
        try network.loadStateDict(Dictionary(file.entries.map { ($0.name, $0.entry.tensor) }, uniquingKeysWith: { a, _ in a }),
                                  modelName: description.kind.courseName)
        metadata = file.metadata
    }
}

/// What to predict on.
public enum PredictionInput {
    /// `count` fresh images from the course's generator with this seed, `size`×`size`.
    case generated(seed: UInt64, count: Int, size: Int)
    /// One grey-scale PNG (colour PNGs are averaged to grey), values scaled to [0, 1].
    case png(path: String)
}

/// `unetlab predict`: evaluation mode, sigmoid, threshold 0.5; writes one figure per image and
/// `prediction.safetensors` with `input` `[N, 1, H, W]` and `probabilities` `[N, classes, H, W]`
/// (and `labels` `[N, classes, H, W]` for generated images) so the result can be checked in PyTorch.
public func runPrediction(_ model: LoadedModel, input: PredictionInput, outputDirectory: String) throws -> [String] {
    let directory = URL(fileURLWithPath: outputDirectory)
    var files: [String]
    var saved: [(name: String, entry: SafeTensors.Entry)]
    switch input {
    case let .generated(seed, count, size):
        try checkSize(height: size, width: size, for: model.description)
        guard count.multipliedReportingOverflow(by: size * size).partialValue <= maximumPredictionPixels,
              count <= maximumPredictionPixels else {
            throw ConfigurationError("predicting \(count) images of \(size)×\(size) keeps too many numbers: expected "
                                     + "--count × size² ≤ \(maximumPredictionPixels) (e.g. 1024 images of 128×128)")
        }
        let generator = try CourseData.generator(size: size, seed: seed)
        let (images, labels) = try generator(count)
        files = try writePredictionFigures(model.network, images: images, labels: labels, into: directory, prefix: "prediction")
        let x = try images.nhwcToNCHW()
        saved = [("input", .init(x)), ("labels", .init(try labels.nhwcToNCHW())),
                 ("probabilities", .init(try predictProbabilities(model.network, images: x)))]
    case let .png(path):
        let picture = try RGBImage.readPNG(from: path)
        try checkSize(height: picture.height, width: picture.width, for: model.description)
        guard picture.width * picture.height <= 1 << 20 else {
            throw ConfigurationError("\(path) is \(picture.width)×\(picture.height) px: the course's networks predict on at most "
                                     + "\(1 << 20) pixels at once (e.g. 1024×1024); crop or scale the image")
        }
        let grey = (0..<(picture.width * picture.height)).map { i -> Float in
            let p = picture.pixels[(3 * i)..<(3 * i + 3)]
            return Float(p.reduce(0) { $0 + Int($1) }) / (3 * 255)
        }
        let x = try Tensor(shape: [1, 1, picture.height, picture.width], scalars: grey)
        let probabilities = try predictProbabilities(model.network, images: x)
        let probability = try channel(try sample(0, of: probabilities), 1).scalars
        let figure = try SegmentationFigures.predictionFigure(
            input: grey, groundTruth: nil, probability: probability, prediction: probability.map { $0 > 0.5 ? 1 : 0 },
            width: picture.width, height: picture.height)
        try figure.write(to: directory.appendingPathComponent("prediction_0.png").path)
        files = ["prediction_0.png"]
        saved = [("input", .init(x)), ("probabilities", .init(probabilities))]
    }
    try SafeTensors.write(saved, metadata: model.description.metadata,
                          to: directory.appendingPathComponent("prediction.safetensors"))
    return files + ["prediction.safetensors"]
}

/// The most pixels `runPrediction` keeps (inputs and probabilities of every image): 2^24.
public let maximumPredictionPixels = 1 << 24

/// The network needs H and W to be multiples of 2^downsamplings.
public func checkSize(height: Int, width: Int, for model: ModelDescription) throws {
    let divisor = 1 << model.kind.downsamplings
    guard height >= divisor, width >= divisor, height % divisor == 0, width % divisor == 0 else {
        throw ConfigurationError("\(model.kind.courseName) halves the image \(model.kind.downsamplings) times, so height and width "
                         + "must be multiples of \(divisor), but the image is \(width)×\(height) px")
    }
}
