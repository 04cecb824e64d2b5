import UNetKit
import Foundation

/// Times the naive loop convolution against im2col + BLAS and Winograd + BLAS on one 3×3 layer,
/// as CS231n's notebook does: same input, same weights, and the outputs compared. With a
/// dilation d > 1 the padding is d (the output keeps the input's size) and only the naive loops
/// and im2col + BLAS run: Winograd F(2×2, 3×3) only takes dilation 1.
public struct ConvolutionBenchmark {
    /// One implementation's measured times (median over the repeats), in seconds.
    public struct Timing {
        public var backend: ConvolutionBackend
        public var forward: Double
        public var backward: Double
    }

    public var batch: Int
    public var channels: Int
    public var size: Int
    public var repeats: Int
    /// Spacing of the kernel taps; the padding equals it.
    public var dilation: Int

    /// Runs of the naive loops (they take seconds a run, so one is already a steady figure);
    /// `repeats` unless given.
    public var naiveRepeats: Int

    public init(batch: Int = 1, channels: Int = 64, size: Int = 128, repeats: Int = 3, naiveRepeats: Int? = nil,
                dilation: Int = 1) {
        self.batch = batch; self.channels = channels; self.size = size; self.repeats = repeats
        self.naiveRepeats = naiveRepeats ?? repeats
        self.dilation = dilation
    }

    /// Multiply-adds of the forward pass ×2: the FLOP count of a direct 3×3 convolution (Winograd
    /// needs fewer; its GFLOP/s are "effective", counted as if it did them all).
    public var forwardFLOPs: Double { 2 * Double(batch * channels * channels * 9 * size * size) }

    /// Runs the backends (naive, blas, and winograd for dilation 1); returns their timings and the
    /// largest difference of each fast backend's output from the naive one.
    public func run() throws -> (timings: [Timing], maxDifference: Float) {
        var rng = SeededGenerator(seed: 1)
        func random(_ shape: [Int]) -> Tensor { Tensor(shape: shape) { _ in Float(rng.normal()) } }
        let x = random([batch, channels, size, size]), w = random([channels, channels, 3, 3])
        let b = random([channels]), gy = random([batch, channels, size, size])
        var outputs: [Tensor] = []
        var timings: [Timing] = []
        for backend in [ConvolutionBackend.naive, .blas] + (dilation == 1 ? [.winograd] : []) {
            var y = Tensor(zeros: [])
            let runs = backend == .naive ? naiveRepeats : repeats
            let forward = try medianSeconds(runs) {
                y = try conv2dForward(x, weight: w, bias: b, padding: dilation, dilation: dilation, backend: backend)
            }
            let backward = try medianSeconds(runs) {
                _ = try conv2dBackward(gy, input: x, weight: w, padding: dilation, dilation: dilation, backend: backend)
            }
            outputs.append(y)
            timings.append(Timing(backend: backend, forward: forward, backward: backward))
        }
        let difference = outputs.dropFirst().flatMap { zip(outputs[0].scalars, $0.scalars).map { abs($0 - $1) } }.max() ?? 0
        return (timings, difference)
    }
}

/// Median wall time of `repeats` runs of `body`, in seconds.
public func medianSeconds(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<max(1, repeats) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

extension ConvolutionBenchmark {
    /// The printed report: the layer, a table of the backends' times and effective GFLOP/s, the
    /// speed-ups over the naive loops, the largest difference from the naive output, and the BLAS
    /// (which kernel and why).
    public func report(_ timings: [Timing], maxDifference: Float) -> [String] {
        let geometry = dilation == 1 ? "padding 1" : "dilation \(dilation), padding \(dilation)"
        var lines = ["conv2d \(channels)→\(channels), 3×3, \(geometry), input [\(batch), \(channels), \(size), \(size)]"
                     + " — median of \(repeats) run\(repeats == 1 ? "" : "s")"
                     + (naiveRepeats == repeats ? "" : " (the naive loops: \(naiveRepeats))"),
                     "backend".column(10) + "forward".column(12) + "backward".column(12) + "forward GFLOP/s"]
        for t in timings {
            lines.append(t.backend.rawValue.column(10) + String(format: "%.4f s", t.forward).column(12)
                         + String(format: "%.4f s", t.backward).column(12)
                         + String(format: "%.1f", forwardFLOPs / 1e9 / t.forward))
        }
        lines += speedUpLines(timings)
        lines.append(String(format: "largest difference from the naive output: %.2e", maxDifference))
        lines.append("BLAS: \(blasDescription())")
        return lines
    }
}

/// "speed-up of BLAS over the naive loops: forward 64×, backward 31×" for each fast backend.
public func speedUpLines(_ timings: [ConvolutionBenchmark.Timing]) -> [String] {
    guard let naive = timings.first(where: { $0.backend == .naive }) else { return [] }
    let names: [ConvolutionBackend: String] = [.blas: "BLAS", .winograd: "Winograd"]
    return timings.compactMap { t in
        names[t.backend].map {
            String(format: "speed-up of %@ over the naive loops: forward %.0f×, backward %.0f×",
                   $0, naive.forward / t.forward, naive.backward / t.backward)
        }
    }
}
