import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// Cell 8 (seed 002): patch-wise prediction — windows with overlap, the stitched probability
/// map, and the seam it has when windows are pasted instead of averaged.
enum PatchCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        let patch = s.patch < s.size ? s.patch : s.size / 2
        c.say("Seed 002 trains on 64×64 patches and predicts a whole image window by window. Windows start every "
              + "patch·(1 − overlap) pixels, the last one is moved back to end at the border (MONAI's "
              + "`sliding_window_inference`, retina-unet's `recompone_overlap`), and where windows overlap their "
              + "predictions are averaged. Here with \(patch)×\(patch) windows on the \(s.size)×\(s.size) test image:")
        for overlap in [0.0, 0.25, 0.5] {
            let starts = SlidingWindow.starts(size: s.size, patch: patch, overlap: overlap)
            c.print(String(format: "overlap %.2f: step %d, window starts %@ per axis → %d windows", overlap,
                           max(1, Int(Double(patch) * (1 - overlap))), "\(starts)", starts.count * starts.count))
        }
        let run = try c.lab.network("UNet")
        let test = try c.lab.test.get()
        let image = try rows(try test.images.nhwcToNCHW(), 0, 1)
        let model = { (x: Tensor) in try run.probabilities(x) }
        let whole = try model(image)
        let window = try SlidingWindow(patchSize: patch, overlap: 0.5, weighting: .constant, batchSize: 8)
        let averaged = try window.predict(image, model)
        let pasted = try paste(image, patch: patch, overlap: 0.5, model: model)
        let tiled = try paste(image, patch: patch, overlap: 0, model: model)
        let n = s.size * s.size
        func meanAbs(_ a: Tensor, _ b: Tensor) -> Double {
            zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(n)
        }
        c.table(["prediction", "mean |p − whole image|", "largest"],
                [("averaged, overlap 0.5", averaged), ("pasted, overlap 0.5", pasted), ("tiles, no overlap", tiled)].map {
                    [$0.0, String(format: "%.5f", meanAbs($0.1, whole)),
                     String(format: "%.4f", zip($0.1.scalars, whole.scalars).map { abs($0 - $1) }.max() ?? 0)]
                }, widths: [22, 23, 8])
        let seam = zip(tiled.scalars, whole.scalars).map { abs($0 - $1) }
        let border = seamProfile(seam, side: s.size, starts: SlidingWindow.starts(size: s.size, patch: patch, overlap: 0),
                                 patch: patch)
        c.print(String(format: "tiles without overlap: mean |difference| %.4f within 2 px of a tile border, %.4f elsewhere",
                       border.near, border.far))
        try c.figure("cell8_sliding_window.png", caption: "Whole-image prediction, windows averaged (overlap 0.5), "
                     + "windows pasted, and where the pasted and tiled maps differ from the whole-image one") { path in
            try LabFigures.grid([.init(title: "whole image at once", values: whole.scalars, colorMap: .hot, range: 0...1),
                                 .init(title: "windows averaged (0.5)", values: averaged.scalars, colorMap: .hot, range: 0...1),
                                 .init(title: "windows pasted (0.5)", values: pasted.scalars, colorMap: .hot, range: 0...1),
                                 .init(title: "|averaged − whole|", values: zip(averaged.scalars, whole.scalars).map { abs($0 - $1) },
                                       colorMap: .viridis, range: 0...0.5),
                                 .init(title: "|pasted − whole|", values: zip(pasted.scalars, whole.scalars).map { abs($0 - $1) },
                                       colorMap: .viridis, range: 0...0.5),
                                 .init(title: "|tiles − whole|: the seams", values: seam, colorMap: .viridis, range: 0...0.5)],
                                columns: 3, side: s.size).write(to: path)
        }
        c.say("A window's border pixels are computed from zero padding where the image actually continues, so "
              + "they differ from what the same network predicts with the whole image in view. Pasting keeps "
              + "those border predictions and shows the tile grid as seams; averaging overlapping windows dilutes "
              + "them (Gaussian weights, MONAI's other mode, trust each window's centre even more).")
        c.question(9)
        if let result = try c.advancedExercise("checking your slidingWindowPredict", { () -> (Float, Float) in
            let mine = try c.lab.exercises.slidingWindowPredict(image, patch, 0.5, model)
            // An identity model must give back the image (odd sizes included: 67×45 with 32×32 windows).
            var r = SeededGenerator(seed: s.seed &+ 8)
            let odd = try Tensor(shape: [1, 1, 45, 67], scalars: (0..<(45 * 67)).map { _ in Float(r.nextUnit()) })
            let identity = try c.lab.exercises.slidingWindowPredict(odd, 32, 0.25) { $0 }
            guard mine.shape == averaged.shape, identity.shape == odd.shape else { return (.infinity, .infinity) }
            return (zip(mine.scalars, averaged.scalars).map { abs($0 - $1) }.max() ?? 0,
                    zip(identity.scalars, odd.scalars).map { abs($0 - $1) }.max() ?? 0)
        }) {
            c.print(String(format: "your slidingWindowPredict: largest difference from UNetKit's SlidingWindow %.3g; identity "
                           + "model on a 45×67 image, 32×32 windows: %.3g %@", result.0, result.1,
                           result.0 <= 1e-5 && result.1 <= 1e-6 ? "✓" : "✗"))
        }
    }

    /// Windows as `SlidingWindow` places them, each prediction written over the previous ones (no averaging).
    static func paste(_ image: Tensor, patch: Int, overlap: Double, model: (Tensor) throws -> Tensor) throws -> Tensor {
        let (h, w) = (image.shape[2], image.shape[3])
        var out = [Float](repeating: 0, count: h * w)
        for y in SlidingWindow.starts(size: h, patch: patch, overlap: overlap) {
            for x in SlidingWindow.starts(size: w, patch: patch, overlap: overlap) {
                let crop = (0..<(patch * patch)).map { image.scalars[(y + $0 / patch) * w + x + $0 % patch] }
                let p = try model(try Tensor(shape: [1, 1, patch, patch], scalars: crop)).scalars
                for i in 0..<(patch * patch) { out[(y + i / patch) * w + x + i % patch] = p[i] }
            }
        }
        return try Tensor(shape: [1, 1, h, w], scalars: out)
    }

    /// Mean of `values` within 2 px of an inner tile border, and elsewhere.
    static func seamProfile(_ values: [Float], side: Int, starts: [Int], patch: Int) -> (near: Double, far: Double) {
        let borders = Set(starts.dropFirst())
        func nearBorder(_ i: Int) -> Bool { borders.contains { abs(i - $0) <= 2 || abs(i - ($0 - 1)) <= 2 } }
        var near = (0.0, 0), far = (0.0, 0)
        for y in 0..<side {
            for x in 0..<side {
                let v = Double(values[y * side + x])
                if nearBorder(x) || nearBorder(y) { near.0 += v; near.1 += 1 } else { far.0 += v; far.1 += 1 }
            }
        }
        return (near.1 == 0 ? 0 : near.0 / Double(near.1), far.1 == 0 ? 0 : far.0 / Double(far.1))
    }
}
