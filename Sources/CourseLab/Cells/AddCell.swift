import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 8 (seed 004, section 3.2): up_add and UNet_add, then the three networks compared.
enum AddCell {
    static func run(_ c: CourseCell) throws {
        let s = c.lab.settings
        c.say("Convolutional features are largely translation invariant: good for classifying, bad for "
              + "segmenting, which must also say where things are. So the decoder combines its coarse, abstract "
              + "feature maps with the fine ones of the encoder. FCN **adds** the two; UNet **concatenates** them.")
        c.say("The exercise: write `up_add` (an `up` block that adds the skip connection to the up-sampled map "
              + "instead of concatenating it) and `UNet_add` built from it, then train UNet_add as before. Adding "
              + "needs equal channel counts and halves each decoder block's input, so the convolutions' weights "
              + "change: up_add (512→256), (256→128), (128→64), (64→64) — 11,809,090 parameters.")
        c.attempt("checking up_add on its own") {
            let up = c.lab.exercises.makeUpAdd(2 * s.base, s.base)
            let x1 = Variable(Tensor(zeros: [1, 2 * s.base, 4, 4])), x2 = Variable(Tensor(zeros: [1, 2 * s.base, 8, 8]))
            let y = try withoutGradients { try up(x1, x2) }
            c.print("up_add(\(2 * s.base), \(s.base))(x1 \(pythonShape(x1.shape)), x2 \(pythonShape(x2.shape))) → "
                    + "\(pythonShape(y.shape)), \(up.parameterCount.formattedWithCommas) parameters")
        }
        if let run = try c.exercise("training UNet_add", { try LabTraining.train(.add, in: c) }) {
            try LabTraining.predictionFigure(run, file: "cell8_add_prediction.png", in: c)
        }
        try compare(c)
    }

    /// The loss curves of every network trained so far in one plot, and a table of their results.
    static func compare(_ c: CourseCell) throws {
        let runs = ModelKind.allCases.compactMap { c.lab.trained[$0] }
        c.say("All networks side by side: the same data, the same seed, the same schedule. On this simple data "
              + "the differences are small — the course's own run saw little improvement from adding, even a "
              + "slight drop.")
        let missing = ModelKind.allCases.filter { c.lab.trained[$0] == nil }.map(\.courseName)
        guard !runs.isEmpty else {
            throw MissingResult("no network was trained (\(missing.joined(separator: ", ")))")
        }
        var table = ["network        parameters   last-10 loss   validation Dice   time"]
        for run in runs {
            let tail = run.history.losses.suffix(10)
            table.append(run.kind.courseName.padding(toLength: 14, withPad: " ", startingAt: 0)
                         + run.parameters.formattedWithCommas.leftPadded(11)
                         + String(format: "%15.4f", tail.reduce(0, +) / Float(max(1, tail.count)))
                         + String(format: "%18.4f", run.history.validationDice.last ?? .nan)
                         + "   " + formatDuration(run.seconds))
        }
        c.print(table.joined(separator: "\n"))
        if !missing.isEmpty { c.print("not trained: \(missing.joined(separator: ", ")) (see the skipped parts above)") }
        try c.figure("cell8_loss_comparison.png", caption: "Training loss of "
                     + runs.map(\.kind.courseName).joined(separator: ", ") + " (smoothed)") { path in
            try SegmentationFigures.lossCurveFigure(runs.map { LossCurve(name: $0.kind.courseName, losses: $0.history.losses) },
                                           title: "UNet vs UNet_shallow vs UNet_add").write(to: path)
        }
    }
}
