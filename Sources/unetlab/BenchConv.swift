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
        guard channels > 0, size >= 3, batch > 0, repeats > 0, dilation > 0 else {
            throw ValidationError("expected channels ≥ 1, size ≥ 3, batch ≥ 1, repeats ≥ 1, dilation ≥ 1; got "
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
