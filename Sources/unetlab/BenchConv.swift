import ArgumentParser
import UNetKit

struct BenchConv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-conv",
        abstract: "Naive loop vs im2col + BLAS convolution time on a UNet-sized layer.")
    func run() throws { print("todo") }
}
