import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook
import Experiments

/// Cell 1 (all seeds): the synthetic vessels, and why pixel accuracy lies when vessels are a
/// small fraction of the field of view.
enum ThinStructuresCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("The four reports behind this lab (seeds 000–003) segment retinal blood vessels: DRIVE, STARE and "
              + "CHASE fundus photographs, or OCTA projections. None of those data sets can be downloaded here, so "
              + "the lab draws its own: a circular field of view (FOV), vessel trees that enter from the border, "
              + "branch and thin out (Murray's law), uneven illumination and noise (`Generator/Vessels`). Every "
              + "image comes with its one-hot vessel label and its FOV mask, seeded like the course's shapes.")
        let data = try c.lab.data.get()
        let (images, labels, fov) = (try data.training.images.nhwcToNCHW(), try data.training.labels.nhwcToNCHW(),
                                     try data.training.fov.nhwcToNCHW())
        c.print("x, y, fov = VesselDataProvider(nx=\(s.size), ny=\(s.size), seed=\(s.seed))(\(s.trainingImages))")
        c.print("x \(pythonShape(data.training.images.shape))   y \(pythonShape(data.training.labels.shape))   "
                + "fov \(pythonShape(data.training.fov.shape))   (B×H×W×C: grey image, one-hot labels, FOV)")
        try c.figure("cell1_vessels.png", caption: "A synthetic fundus image, its vessel mask and its field of view") { path in
            try LabFigures.grid([.init(title: "image", values: plane(images, sample: 0)),
                                 .init(title: "vessel mask", values: plane(labels, sample: 0, channel: 1), range: 0...1),
                                 .init(title: "field of view", values: plane(fov, sample: 0), range: 0...1)],
                                columns: 3, side: s.size).write(to: path)
        }
        let vessels = try VesselDataSet.vesselChannel(labels)
        var inFOV = 0, vesselInFOV = 0
        for (v, f) in zip(vessels.scalars, fov.scalars) where f > 0.5 {
            inFOV += 1
            if v > 0.5 { vesselInFOV += 1 }
        }
        let fraction = Double(vesselInFOV) / Double(max(1, inFOV))
        c.print(String(format: "vessel pixels: %d of %d inside the FOV = %.1f %% (DRIVE: about 12 %%)",
                       vesselInFOV, inFOV, 100 * fraction))
        c.say("Thin structures are a small minority of the pixels. A \"network\" that answers *background* "
              + "everywhere is never right about a vessel, yet its pixel accuracy is the background's share. "
              + "The scores below are computed inside the FOV at threshold 0.5, as the vessel papers do "
              + "(UNetKit's `ConfusionMatrix`).")
        let zeros = Tensor(zeros: vessels.shape)
        let ones = Tensor(repeating: 1, shape: vessels.shape)
        let none = try ConfusionMatrix(probabilities: zeros, labels: vessels, mask: fov)
        let all = try ConfusionMatrix(probabilities: ones, labels: vessels, mask: fov)
        c.table(["predictor", "accuracy", "sensitivity", "specificity", "F1 = Dice", "balanced acc."],
                [["all background"] + [none.accuracy, none.sensitivity, none.specificity, none.f1, none.balancedAccuracy].map(f4),
                 ["all vessel"] + [all.accuracy, all.sensitivity, all.specificity, all.f1, all.balancedAccuracy].map(f4)],
                widths: [16, 9, 12, 12, 10, 14])
        c.say(String(format: "The all-background predictor's accuracy is %.1f %% — better than many trained networks "
                     + "look at first sight — while its sensitivity and Dice are 0. Balanced accuracy (seed 002) "
                     + "is 0.5 for both trivial predictors; F1, sensitivity and the AUC are what tell networks apart.",
                     100 * none.accuracy))
        c.question(1)
    }
}
