import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// `unetlab bench`: seconds per training step and per forward pass of one of the course's
/// networks (`--model`) or of the command line's vessel networks (`--network`), as
/// `Fixtures/pytorch_peer.py bench` measures PyTorch (`Fixtures/bench_vs_pytorch.py` runs both
/// and prints the ratios).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the training step and the forward pass of a network (median after warm-up).",
        discussion: """
            A training step is forward, sigmoid, BCE, backward and the SGD update, on one fixed batch \
            of the course's images. The forward pass runs in evaluation mode without gradients. \
            Effective GFLOP/s counts the convolutions' multiply-adds ×2 (backward: twice the forward).
            """)

    @Option(help: "Network: unet, shallow or add.") var model: ModelKind = .unet
    @Option(help: ArgumentHelp("A vessel network instead (on synthetic vessels): \(NetworkCatalog.names.joined(separator: ", ")).",
                               valueName: "name")) var network: String?
    @Option(help: "With --network: input channels (1 grey, 3 colour).") var inChannels = 1
    @Option(help: "With --network: output channels (default: the network's).") var classes: Int?
    @Option(help: "Images per batch.") var batch = 4
    @Option(help: "Image height and width.") var size = 128
    @Option(help: "Timed steps (the median is reported).") var steps = 5
    @Option(help: "Width of the first level (default: 64; SA-UNet's is 16).") var base: Int?
    @Flag(help: "End with one JSON line: train_step_s, forward_s, peak_rss_mb, …") var json = false

    func validate() throws {
        try requireOption("batch", batch, in: 1...256)
        try requireOption("steps", steps, in: 1...1000)
        try requireOption("size", size, in: generatedImageSides, unit: " px")
        if let base { try requireOption("base", base, in: NetworkLimits.widths) }
        if let network { _ = try NetworkCatalog.entry(named: network) }
        guard [1, 3].contains(inChannels) else { throw ValidationError("--in-channels must be 1 or 3, but got \(inChannels)") }
        if let classes { try requireOption("classes", classes, in: 1...2) }
    }

    @OptionGroup var exerciseChoice: ExerciseChoice

    func run() throws {
        let exercises = try exerciseChoice.exercises()
        let bench: StepBenchmark
        let name: String
        if let network {
            let entry = try NetworkCatalog.entry(named: network)
            let width = base ?? (network == "sa-unet" ? 16 : 64)
            bench = StepBenchmark(network: entry, inChannels: inChannels, classes: classes ?? entry.defaultClasses, width: width,
                                  batch: batch, size: size, steps: steps, exercises: exercises)
            name = "\(entry.displayName) (width \(width), \(inChannels) → \(classes ?? entry.defaultClasses) channels)"
        } else {
            let description = ModelDescription(kind: model, base: base ?? 64)
            try checkSize(height: size, width: size, for: description)
            bench = StepBenchmark(model: description, batch: batch, size: size, steps: steps, exercises: exercises)
            name = model.courseName
        }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        print("\(name) batch \(batch) \(size)×\(size), \(threads) cores, \(blasDescription())")
        let r = try bench.run { print("  \($0)") }
        print(String(format: "train step %.3f s (%.1f images/s, %.1f GFLOP/s), forward %.3f s (%.1f images/s, %.1f GFLOP/s)",
                     r.trainStepSeconds, Double(batch) / r.trainStepSeconds, r.trainGFLOPS,
                     r.forwardSeconds, Double(batch) / r.forwardSeconds, r.forwardGFLOPS))
        print(String(format: "median of %d; %d parameters; peak RSS %.0f MB; forward convolutions %.2f GFLOP; last loss %.4f",
                     steps, r.parameterCount, r.peakResidentMB, r.forwardFLOPs / 1e9, r.lastLoss))
        let roofline = sgemmGFLOPS()
        print(String(format: "sgemm roofline (1024³ on %d cores): %.1f GFLOP/s; effective train %.0f%%, forward %.0f%% of it "
                     + "(Winograd does fewer multiplications than it is credited with, so > 100%% is possible)",
                     threads, roofline, 100 * r.trainGFLOPS / roofline, 100 * r.forwardGFLOPS / roofline))
        if json {
            let object: [String: Any] = [
                "model": network ?? model.rawValue, "parameters": r.parameterCount, "batch": batch, "size": size, "steps": steps, "threads": threads,
                "train_step_s": round4(r.trainStepSeconds), "forward_s": round4(r.forwardSeconds),
                "train_images_per_s": round4(Double(batch) / r.trainStepSeconds),
                "forward_images_per_s": round4(Double(batch) / r.forwardSeconds),
                "train_gflops": round4(r.trainGFLOPS), "forward_gflops": round4(r.forwardGFLOPS),
                "forward_gflop": round4(r.forwardFLOPs / 1e9), "peak_rss_mb": round4(r.peakResidentMB),
                "train_step_times_s": r.trainStepTimes.map(round4), "forward_times_s": r.forwardTimes.map(round4),
                "blas": blasDescription(), "sgemm_gflops": round4(roofline),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}
