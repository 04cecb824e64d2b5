import UNetKit
import SegmentationModels
import LabExercises

/// What a network's last layer gives.
public enum NetworkOutput: String, Sendable, CaseIterable {
    /// Raw scores; the runs apply a sigmoid per channel (or a softmax over the channels for
    /// `--loss ce`). The course's UNet ends this way.
    case logits
    /// Values already in [0, 1] (the network ends in a sigmoid, as Keras vessel models do);
    /// only losses on probabilities (bce, dice, iou, bce+dice) apply.
    case probabilities
}

/// One network the command-line runs can train, predict and evaluate with.
///
/// Adding a network is adding one `NetworkEntry` to `NetworkCatalog.entries`: a name for
/// `--model`, a constructor from (input channels, output channels, width of the first level),
/// what its output is, and how many times it halves the image (H and W of the input must be
/// multiples of 2^`downsamplings`). The foreground (vessel) class is the **last** output
/// channel: with 1 channel it is that channel; with 2 channels channel 1 (channel 0 is the
/// background, the course's one-hot layout).
public struct NetworkEntry: Sendable {
    /// The command-line name (`--model NAME`), stored in the weights' metadata as `network`.
    public let name: String
    /// The class name people know it by (for messages and figure titles).
    public let displayName: String
    public let output: NetworkOutput
    /// How many times the network halves the image.
    public let downsamplings: Int
    /// Output channels when `--classes` is not given (1 or 2).
    public let defaultClasses: Int
    /// A freshly initialised network (from `defaultGenerator`: call `manualSeed` first).
    /// `exercises` supplies the course's exercise networks (Labs or Solutions); networks from
    /// SegmentationModels ignore it.
    public let make: @Sendable (_ inChannels: Int, _ classes: Int, _ width: Int, _ exercises: ExerciseSet) -> Module

    public init(name: String, displayName: String, output: NetworkOutput, downsamplings: Int, defaultClasses: Int,
                make: @escaping @Sendable (_ inChannels: Int, _ classes: Int, _ width: Int, _ exercises: ExerciseSet) -> Module) {
        self.name = name; self.displayName = displayName; self.output = output
        self.downsamplings = downsamplings; self.defaultClasses = defaultClasses; self.make = make
    }

    /// H and W must be multiples of this.
    public var sizeDivisor: Int { 1 << downsamplings }
}

/// The networks known to `unetlab train --data vessels`, `predict` and `evaluate`.
public enum NetworkCatalog {
    /// Every entry, in the order `--help` lists them. New networks are appended here.
    public static let entries: [NetworkEntry] = ModelKind.allCases.map { kind in
        NetworkEntry(name: kind.rawValue, displayName: kind.courseName, output: .logits,
                     downsamplings: kind.downsamplings, defaultClasses: 2) { inChannels, classes, width, exercises in
            kind.make(nChannels: inChannels, nClasses: classes, base: width, exercises: exercises)
        }
    } + seedNetworks

    /// The advanced seeds' networks (SegmentationModels). `width` is each one's first-level width.
    static let seedNetworks: [NetworkEntry] = [
        // Seed 000: one logit channel; DropBlock block 7 needs H/8 ≥ 7 while training.
        NetworkEntry(name: "sa-unet", displayName: "SA-UNet", output: .logits, downsamplings: 3,
                     defaultClasses: 1) { inChannels, _, width, _ in SAUNet(inChannels: inChannels, width: width) },
        // Seed 001: ends in a sigmoid.
        NetworkEntry(name: "keras-unet", displayName: "Keras U-Net (seed 001)", output: .probabilities,
                     downsamplings: 4, defaultClasses: 1) { inChannels, classes, width, _ in
            KerasUNet(inChannels: inChannels, classes: classes, base: width)
        },
        // Seed 002's UNet (ConvTranspose2d k4 s2 p1 up-sampling).
        NetworkEntry(name: "octa-unet", displayName: "UNet of seed 002", output: .logits, downsamplings: 4,
                     defaultClasses: 2) { inChannels, classes, width, _ in
            OCTAUNet(inChannels: inChannels, classes: classes, base: width)
        },
        // Seed 003: ends in a sigmoid. The printed `Last` has 3 sigmoid outputs for a one-class
        // vessel mask; here `Last` has `classes` outputs (1 by default: the vessel probability;
        // 2: background, vessel), the seed's DropBlock (p 0.5, block 9) and everything else as printed.
        NetworkEntry(name: "dacrse-unet", displayName: "DACRSE-UNet (seed 003)", output: .probabilities,
                     downsamplings: 3, defaultClasses: 1) { inChannels, classes, width, _ in
            DACRseUNet(inChannels: inChannels, base: width, outChannels: classes)
        },
    ]

    /// The names `--model` accepts.
    public static var names: [String] { entries.map(\.name) }

    /// The entry called `name`.
    /// - Throws: `ConfigurationError` naming the known networks when there is none.
    public static func entry(named name: String) throws -> NetworkEntry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw ConfigurationError("unknown network '\(name)': expected one of \(names.joined(separator: ", "))")
        }
        return entry
    }
}
