import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 6 (seed 004, section 2.5, questions 4 and 5): predicting with the trained UNet, and
/// finding the images it gets wrong.
enum PredictionCell {
    static func run(_ c: CourseCell) throws {
        let s = c.lab.settings
        c.question(4)
        c.say("The course's `predict(network, image, ground_truth)`: switch the network to evaluation mode "
              + "(`network.eval()` — BatchNorm then uses its running statistics instead of the batch's), transpose "
              + "the image to B×C×H×W, run it forward, apply the sigmoid, and threshold the probability at 0.5 to "
              + "get a binary mask.")
        let run = try c.lab.network(.unet, trainedIn: 3)
        c.print("input, ground_truth = generator(1)")
        c.print("predict(unet, input, ground_truth)")
        try LabTraining.predictionFigure(run, file: "cell6_prediction.png", in: c)
        c.say("Top left: the input image. Top right: its ground truth. Bottom left: the probability of the circle "
              + "class at every pixel (brighter is more likely) — the sigmoid's output. Bottom right: the "
              + "prediction, that probability thresholded at 0.5.")
        c.question(5)
        c.say("Instead of re-running the prediction by hand until a bad image turns up, the lab scores "
              + "\(s.worstCandidates) fresh images by their Dice and draws the \(s.worstKept) worst. Look at where "
              + "the mistakes are: faint circles close to the background's grey, overlapping circles, noise.")
        let (images, labels) = try c.lab.generator(offset: 4)(s.worstCandidates)
        let scores = try diceScore(run.network, images: images, labels: labels)
        let ranked = scores.enumerated().sorted { $0.element < $1.element }
        c.print(String(format: "Dice on %d fresh images: mean %.4f, best %.4f, worst %.4f", scores.count,
                       scores.reduce(0, +) / Float(scores.count), ranked.last!.element, ranked.first!.element))
        if scores.reduce(0, +) / Float(scores.count) < 0.05 {
            c.say("The network finds almost no circle pixels yet: after only \(run.history.losses.count) training "
                  + "steps every probability is still below 0.5. That is the short schedule, not a bug — with the "
                  + "course's schedule (`make lab`) the UNet reaches a Dice around 0.9 and the worst images become "
                  + "interesting.")
        }
        for (rank, item) in ranked.prefix(s.worstKept).enumerated() {
            try c.figure("cell6_worst_\(rank + 1).png",
                         caption: String(format: "Worst image %d of %d (image %d): Dice %.4f", rank + 1,
                                         scores.count, item.offset, item.element)) { path in
                try LabTraining.predictionFigure(run.network, images: images, labels: labels, sample: item.offset)
                    .write(to: path)
            }
        }
        c.say("`unetlab worst --weights … --count 50 --keep 3` does the same for any saved network.")
    }
}
