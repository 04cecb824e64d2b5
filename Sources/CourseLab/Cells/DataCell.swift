import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 1 (seed 004, section 1): the synthetic data — shapes of a batch, question 1, the 1×3 figure.
enum DataCell {
    static func run(_ c: CourseCell) throws {
        let s = c.lab.settings
        c.say("Segmentation needs a label for every pixel, not one per image. Instead of VOC or COCO the course "
              + "draws its own data: grey images of noisy filled circles, each with its exact ground truth. The "
              + "size is ours to choose, so the whole network trains on a laptop's CPU; the price is that the "
              + "task is easy, and many tricks that help on real data make little difference here.")
        c.say("`GrayScaleDataProvider(nx, ny, cnt: \(CourseData.shapeCount), sigma: \(Int(CourseData.noise)))` draws `cnt` circles per image and adds "
              + "Gaussian noise of strength `sigma` (smaller is easier). Sides should be powers of two: the UNet "
              + "halves the image four times and must recover the size exactly on the way up. The first thing to "
              + "do with any data set is to look at it — starting with the shapes of what the generator returns.")
        let generator = try c.lab.generator()
        let (x, y) = try generator(2)
        c.print("x_test, y_test = generator(2)    # nx = ny = \(s.size), cnt = \(CourseData.shapeCount), sigma = \(Int(CourseData.noise)), seed \(generator.seed)")
        c.print(pythonShape(x.shape))
        c.print(pythonShape(y.shape))
        c.question(1)
        c.say("Now look at one image as a person would. Left: the image in grey. Middle: the same values in a "
              + "colour map (matplotlib colours grey images this way by default, for contrast). Right: the ground "
              + "truth — 1 where a circle is, 0 elsewhere. The generator makes images and labels in pairs.")
        let (w, h) = (x.shape[2], x.shape[1])
        try c.figure("cell1_data.png", caption: "Original data, the same in colour, and its ground truth "
                     + "(\(w)×\(h), seed \(generator.seed))") { path in
            try SegmentationFigures.dataFigure(image: try BatchSlices.channel(0, of: x, sample: 0),
                                      groundTruth: try BatchSlices.channel(1, of: y, sample: 0),
                                      width: w, height: h).write(to: path)
        }
    }
}
