import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook
import Experiments

/// Cell 3 (seeds 000, 002, 003): joint augmentation of image, mask and FOV, and what a mask
/// that does not follow its image costs.
enum AugmentationCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("Vessel data sets are tiny (DRIVE: 20 training images), so all four seeds augment: flips, rotations, "
              + "crops, brightness and contrast. For segmentation the label is an image too: every *geometric* "
              + "transform must move the mask and the FOV exactly as it moves the image, while *photometric* "
              + "changes (brightness, contrast, noise) touch the image only. `JointAugmentation` draws one "
              + "transform per sample from a seeded stream and applies it to all three; masks take the nearest "
              + "pixel, so they stay 0/1.")
        let data = try c.lab.data.get()
        let sample = try SegmentationSample(images: data.training.images, labels: data.training.labels,
                                            fov: data.training.fov, index: 0)
        let augment = try JointAugmentation(flipProbability: 0.5, quarterTurns: true, maxRotation: .pi / 6,
                                            brightness: 0.1, contrast: 0.2, noiseSigma: 0.02)
        c.print("augment = JointAugmentation(flip 0.5, quarter turns, rotation ±30°, brightness ±0.1, contrast ±20 %, noise σ 0.02)")
        var rng = SeededGenerator(seed: s.seed &+ 3)
        var panels: [LabFigures.Panel] = [.init(title: "original", values: sample.image, range: 0...1),
                                          .init(title: "its mask", values: sample.mask.map(Float.init), range: 0...1)]
        var aligned = 0
        for k in 1...8 {
            let a = try augment(sample, using: &rng)
            panels.append(.init(title: "augmented \(k)", values: a.image, range: 0...1))
            panels.append(.init(title: "mask \(k)", values: a.mask.map(Float.init), range: 0...1))
            // The transformed mask still marks dark, thin pixels: vessels are darker than their surroundings.
            if meanWhere(a.image, a.mask, 1, fov: a.fov) < meanWhere(a.image, a.mask, 0, fov: a.fov) { aligned += 1 }
        }
        try c.figure("cell3_augmentations.png", caption: "One image and its mask, then eight joint augmentations "
                     + "(each image beside its transformed mask)") { path in
            try LabFigures.grid(panels, columns: 6, side: s.size).write(to: path)
        }
        c.print("in \(aligned) of 8 augmented pairs the mask's pixels are darker than the rest of the FOV, as vessels are: the mask followed the image")

        c.say("What goes wrong when the mask is not transformed with the image: rotate the image by a few degrees "
              + "and keep the old mask. The table scores the stale mask against the rotated image's true mask "
              + "(Dice inside the FOV) — that is the label the network would be trained to reproduce.")
        var rows: [[String]] = []
        for degrees in [2.0, 5, 15, 90] {
            let rotated = GeometricTransforms.rotate(sample, angle: degrees * .pi / 180)
            rows.append([String(format: "%.0f°", degrees), f4(dice(sample.mask, rotated.mask, fov: sample.fov))])
        }
        let flipped = GeometricTransforms.flipHorizontal(sample)
        rows.append(["left–right flip", f4(dice(sample.mask, flipped.mask, fov: sample.fov))])
        c.table(["image transform", "Dice(stale mask, true mask)"], rows, widths: [16, 28])
        c.say("Even 5° leave most thin vessels under the wrong label: a vessel 2 px wide moves off its own "
              + "label after a rotation that shifts it by 2 px. Thick objects (the course's circles) forgive "
              + "small misalignments; thin structures do not.")
        c.question(3)
    }

    /// The mean of the image where the mask is `value`, inside the FOV.
    static func meanWhere(_ image: [Float], _ mask: [UInt8], _ value: UInt8, fov: [UInt8]) -> Float {
        var sum: Float = 0, n = 0
        for i in image.indices where mask[i] == value && fov[i] == 1 { sum += image[i]; n += 1 }
        return n == 0 ? .nan : sum / Float(n)
    }

    /// Dice of two 0/1 masks where `fov` is 1 (1 when both are empty).
    static func dice(_ a: [UInt8], _ b: [UInt8], fov: [UInt8]) -> Double {
        var inter = 0, sum = 0
        for i in a.indices where fov[i] == 1 {
            inter += Int(a[i] & b[i]); sum += Int(a[i]) + Int(b[i])
        }
        return sum == 0 ? 1 : 2 * Double(inter) / Double(sum)
    }
}
