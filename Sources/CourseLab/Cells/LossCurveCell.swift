import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 4 (seed 004, section 2.3, question 2): the loss of every step, as a line plot.
enum LossCurveCell {
    static func run(_ c: CourseCell) throws {
        c.say("The training loop recorded the loss of every step (`curr_step`, `step_loss` in the course's code). "
              + "Plotted against the step, it shows how training went: how fast the loss falls, when it levels "
              + "off, and how noisy single batches are.")
        c.question(2)
        let run = try c.lab.network(.unet, trainedIn: 3)
        let losses = run.history.losses
        let tail = losses.suffix(10)
        c.print(String(format: "steps: %d   first loss: %.4f   last loss: %.4f   mean of the last %d: %.4f",
                       losses.count, losses.first ?? .nan, losses.last ?? .nan, tail.count,
                       tail.reduce(0, +) / Float(max(1, tail.count))))
        try c.figure("cell4_loss_curve.png", caption: "UNet training loss at every step (light) and smoothed "
                     + "(exponential moving average, 0.9)") { path in
            try SegmentationFigures.lossCurveFigure([LossCurve(name: "UNet", losses: losses)], title: "UNet training loss")
                .write(to: path)
        }
    }
}
