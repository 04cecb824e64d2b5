import Foundation
import UNetKit
import SyntheticData
import LabExercises

/// A network of the catalogue with what a vessel run needs to use it again: its input
/// channels, output channels, width, how its output becomes probabilities and how its input
/// images were preprocessed — all kept in the weights file's metadata.
public struct VesselNetwork {
    public var entry: NetworkEntry
    public var inChannels: Int
    public var classes: Int
    public var width: Int
    public var activation: OutputActivation
    public var preprocessing: VesselPreprocessing
    public var network: Module
    /// The weights file's metadata (empty for a fresh network).
    public var fileMetadata: [String: String] = [:]

    /// A freshly initialised network.
    public init(entry: NetworkEntry, inChannels: Int, classes: Int, width: Int, activation: OutputActivation,
                preprocessing: VesselPreprocessing, exercises: ExerciseSet) {
        self.entry = entry; self.inChannels = inChannels; self.classes = classes; self.width = width
        self.activation = activation; self.preprocessing = preprocessing
        network = entry.make(inChannels, classes, width, exercises)
    }

    /// Loads weights written by a vessel run (metadata `network`, `in_channels`, `classes`,
    /// `width`, `activation`, `preprocess`), or a course UNet file without that metadata
    /// (recognised from its tensors, sigmoid outputs, no preprocessing).
    /// - Throws: naming the file and what is missing or does not fit.
    public init(weights path: String, exercises: ExerciseSet) throws {
        let file = try SafeTensors.read(URL(fileURLWithPath: path))
        let m = file.metadata
        if let name = m["network"] {
            guard let inChannels = m["in_channels"].flatMap(Int.init), let classes = m["classes"].flatMap(Int.init),
                  let width = m["width"].flatMap(Int.init),
                  let activation = m["activation"].flatMap(OutputActivation.init(rawValue:)),
                  let preprocessing = m["preprocess"].flatMap(VesselPreprocessing.init(rawValue:)) else {
                throw ConfigurationError("\(path): the metadata names network '\(name)' but lacks in_channels, classes, "
                                         + "width, activation or preprocess")
            }
            try NetworkLimits.check(inChannels: inChannels, classes: classes, width: width, source: "\(path) (its metadata)")
            try NetworkLimits.checkFileSize(file, width: width, path: path)
            self.init(entry: try NetworkCatalog.entry(named: name), inChannels: inChannels, classes: classes, width: width,
                      activation: activation, preprocessing: preprocessing, exercises: exercises)
        } else {
            let description = try ModelDescription.infer(from: file, path: path, exercises: exercises)
            self.init(entry: try NetworkCatalog.entry(named: description.kind.rawValue), inChannels: description.nChannels,
                      classes: description.nClasses, width: description.base, activation: .sigmoid,
                      preprocessing: .none, exercises: exercises)
        }
        try network.loadStateDict(Dictionary(file.entries.map { ($0.name, $0.entry.tensor) }, uniquingKeysWith: { a, _ in a }),
                                  modelName: entry.displayName)
        fileMetadata = m
    }

    /// What `init(weights:)` needs, for `saveWeights(metadata:)`.
    public var metadata: [String: String] {
        ["network": entry.name, "display_name": entry.displayName, "in_channels": "\(inChannels)", "classes": "\(classes)",
         "width": "\(width)", "activation": activation.rawValue, "preprocess": preprocessing.rawValue]
    }

    /// Foreground probabilities `[N, 1, H, W]` of images `[N, inChannels, H, W]` (H, W multiples
    /// of the network's divisor), in evaluation mode without gradients.
    public func foreground(_ images: Tensor) throws -> Tensor {
        try checkInput(images)
        let wasTraining = network.isTraining
        network.eval()
        defer { network.train(wasTraining) }
        let output = try withoutGradients { try network(Variable(images)).value }
        return try activation.foreground(output)
    }

    /// Foreground probabilities `[N, 1, H, W]` of images of any size, window by window.
    public func foreground(_ images: Tensor, window: SlidingWindow) throws -> Tensor {
        guard window.patchSize % entry.sizeDivisor == 0 else {
            throw ConfigurationError("--patch must be a multiple of \(entry.sizeDivisor) for \(entry.displayName), "
                                     + "but got \(window.patchSize)")
        }
        try checkChannels(images)
        return try window.predict(images) { try foreground($0) }
    }

    func checkChannels(_ images: Tensor) throws {
        guard images.rank == 4, images.shape[1] == inChannels else {
            throw ConfigurationError("\(entry.displayName) expects images [N, \(inChannels), H, W], but got \(shapeString(images.shape))")
        }
    }

    func checkInput(_ images: Tensor) throws {
        try checkChannels(images)
        let d = entry.sizeDivisor
        guard images.shape[2] % d == 0, images.shape[3] % d == 0 else {
            throw ConfigurationError("\(entry.displayName) halves the image \(entry.downsamplings) times, so height and width "
                                     + "must be multiples of \(d), but got \(images.shape[3])×\(images.shape[2])")
        }
    }
}
