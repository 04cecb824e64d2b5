import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// Cell 6 (seeds 000, 003): spatial attention (the exercise and its map), squeeze-and-excitation
/// channel weights, and the receptive fields of the DAC block's branches.
enum AttentionCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("**Spatial attention** (SA-UNet, seed 000) learns *where* to look: it pools the feature map over "
              + "channels (mean and max, two maps), convolves them with one 7×7 kernel without bias, and "
              + "multiplies the features by the sigmoid of the result — one weight in (0, 1) per pixel, shared "
              + "by all channels. SA-UNet puts it once, in the bottleneck.")
        let data = try c.lab.data.get()
        let image = try rows(data.training.images, 0, 1).nhwcToNCHW()
        manualSeed(s.seed &+ 6)
        // Features: 8 channels of a seeded 3×3 convolution of the vessel image, after ReLU.
        let features = try withoutGradients { try Conv2d(1, 8, kernelSize: 3, padding: 1)(Variable(image)).relu() }
        let reference = SpatialAttention(kernelSize: 7)
        let map = try withoutGradients { try reference.attentionMap(features) }.value
        c.print("SpatialAttention(7): conv.weight \(pythonShape(reference.conv.weight.value.shape)) → "
                + "\(reference.parameterCount) parameters; map of features \(pythonShape(features.shape)): \(pythonShape(map.shape))")
        try c.figure("cell6_spatial_attention.png", caption: "Spatial attention on 8 feature maps of a vessel image "
                     + "(seeded weights, before training): the two pooled maps, the attention map and one attended channel") { path in
            let mean = try meanOverChannels(features).value.scalars, maximum = try maxOverChannels(features).value.scalars
            let attended = try withoutGradients { try reference(features) }.value
            try LabFigures.grid([.init(title: "image", values: image.scalars),
                                 .init(title: "mean over channels", values: mean, colorMap: .viridis),
                                 .init(title: "max over channels", values: maximum, colorMap: .viridis),
                                 .init(title: "attention map σ(conv)", values: map.scalars, colorMap: .hot, range: 0...1),
                                 .init(title: "channel 0", values: plane(features.value, sample: 0), colorMap: .viridis),
                                 .init(title: "channel 0 × map", values: plane(attended, sample: 0), colorMap: .viridis)],
                                columns: 3, side: s.size).write(to: path)
        }
        c.question(7)
        if let result = try c.advancedExercise("checking your SpatialAttention", { () -> (Int, Float) in
            let mine = c.lab.exercises.makeSpatialAttention(7)
            _ = try withoutGradients { try mine(features) }   // a stub throws here, before its weights are set
            try mine.loadStateDict(["conv.weight": reference.conv.weight.value])
            let y = try withoutGradients { try mine(features) }.value
            let expected = try withoutGradients { try reference(features) }.value
            guard y.shape == expected.shape else { return (mine.parameterCount, .infinity) }
            return (mine.parameterCount, zip(y.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0)
        }) {
            c.print(String(format: "your SpatialAttention(7): %d parameters (expected 98), largest difference from "
                           + "UNetKit's with the same weights %.3g %@", result.0, result.1,
                           result.0 == 98 && result.1 <= 1e-5 ? "✓" : "✗"))
        }
        c.say("The map above comes from seeded, untrained weights; cell 7 shows the map of the trained SA-UNet.")

        c.say("**Squeeze-and-excitation** (DACRSE-UNet's RSE block, seed 003) learns *which channels* matter: "
              + "global average pooling to one number per channel, Linear(C → C/16) → ReLU → Linear(→ C) → sigmoid, "
              + "then every channel is scaled by its gate. With 16 channels the bottleneck has 1 unit:")
        let conv16 = Conv2d(1, 16, kernelSize: 3, padding: 1)
        let features16 = try withoutGradients { try conv16(Variable(image)).relu() }
        let se16 = SqueezeExcitation(16)
        let gates = try withoutGradients { try se16.channelWeights(features16) }.value.scalars
        c.print("SE(16) gates: " + gates.map { String(format: "%.3f", $0) }.joined(separator: " "))
        let se8 = SqueezeExcitation(8)
        let gates8 = try withoutGradients { try se8.channelWeights(features) }.value.scalars
        c.print(String(format: "SE(8) gates (8 // 16 = 0 hidden units): min %.3f, max %.3f — every gate is σ(0) = 0.5",
                       gates8.min() ?? .nan, gates8.max() ?? .nan))
        try c.figure("cell6_se_gates.png", caption: "Squeeze-and-excitation gates of 16 channels (seeded weights)") { path in
            try LinePlot(title: "SE channel gates", xLabel: "channel", yLabel: "gate σ(·)",
                         series: [try LineSeries(name: "SE(16)", values: gates, xValues: (0..<16).map(Float.init))],
                         width: 600, height: 400).write(to: path)
        }

        c.say("**Context**: DACRSE-UNet's bottleneck is a DAC block (dense atrous convolution): four branches of "
              + "3×3 convolutions with dilations 1, 3 and 5, summed. A dilated kernel spreads its 9 taps d pixels "
              + "apart, so it sees a 2d + 1 window at the cost of a 3×3. The lab measures each branch's receptive "
              + "field: all weights set to 1, biases to 0, an impulse in the middle of a 41×41 map, and the side "
              + "of the square the response reaches.")
        let fields = try receptiveFields()
        c.table(["branch", "layers (as seed 003 prints them)", "receptive field"],
                zip(["one", "two", "three", "four"], zip(["3×3 d1", "3×3 d3 → 1×1", "3×3 → 1×1 \"dilation 3\" → 1×1",
                                                          "3×3 → 3×3 d3 → 3×3 d5 → 1×1"], fields))
                    .map { [$0.0, $0.1.0, "\($0.1.1)×\($0.1.1)"] }, widths: [7, 34, 16])
        c.say("At the bottleneck of a \(s.size)×\(s.size) image (1/8 size) branch four's \(fields[3])×\(fields[3]) field "
              + "covers \(fields[3] * 8) input pixels across. Branch three's \"dilation 3\" sits on a 1×1 kernel, "
              + "which has one tap: its field stays \(fields[2])×\(fields[2]) (cell 10 comes back to this).")
    }

    /// The side of each DAC branch's receptive field, measured from an impulse response.
    static func receptiveFields() throws -> [Int] {
        let dac = DACBlock(1, midChannels: 1, outChannels: 1)
        var weights: [String: Tensor] = [:]
        for (name, p) in dac.namedParameters() {
            weights[name] = name.hasSuffix("bias") ? Tensor(zeros: p.value.shape) : Tensor(repeating: 1, shape: p.value.shape)
        }
        try dac.loadStateDict(weights)
        let side = 41
        var impulse = [Float](repeating: 0, count: side * side)
        impulse[(side / 2) * side + side / 2] = 1
        let x = Variable(try Tensor(shape: [1, 1, side, side], scalars: impulse))
        return try [dac.one, dac.two, dac.three, dac.four].map { branch -> Int in
            let y = try withoutGradients { try branch(x) }.value.scalars
            let columns = (0..<side).filter { col in (0..<side).contains { y[$0 * side + col] != 0 } }
            return (columns.max() ?? 0) - (columns.min() ?? 0) + 1
        }
    }
}
