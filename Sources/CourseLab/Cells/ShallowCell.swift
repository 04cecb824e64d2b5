import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 7 (seed 004, section 3.1, question 6): UNet_shallow, written by the student, trained as the UNet.
enum ShallowCell {
    static func run(_ c: CourseCell) throws {
        c.say("Depth matters: a deeper network can describe more, but is harder to train (vanishing or exploding "
              + "gradients). The UNet has five levels — it down-samples four times. Here you make it shallower, "
              + "which is also the best way to get to know its structure.")
        c.question(6)
        c.say("The course's answer keeps the widths of the first levels: `inc` 64, `down` 128, `down` 128, then "
              + "`up` (256→64) and `up` (128→64) — 851,266 parameters. Other widths are valid too. The training "
              + "code is the UNet's with a different model; the lab trains it on the same data stream from the "
              + "same seed, so the loss curves can be compared in the next cell.")
        let run = try c.exercise("training UNet_shallow") { try LabTraining.train(.shallow, in: c) }
        if let run {
            try LabTraining.predictionFigure(run, file: "cell7_shallow_prediction.png", in: c)
            c.say("Is it worse than the UNet? On this easy data often not by much: the circles are small, and two "
                  + "down-samplings already see far enough around each pixel.")
        }
    }
}
