import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// `unetlab bench-conv`: naive loops vs im2col + BLAS vs Winograd + BLAS on a UNet-sized convolution.
struct BenchConv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-conv",
        abstract: "Time the naive loop convolution against im2col + BLAS and Winograd on a UNet-sized 3×3 layer.")

    @Option(help: "Input and output channels.") var channels = 64
    @Option(help: "Image height and width.") var size = 128
    @Option(help: "Batch size.") var batch = 1
    @Option(help: "Runs per measurement (the median is reported).") var repeats = 3
    @Option(help: "Dilation of the 3×3 kernel (the padding equals it).") var dilation = 1

    func validate() throws {
        guard (1...1024).contains(channels), (3...1024).contains(size), (1...64).contains(batch), (1...100).contains(repeats),
              (1...size).contains(dilation) else {
            throw ValidationError("expected channels in 1…1024, size in 3…1024, batch in 1…64, repeats in 1…100, "
                                  + "dilation in 1…size; got "
                                  + "\(channels), \(size), \(batch), \(repeats), \(dilation)")
        }
    }

    func run() throws {
        let bench = ConvolutionBenchmark(batch: batch, channels: channels, size: size, repeats: repeats,
                                         dilation: dilation)
        let (timings, difference) = try bench.run()
        for line in bench.report(timings, maxDifference: difference) { print(line) }
    }

}
