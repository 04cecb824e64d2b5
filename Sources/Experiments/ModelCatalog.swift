import UNetKit
import SegmentationModels
import LabExercises

/// The three networks of the course, by the names the command line uses.
public enum ModelKind: String, CaseIterable, Sendable {
    /// `UNet`: four down-samplings, concatenated skips (13,394,242 parameters).
    case unet
    /// `UNet_shallow` (exercise): two down-samplings (851,266 parameters).
    case shallow
    /// `UNet_add` (exercise): skips added instead of concatenated (11,809,090 parameters).
    case add

    /// The course's class name.
    public var courseName: String {
        switch self {
        case .unet: "UNet"
        case .shallow: "UNet_shallow"
        case .add: "UNet_add"
        }
    }

    /// How many times the network halves the image: H and W must be multiples of 2^this.
    public var downsamplings: Int { self == .shallow ? 2 : 4 }

    /// A freshly initialised network (from `defaultGenerator`; call `manualSeed` first to fix it).
    /// UNet_shallow and UNet_add are exercises: they come from `exercises` (the student's `Labs`
    /// or the reference `Solutions`).
    public func make(nChannels: Int = 1, nClasses: Int = 2, base: Int = 64, exercises: ExerciseSet) -> Module {
        switch self {
        case .unet: UNet(nChannels: nChannels, nClasses: nClasses, base: base)
        case .shallow: exercises.makeUNetShallow(nChannels, nClasses, base)
        case .add: exercises.makeUNetAdd(nChannels, nClasses, base)
        }
    }
}

/// How a saved network is described in its weights file's metadata.
public struct ModelDescription: Equatable, Sendable {
    public var kind: ModelKind
    public var nChannels = 1
    public var nClasses = 2
    public var base = 64

    public init(kind: ModelKind, nChannels: Int = 1, nClasses: Int = 2, base: Int = 64) {
        self.kind = kind; self.nChannels = nChannels; self.nClasses = nClasses; self.base = base
    }

    public var metadata: [String: String] {
        ["model": kind.rawValue, "course_name": kind.courseName, "n_channels": "\(nChannels)",
         "n_classes": "\(nClasses)", "base": "\(base)"]
    }

    public func make(exercises: ExerciseSet) -> Module {
        kind.make(nChannels: nChannels, nClasses: nClasses, base: base, exercises: exercises)
    }

    /// Reads the description from a weights file: from the metadata this kit writes, or — for a
    /// file saved from PyTorch without it — from the tensor names and shapes. The sizes are
    /// checked (`NetworkLimits`) and against the file's first and last convolutions before any
    /// network is built, so a hostile file cannot ask for a network that does not fit in memory.
    public static func infer(from file: SafeTensors.File, path: String, exercises: ExerciseSet) throws -> ModelDescription {
        let first = file["inc.conv.conv.0.weight"], last = file["outc.conv.weight"]
        if let name = file.metadata["model"], let kind = ModelKind(rawValue: name) {
            func number(_ key: String, default value: Int) throws -> Int {
                guard let text = file.metadata[key] else { return value }
                guard let n = Int(text) else {
                    throw ConfigurationError("\(path): the metadata's \(key) is '\(text.prefix(40))', expected a whole number")
                }
                return n
            }
            let description = ModelDescription(kind: kind, nChannels: try number("n_channels", default: 1),
                                               nClasses: try number("n_classes", default: 2), base: try number("base", default: 64))
            try NetworkLimits.check(inChannels: description.nChannels, classes: description.nClasses,
                                    width: description.base, source: "\(path) (its metadata)")
            if let first, first.shape != [description.base, description.nChannels, 3, 3] {
                throw StateDictError(message: "\(path): the metadata says base \(description.base) and \(description.nChannels) "
                                     + "input channels, so inc.conv.conv.0.weight should be "
                                     + "\(shapeString([description.base, description.nChannels, 3, 3])), but it is \(shapeString(first.shape))")
            }
            if let last, last.rank != 4 || last.shape[0] != description.nClasses {
                throw StateDictError(message: "\(path): the metadata says \(description.nClasses) classes, but outc.conv.weight "
                                     + "has shape \(shapeString(last.shape))")
            }
            try NetworkLimits.checkFileSize(file, width: description.base, path: path)
            return description
        }
        guard let first, first.rank == 4, let last, last.rank == 4 else {
            throw StateDictError(message: "\(path) does not hold the course's UNet weights: expected tensors "
                                 + "inc.conv.conv.0.weight and outc.conv.weight, found \(file.names.prefix(5).joined(separator: ", "))…")
        }
        let (base, nChannels, nClasses) = (first.shape[0], first.shape[1], last.shape[0])
        try NetworkLimits.check(inChannels: nChannels, classes: nClasses, width: base,
                                source: "\(path) (inc.conv.conv.0.weight \(shapeString(first.shape)), "
                                    + "outc.conv.weight \(shapeString(last.shape)))")
        try NetworkLimits.checkFileSize(file, width: base, path: path)
        let names = Set(file.names)
        for kind in ModelKind.allCases {
            let candidate = ModelDescription(kind: kind, nChannels: nChannels, nClasses: nClasses, base: base)
            let model = candidate.make(exercises: exercises)
            if Set(model.stateDict().map(\.name)) == names,
               model.stateDict().allSatisfy({ file[$0.name]?.shape == $0.tensor.shape }) {
                return candidate
            }
        }
        throw StateDictError(message: "\(path): the tensors match none of unet, shallow, add "
                             + "(base \(base), \(nChannels) input channels, \(nClasses) classes)")
    }
}

/// The torchsummary-style table of a network for a 1-image input of `size`×`size`, computed
/// from shapes: the network runs once on the smallest input it accepts (2^downsamplings px, a
/// few kilobytes of activations), and every row's H and W are scaled by size / 2^downsamplings.
/// That is exact for the course's networks: on sides that are multiples of 2^downsamplings every
/// layer maps an H×W input to (H·2^k)×(W·2^k) for a fixed k (3×3 convolutions padded by 1,
/// 2×2 pooling, ×2 up-sampling), so the table costs the same memory at 128 and at 65536 px.
public func modelSummaryTable(_ model: ModelDescription, size: Int, exercises: ExerciseSet) throws -> ModelSummary {
    try checkSize(height: size, width: size, for: model)
    let smallest = 1 << model.kind.downsamplings
    var summary = try modelSummary(model.make(exercises: exercises), input: [1, model.nChannels, smallest, smallest])
    let scale = size / smallest
    for i in summary.rows.indices where summary.rows[i].outputShape.count == 4 {
        summary.rows[i].outputShape[2] *= scale
        summary.rows[i].outputShape[3] *= scale
    }
    return summary
}
