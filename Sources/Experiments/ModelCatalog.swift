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
    /// file saved from PyTorch without it — from the tensor names and shapes.
    public static func infer(from file: SafeTensors.File, path: String, exercises: ExerciseSet) throws -> ModelDescription {
        if let name = file.metadata["model"], let kind = ModelKind(rawValue: name) {
            return ModelDescription(kind: kind, nChannels: Int(file.metadata["n_channels"] ?? "") ?? 1,
                                    nClasses: Int(file.metadata["n_classes"] ?? "") ?? 2,
                                    base: Int(file.metadata["base"] ?? "") ?? 64)
        }
        guard let first = file["inc.conv.conv.0.weight"], first.rank == 4, let last = file["outc.conv.weight"], last.rank == 4 else {
            throw StateDictError(message: "\(path) does not hold the course's UNet weights: expected tensors "
                                 + "inc.conv.conv.0.weight and outc.conv.weight, found \(file.names.prefix(5).joined(separator: ", "))…")
        }
        let names = Set(file.names)
        for kind in ModelKind.allCases {
            let candidate = ModelDescription(kind: kind, nChannels: first.shape[1], nClasses: last.shape[0], base: first.shape[0])
            let model = candidate.make(exercises: exercises)
            if Set(model.stateDict().map(\.name)) == names,
               model.stateDict().allSatisfy({ file[$0.name]?.shape == $0.tensor.shape }) {
                return candidate
            }
        }
        throw StateDictError(message: "\(path): the tensors match none of unet, shallow, add "
                             + "(base \(first.shape[0]), \(first.shape[1]) input channels, \(last.shape[0]) classes)")
    }
}

/// The torchsummary-style table of a network for a 1-image input of `size`×`size`.
public func modelSummaryTable(_ model: ModelDescription, size: Int, exercises: ExerciseSet) throws -> ModelSummary {
    try checkSize(height: size, width: size, for: model)
    return try modelSummary(model.make(exercises: exercises), input: [1, model.nChannels, size, size])
}
