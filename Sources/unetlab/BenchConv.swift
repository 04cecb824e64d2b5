import ArgumentParser
import Foundation
import UNetKit

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
        let geometry = dilation == 1 ? "padding 1" : "dilation \(dilation), padding \(dilation)"
        print("conv2d \(channels)→\(channels), 3×3, \(geometry), input [\(batch), \(channels), \(size), \(size)]"
              + " — median of \(repeats) runs")
        let (timings, difference) = try bench.run()
        let gflop = bench.forwardFLOPs / 1e9
        print(pad("backend", 10) + pad("forward", 12) + pad("backward", 12) + "forward GFLOP/s")
        for t in timings {
            print(pad(t.backend.rawValue, 10) + pad(String(format: "%.4f s", t.forward), 12)
                  + pad(String(format: "%.4f s", t.backward), 12) + String(format: "%.1f", gflop / t.forward))
        }
        for line in speedUpLines(timings) { print(line) }
        print(String(format: "largest difference from the naive output: %.2e", difference))
    }

    private func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count + 1), withPad: " ", startingAt: 0) }
}
