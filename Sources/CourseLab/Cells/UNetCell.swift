import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 2 (seed 004, section 2.1): the UNet's building blocks and its size.
enum UNetCell {
    static func run(_ c: CourseCell) throws {
        let s = c.lab.settings
        c.say("The UNet is built from a few blocks (the course's `unet_parts.py`, here "
              + "`Sources/UNetKit/Models/UNetParts.swift`): `double_conv` is two rounds of 3×3 convolution, "
              + "BatchNorm and ReLU; `inconv` is the first double conv; `down` is a 2×2 max-pool and a double "
              + "conv; `up` up-samples by 2 (bilinear), concatenates the feature map copied from the same level "
              + "of the encoder — the skip connection — and applies a double conv; `outconv` is a 1×1 "
              + "convolution to one channel per class.")
        c.say("The network is symmetric — four `down` blocks, then four `up` blocks — so the code is short and "
              + "modular. Notice how the width doubles as the image halves, and how each `up` takes twice the "
              + "channels it outputs because of the concatenation.")
        manualSeed(s.seed)
        let unet = UNet(nChannels: 1, nClasses: 2, base: s.base)
        c.print("unet = UNet(n_channels=1, n_classes=2)" + (s.base == 64 ? "" : "    # base width \(s.base)"))
        c.print(blockTable(unet, size: s.size))
        if s.base == 64 {
            c.say("13,394,242 parameters — exactly what PyTorch counts for the course's network.")
        }
        c.say("The course checks `torch.cuda.is_available()` next; this kit trains on the CPU, with the "
              + "convolutions done as matrix products in BLAS — Winograd's F(2×2, 3×3) for the 3×3 layers, "
              + "im2col for the rest (the appendix shows the plain loops they replace, and how much faster they are).")
        c.print("device: CPU, \(ProcessInfo.processInfo.activeProcessorCount) cores, convolutions through BLAS sgemm")
    }

    /// The network's top-level blocks, their widths and parameter counts, and the output of a
    /// `size`×`size` image — the course's architecture in a dozen lines.
    static func blockTable(_ model: Module, size: Int) -> String {
        var lines = ["block    type      channels    parameters"]
        for (name, child) in model.namedChildren {
            let kind = String(describing: type(of: child))
            // Input channels of the block's first convolution, output channels of its last.
            let kernels = child.parameters().map(\.value.shape).filter { $0.count == 4 }
            let channels = kernels.isEmpty ? "" : "\(kernels.first![1])→\(kernels.last![0])"
            lines.append(name.padding(toLength: 9, withPad: " ", startingAt: 0)
                         + kind.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + channels.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + child.parameterCount.formattedWithCommas.leftPadded(12))
        }
        lines.append("total" + String(repeating: " ", count: 24) + model.parameterCount.formattedWithCommas.leftPadded(12))
        if let y = try? predictProbabilities(model, images: Tensor(zeros: [1, 1, size, size])) {
            lines.append("input \(pythonShape([1, 1, size, size])) → output \(pythonShape(y.shape)) (B×C×H×W)")
        }
        return lines.joined(separator: "\n")
    }
}
