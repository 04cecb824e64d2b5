import ArgumentParser
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// `unetlab predict`: the course's prediction cell from saved weights.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict with saved weights: 2×2 figures and prediction.safetensors (input, probabilities).",
        discussion: """
            On fresh generated images (--seed, --count, --size) or on one grey-scale PNG (--image).
            Example: unetlab predict --weights runs/unet/unet.safetensors --seed 7 --out runs/unet/predict
            """)

    @Option(help: "Weights file (.safetensors) from `unetlab train` or saved from the course's PyTorch UNet.")
    var weights: String
    @Option(help: "Seed of the generated images.") var seed: UInt64 = 1
    @Option(help: "How many generated images.") var count = 2
    @Option(help: "Size of generated images (default: the size the weights were trained on, else 128).") var size: Int?
    @Option(help: "Predict on this PNG instead of generated images.") var image: String?
    @Option(help: "Folder for the outputs (created if missing).") var out: String

    @OptionGroup(title: "Vessel options (weights from train --data vessels)") var vessel: VesselPredictArguments
    @OptionGroup var exerciseChoice: ExerciseChoice

    func validate() throws {
        try requireOption("count", count, in: 1...10_000)
        if let size { try requireOption("size", size, in: generatedImageSides, unit: " px") }
        try requireOutputFolder(out)
    }

    func run() throws {
        if try VesselPredictArguments.isVesselWeights(weights) {
            try createOutputDirectory(out)
            try vessel.run(weights: weights, image: image, seed: seed, count: count, size: size, out: out,
                           exercises: try exerciseChoice.exercises())
            return
        }
        let model = try LoadedModel(weights: weights, exercises: try exerciseChoice.exercises())
        try createOutputDirectory(out)
        let input: PredictionInput = if let image { .png(path: image) } else {
            .generated(seed: seed, count: count, size: size ?? Int(model.metadata["image_size"] ?? "") ?? 128)
        }
        let files = try runPrediction(model, input: input, outputDirectory: out)
        print("\(model.description.kind.courseName) from \(weights): wrote \(out)/{\(files.joined(separator: ", "))}")
    }
}

/// `unetlab worst`: question 5 — the images the network segments worst.
struct Worst: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank fresh images by Dice and write the prediction figures of the worst ones.")

    @Option(help: "Weights file (.safetensors).") var weights: String
    @Option(help: "How many fresh images to score.") var count = 50
    @Option(help: "How many of the worst to draw.") var keep = 3
    @Option(help: "Seed of the images.") var seed: UInt64 = 2
    @Option(help: "Image size (default: the size the weights were trained on, else 128).") var size: Int?
    @Option(help: "Folder for the figures (created if missing).") var out: String

    @OptionGroup var exerciseChoice: ExerciseChoice

    func validate() throws {
        try requireOption("count", count, in: 1...100_000)
        try requireOption("keep", keep, in: 1...min(count, 100))
        if let size { try requireOption("size", size, in: generatedImageSides, unit: " px") }
        try requireOutputFolder(out)
    }

    func run() throws {
        let model = try LoadedModel(weights: weights, exercises: try exerciseChoice.exercises())
        try createOutputDirectory(out)
        let (worst, meanDice) = try WorstSamples.find(model, seed: seed, count: count, keep: keep,
                                          size: size ?? Int(model.metadata["image_size"] ?? "") ?? 128, outputDirectory: out)
        print(String(format: "mean foreground Dice over %d fresh images: %.4f", count, meanDice))
        print("the \(worst.count) worst (foreground Dice):")
        for entry in worst { print(String(format: "  image %3d  dice %.4f  → %@/%@", entry.index, entry.dice, out, entry.file)) }
    }
}

/// `unetlab summary`: a torchsummary-style table of a network.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the layers, output shapes and parameter counts of a network.")
    @Option(help: "Network: unet, shallow or add.") var model: ModelKind = .unet
    @Option(help: "Input size.") var size = 128
    @Option(help: "Width of the first level.") var base = 64

    @OptionGroup var exerciseChoice: ExerciseChoice

    func validate() throws {
        try requireOption("base", base, in: NetworkLimits.widths)
        let divisor = 1 << model.downsamplings
        guard (divisor...65_536).contains(size), size % divisor == 0 else {
            throw ValidationError("--size must be a multiple of \(divisor) in \(divisor)…65536 (\(model.courseName) halves the "
                                  + "image \(model.downsamplings) times), but got \(size)")
        }
    }

    func run() throws {
        print(try modelSummaryTable(ModelDescription(kind: model, base: base), size: size, exercises: try exerciseChoice.exercises()))
    }
}
