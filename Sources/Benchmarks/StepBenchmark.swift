import Foundation
import UNetKit
import SyntheticData
import SegmentationModels
import LabExercises
import Experiments

/// Times one of the course's networks the way `Fixtures/pytorch_peer.py bench` times PyTorch:
/// on one fixed batch of the course's images, after warm-up, the median of `steps` training
/// steps (forward, sigmoid, BCE, backward, SGD with momentum and weight decay) and of `steps`
/// forward passes in evaluation mode without gradients; then the process's peak resident
/// memory and the convolutions' effective GFLOP/s.
public struct StepBenchmark {
    public var model: ModelDescription
    public var batch: Int
    public var size: Int
    public var steps: Int
    public var warmup = 2
    public var seed: UInt64 = 1
    public var exercises: ExerciseSet

    public init(model: ModelDescription, batch: Int, size: Int, steps: Int, exercises: ExerciseSet) {
        self.model = model; self.batch = batch; self.size = size; self.steps = steps; self.exercises = exercises
    }

    public struct Result: Sendable {
        /// Median seconds of one training step and of one forward pass.
        public var trainStepSeconds: Double
        public var forwardSeconds: Double
        /// Every measured time, in the order they ran.
        public var trainStepTimes: [Double]
        public var forwardTimes: [Double]
        /// Peak resident memory of the whole process (getrusage), in MB (2^20 bytes).
        public var peakResidentMB: Double
        /// Floating-point operations of the convolutions in one forward pass (2 per multiply-add).
        public var forwardFLOPs: Double
        /// A training step does the forward convolutions plus two as large in backward (data and weight).
        public var trainStepFLOPs: Double { 3 * forwardFLOPs }
        public var trainGFLOPS: Double { trainStepFLOPs / trainStepSeconds / 1e9 }
        public var forwardGFLOPS: Double { forwardFLOPs / forwardSeconds / 1e9 }
        /// The loss of the last training step (a sanity check that it trains).
        public var lastLoss: Float
    }

    /// Runs the benchmark; `progress` sees one line per phase.
    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        guard batch >= 1, steps >= 1 else {
            throw ConfigurationError("the benchmark needs batch ≥ 1 and steps ≥ 1, but got batch \(batch), steps \(steps)")
        }
        try checkSize(height: size, width: size, for: model)
        manualSeed(seed)
        let network = model.make(exercises: exercises)
        let generator = try CourseData.generator(size: size, seed: seed)
        let (x, y) = try generator(batch)
        let (images, labels) = (try x.nhwcToNCHW(), try y.nhwcToNCHW())
        let flops = try convolutionFLOPs(network, input: images.shape)

        network.train()
        let optimizer = SGD(network.parameters(), lr: 0.001, momentum: 0.9, weightDecay: 0.0005)
        var loss: Float = 0
        progress("warming up (\(warmup) training steps)")
        for _ in 0..<warmup { loss = try trainingStep(network, optimizer: optimizer, images: images, labels: labels) }
        progress("timing \(steps) training steps")
        let trainTimes = try (0..<steps).map { _ in
            try secondsOf { loss = try trainingStep(network, optimizer: optimizer, images: images, labels: labels) }
        }
        network.eval()
        progress("timing \(steps) forward passes")
        let input = Variable(images)
        let forwardTimes = try withoutGradients {
            _ = try network(input)
            return try (0..<steps).map { _ in try secondsOf { _ = try network(input) } }
        }
        network.train()
        return Result(trainStepSeconds: median(trainTimes), forwardSeconds: median(forwardTimes),
                      trainStepTimes: trainTimes, forwardTimes: forwardTimes,
                      peakResidentMB: peakResidentMegabytes(), forwardFLOPs: flops, lastLoss: loss)
    }
}

/// FLOPs (2 per multiply-add) of every `Conv2d` and `ConvTranspose2d` in one forward pass of
/// `model` on an input of shape `input`; found by running the model once on zeros.
public func convolutionFLOPs(_ model: Module, input: [Int]) throws -> Double {
    var total = 0.0
    try model.withForwardObserver({ module, output in
        if let conv = module as? Conv2d {
            // Each output element is a dot product of Cin·k·k inputs.
            total += 2 * Double(output.value.count) * Double(conv.weight.value.count / conv.weight.shape[0])
        } else if let conv = module as? ConvTranspose2d {
            // Each input element is scattered to Cout·k·k outputs: MACs = inputs·Cout·k·k,
            // with the input side H = (Hout + 2p − k)/s + 1 (and W alike).
            let (w, o) = (conv.weight.shape, output.shape)    // w [Cin, Cout, k, k], o [N, Cout, Hout, Wout]
            let h = (o[2] + 2 * conv.padding - w[2]) / conv.stride + 1
            let wd = (o[3] + 2 * conv.padding - w[3]) / conv.stride + 1
            total += 2 * Double(o[0] * w[0] * h * wd) * Double(w[1] * w[2] * w[3])
        }
    }) {
        _ = try withoutGradients { try model(Variable(Tensor(zeros: input))) }
    }
    return total
}

/// Seconds `body` takes on the wall clock.
func secondsOf(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The peak resident set size of this process so far, in MB (Linux reports KiB).
public func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
