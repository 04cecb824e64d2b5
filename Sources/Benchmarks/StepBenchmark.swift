import Foundation
import UNetKit
import SyntheticData
import SegmentationModels
import LabExercises
import Experiments

/// Times a network the way `Fixtures/pytorch_peer.py bench` times PyTorch: on one fixed batch,
/// after warm-up, the median of `steps` training steps (forward, sigmoid unless the network
/// ends in one, BCE, backward, SGD with momentum and weight decay) and of `steps` forward
/// passes in evaluation mode without gradients; then the process's peak resident memory and
/// the convolutions' effective GFLOP/s.
///
/// Two kinds of subject: the course's networks on the course's shapes (labels one-hot,
/// `[N, 2, H, W]`), and any network of the command line's catalogue on synthetic vessels
/// (labels: the vessel channel `[N, 1, H, W]` for one output channel, one-hot for two).
public struct StepBenchmark {
    /// Builds the network (after `manualSeed(seed)`).
    public var makeNetwork: () -> Module
    /// Draws the batch `(images, labels)` in NCHW: (batch, size, seed).
    public var makeBatch: (_ batch: Int, _ size: Int, _ seed: UInt64) throws -> (Tensor, Tensor)
    /// Whether the network's output is already a probability (no sigmoid before the BCE).
    public var outputIsProbability = false
    public var batch: Int
    public var size: Int
    public var steps: Int
    public var warmup = 2
    public var seed: UInt64 = 1

    /// One of the course's networks on the course's images.
    public init(model: ModelDescription, batch: Int, size: Int, steps: Int, exercises: ExerciseSet) {
        makeNetwork = { model.make(exercises: exercises) }
        makeBatch = { batch, size, seed in
            try checkSize(height: size, width: size, for: model)
            let (x, y) = try CourseData.generator(size: size, seed: seed)(batch)
            return (try x.nhwcToNCHW(), try y.nhwcToNCHW())
        }
        self.batch = batch; self.size = size; self.steps = steps
    }

    /// A network of the catalogue (`unetlab train --data vessels --model NAME`) on synthetic
    /// vessels: grey images for one input channel, colour for three.
    public init(network entry: NetworkEntry, inChannels: Int, classes: Int, width: Int, batch: Int, size: Int, steps: Int,
                exercises: ExerciseSet) {
        makeNetwork = { entry.make(inChannels, classes, width, exercises) }
        makeBatch = { batch, size, seed in
            guard size % entry.sizeDivisor == 0 else {
                throw ConfigurationError("\(entry.displayName) halves the image \(entry.downsamplings) times: the size must "
                                         + "be a multiple of \(entry.sizeDivisor), but got \(size)")
            }
            let (x, y, _) = try VesselDataSet.draw(count: batch, size: size, colour: inChannels == 3, seed: seed,
                                                   preprocessing: .none)
            let labels = try y.nhwcToNCHW()
            return (try x.nhwcToNCHW(), classes == 1 ? try VesselDataSet.vesselChannel(labels) : labels)
        }
        outputIsProbability = entry.output == .probabilities
        self.batch = batch; self.size = size; self.steps = steps
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
        /// Parameters of the network.
        public var parameterCount: Int
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
        let (images, labels) = try makeBatch(batch, size, seed)
        manualSeed(seed)
        let network = makeNetwork()
        let flops = try convolutionFLOPs(network, input: images.shape)

        network.train()
        let optimizer = SGD(network.parameters(), lr: 0.001, momentum: 0.9, weightDecay: 0.0005)
        let probabilityOutput = outputIsProbability
        func step() throws -> Float {
            guard probabilityOutput else { return try trainingStep(network, optimizer: optimizer, images: images, labels: labels) }
            return try optimizationStep(optimizer) {
                (try binaryCrossEntropy(try network(Variable(images)).flattened(), labels.flattened()), ())
            }.loss
        }
        var loss: Float = 0
        progress("warming up (\(warmup) training steps)")
        for _ in 0..<warmup { loss = try step() }
        progress("timing \(steps) training steps")
        let trainTimes = try (0..<steps).map { _ in try secondsOf { loss = try step() } }
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
                      peakResidentMB: peakResidentMegabytes(), forwardFLOPs: flops,
                      parameterCount: network.parameterCount, lastLoss: loss)
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
