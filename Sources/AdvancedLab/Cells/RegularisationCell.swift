import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// Cell 5 (seeds 000, 003): dropout against DropBlock — block masks on a feature map for
/// several block sizes and keep probabilities, γ computed and checked, the exercise.
enum RegularisationCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("Dropout zeroes single activations at random. In a convolutional feature map neighbours are "
              + "strongly correlated, so the next layer recovers a dropped pixel from the pixels around it: "
              + "little is learned. **DropBlock** (Ghiasi et al. 2018; SA-UNet and DACRSE-UNet use it) zeroes "
              + "whole bs×bs squares instead. Seeds are drawn with probability γ only where a whole block fits, "
              + "each seed zeroes the block around it, and the survivors are rescaled by count/kept:")
        c.print("γ = (1 − keep_prob) / bs² · H·W / ((H − bs + 1)(W − bs + 1))")
        let side = 32
        let data = try c.lab.data.get()
        // A feature map: the central 32×32 window of a vessel image, as [1, 1, 32, 32].
        let full = try BatchSlices.channel(0, of: data.training.images, sample: 0)
        let offset = (s.size - side) / 2
        let window = (0..<(side * side)).map { full[(offset + $0 / side) * s.size + offset + $0 % side] }
        let feature = try Tensor(shape: [1, 1, side, side], scalars: window)
        var panels: [LabFigures.Panel] = [.init(title: "feature map \(side)×\(side)", values: window, range: 0...1)]
        var rows: [[String]] = []
        var rng = SeededGenerator(seed: s.seed &+ 5)
        for keep in [0.9, 0.75] {
            for bs in [1, 3, 7] {
                let p = 1 - keep
                let seeds = try dropBlockSeedMask(inputShape: feature.shape, p: p, blockSize: bs, using: &rng)
                let y = try dropBlock2d(Variable(feature), seedMask: seeds, blockSize: bs).value
                panels.append(.init(title: "\(bs == 1 ? "dropout-like, " : "")bs \(bs), keep \(keep)", values: y.scalars,
                                    range: 0...2))
                // The drop rate, measured over many draws of a 1×64×32×32 map.
                let measured = try dropRate(p: p, blockSize: bs, side: side, using: &rng)
                rows.append(["\(keep)", "\(bs)", String(format: "%.5f", dropBlockGamma(p: p, blockSize: bs, height: side, width: side)),
                             String(format: "%.3f", p), String(format: "%.3f", measured)])
            }
        }
        try c.figure("cell5_dropblock_masks.png", caption: "DropBlock on a \(side)×\(side) feature map (a vessel image "
                     + "window) for block sizes 1, 3, 7 and keep probabilities 0.9 and 0.75; survivors rescaled") { path in
            try LabFigures.grid(panels, columns: 4, side: side).write(to: path)
        }
        c.table(["keep_prob", "bs", "γ", "target drop", "measured drop"], rows, widths: [9, 3, 9, 12, 14])
        c.say("Measured over 64 channels × 50 draws: with bs = 1 the drop rate is 1 − keep_prob exactly in "
              + "expectation; with larger blocks it falls short, because blocks overlap (two seeds close together "
              + "drop fewer than 2·bs² pixels) — γ as defined counts every block in full.")

        c.question(6)
        if let gamma = try c.advancedExercise("checking your dropBlockGamma", {
            try AdvancedExercises.gamma(c.lab.exercises, p: 0.18, blockSize: 7, height: 64, width: 48)
        }) {
            let reference = dropBlockGamma(p: 0.18, blockSize: 7, height: 64, width: 48)
            c.print(String(format: "dropBlockGamma(p 0.18, bs 7, 64×48) = %.6f   (reference %.6f) %@", gamma, reference,
                           abs(gamma - reference) <= 1e-9 * reference ? "✓" : "✗ check the border correction"))
        }
        if let difference = try c.advancedExercise("checking your dropBlock against UNetKit's drop_block2d", {
            var r = SeededGenerator(seed: s.seed &+ 55)
            let x = try Tensor(shape: [2, 3, 12, 12], scalars: (0..<(2 * 3 * 144)).map { _ in Float(r.nextUnit() * 2 - 1) })
            let seeds = try dropBlockSeedMask(inputShape: x.shape, p: 0.3, blockSize: 3, using: &r)
            let mine = try c.lab.exercises.dropBlock(Variable(x), seeds, 3).value
            let reference = try dropBlock2d(Variable(x), seedMask: seeds, blockSize: 3).value
            guard mine.shape == reference.shape else { return Float.infinity }
            return zip(mine.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 0
        }) {
            c.print(String(format: "your dropBlock on a 2×3×12×12 input with a given seed mask (bs 3): largest difference "
                           + "from UNetKit's %.3g %@", difference, difference <= 1e-5 ? "✓" : "✗"))
        }
        c.say("In evaluation mode DropBlock is the identity, like dropout. SA-UNet uses bs 7 and keep_prob 0.82 on "
              + "DRIVE; seed 003 passes block_size = 3*3 = 9 with p = 0.5 after every convolution — half of every "
              + "feature map gone in training (cell 7 says what the lab uses for it).")
    }

    /// The fraction of zeros of DropBlock's keep mask over 64 channels × 50 draws.
    static func dropRate(p: Double, blockSize: Int, side: Int, using rng: inout SeededGenerator) throws -> Double {
        var dropped = 0.0, total = 0.0
        for _ in 0..<50 {
            let seeds = try dropBlockSeedMask(inputShape: [1, 64, side, side], p: p, blockSize: blockSize, using: &rng)
            let keep = try dropBlockKeepMask(seedMask: seeds, blockSize: blockSize, height: side, width: side)
            dropped += Double(keep.scalars.count) - Double(keep.scalars.reduce(0, +))
            total += Double(keep.scalars.count)
        }
        return dropped / total
    }
}
