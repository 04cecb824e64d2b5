import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 5 (seed 004, section 2.4, question 3): Jaccard and Dice; the Jaccard exercise on the
/// course's eye/ones/zeros test; eval_net on the trained UNet.
enum MetricsCell {
    /// The course's expected output of its Jaccard test.
    static let expected: [Float] = [1, 0.3333, 1.1111e-05, 1]

    static func run(_ c: CourseCell) throws {
        c.say("Two scores are common for segmentation. The **Jaccard** index (intersection over union) of two "
              + "masks A and B is |A ∩ B| / |A ∪ B|: 1 when they coincide, 0 when they do not overlap. On pixel "
              + "masks it is a ratio of pixel counts. The **Dice** coefficient (Sørensen–Dice) is "
              + "2|A ∩ B| / (|A| + |B|); the two rank predictions the same way and can be converted into each "
              + "other, but their values differ.")
        c.say("Notice that training minimises binary cross-entropy, yet the model is judged by Dice or Jaccard "
              + "rather than by the fraction of pixels classified correctly. When most pixels are background, "
              + "per-pixel accuracy is high even for a poor mask; overlap scores look only at the object. The "
              + "gap between the loss you optimise and the score you report is worth thinking about "
              + "(the course asks it as an ungraded question).")
        c.question(3)
        let eye = Tensor(shape: [3, 3]) { $0[0] == $0[1] ? 1 : 0 }
        let ones = Tensor(repeating: 1, shape: [3, 3]), zeros = Tensor(zeros: [3, 3])
        c.print("eye, ones, zeros = np.eye(3), np.ones([3, 3]), np.zeros([3, 3])")
        c.print(eye.numpyString())
        c.print(ones.numpyString())
        c.print(zeros.numpyString())
        let pairs = [("eye,   eye", eye, eye), ("eye,   ones", eye, ones), ("zeros, ones", zeros, ones),
                     ("zeros, zeros", zeros, zeros)]
        if let values = try c.exercise("the Jaccard test", {
            try pairs.map { try c.lab.exercises.jaccardCoeff($0.1, $0.2) }
        }) {
            for ((label, _, _), value) in zip(pairs, values) {
                c.print("jaccard(\(label))".padding(toLength: 22, withPad: " ", startingAt: 0) + "= " + scalarString(value))
            }
            let wrong = zip(values, expected).enumerated().filter { !close($0.element.0, $0.element.1) }
            if wrong.isEmpty {
                c.print("✓ matches the course's output: 1, 0.3333, 1.1111e-05, 1")
            } else {
                c.print("✗ the course expects 1, 0.3333, 1.1111e-05, 1 — check "
                        + wrong.map { "jaccard(\(pairs[$0.offset].0.replacingOccurrences(of: "  ", with: " ")))" }
                            .joined(separator: ", "))
            }
        }
        c.say("For comparison, the Dice coefficient (`DiceCoeff`, already written) on the same pairs. The "
              + "smoothing ε = 1e-4 is why two empty masks score 1, and why zeros against ones is tiny but not 0.")
        for (label, a, b) in pairs {
            c.print("dice(\(label))".padding(toLength: 22, withPad: " ", startingAt: 0) + "= "
                    + scalarString(try diceCoeff(a, b)))
        }
        c.attempt("scoring the trained UNet with eval_net") {
            let run = try c.lab.network(.unet, trainedIn: 3)
            let n = 4
            let (images, labels) = try c.lab.generator(offset: 3)(n)
            let foreground = try diceScore(run.network, images: images, labels: labels)
            let all = try diceScore(run.network, images: images, labels: labels, channels: .allChannels)
            c.say("`eval_net` on the UNet trained in cell 3, on \(n) fresh images: the circles' Dice, and the "
                  + "course's number, which averages in the background channel.")
            c.print(String(format: "eval_net(unet, %d images): foreground Dice %.4f   (background included: %.4f)",
                           n, foreground.reduce(0, +) / Float(n), all.reduce(0, +) / Float(n)))
        }
    }

    /// 1 → "1.0000", 1.1111e-05 → "1.1111e-05", as PyTorch prints a scalar tensor.
    static func scalarString(_ v: Float) -> String {
        v != 0 && abs(v) < 1e-3 ? String(format: "%.4e", v) : String(format: "%.4f", v)
    }

    static func close(_ a: Float, _ b: Float) -> Bool { abs(a - b) <= 1e-3 * max(abs(b), 1e-4) + 1e-9 }
}
