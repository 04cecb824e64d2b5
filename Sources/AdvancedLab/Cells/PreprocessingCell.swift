import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook
import Experiments

/// Cell 2 (seed 002): an OCTA-like volume projected to 2-D; histogram equalisation and CLAHE
/// with their histograms, and how much each separates vessels from background.
enum PreprocessingCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("Seed 002 starts from OCTA volumes: a stack of depth slices in which flowing blood is bright, with "
              + "speckle everywhere. Its first step projects the volume to one 2-D image (the mean over depth), "
              + "then equalises the histogram before any network sees it. The lab's `OCTAVolumeProvider` draws "
              + "such a volume: a superficial and a deep vessel layer, tissue in between, exponential speckle.")
        let depth = 16
        let octa = try OCTAVolumeProvider(nx: s.size, ny: s.size, depth: depth, seed: s.seed)
        let (volumes, octaLabels) = try octa(1)
        let mean = try VolumeProjection.project(volumes, .mean), maximum = try VolumeProjection.project(volumes, .maximum)
        let n = s.size * s.size
        let slice = { (d: Int) in Array(volumes.scalars[(d * n)..<((d + 1) * n)]) }
        let superficial = Int(0.3 * Double(depth)), deep = Int(0.6 * Double(depth))
        c.print("volumes \(pythonShape(volumes.shape)) (B×D×H×W)  →  mean projection \(pythonShape(mean.shape))")
        let label = try BatchSlices.channel(1, of: octaLabels, sample: 0)
        try c.figure("cell2_octa_projection.png",
                     caption: "Depth slices \(superficial) and \(deep) of an OCTA-like volume (speckle), its mean and maximum "
                         + "projections, and the vessel label") { path in
            try LabFigures.grid([.init(title: "slice \(superficial) (superficial)", values: slice(superficial)),
                                 .init(title: "slice \(deep) (deep)", values: slice(deep)),
                                 .init(title: "slice 0 (no vessels)", values: slice(0)),
                                 .init(title: "mean over depth", values: mean.scalars),
                                 .init(title: "maximum over depth", values: maximum.scalars),
                                 .init(title: "vessel label", values: label, range: 0...1)],
                                columns: 3, side: s.size).write(to: path)
        }
        let meanContrast = contrast(mean.scalars, label), sliceContrast = contrast(slice(superficial), label)
        c.print(String(format: "vessel/background contrast (difference of means / background std): one slice %.2f, "
                       + "mean projection %.2f", sliceContrast, meanContrast))
        c.say(meanContrast > 1.2 * sliceContrast
              ? "Averaging over depth averages the speckle away: the projection separates vessels from background "
                  + "better than a single slice, and it shows both layers at once."
              : "A slice through a vessel layer separates its vessels as well as the projection does, but it shows "
                  + "one layer only (the other layer's vessels count as background here); the projection shows both "
                  + "at once, with the speckle averaged down.")

        c.say("Next, contrast. OpenCV's `equalizeHist` maps the grey levels through the image's cumulative "
              + "histogram, so that all levels are used about equally (`HistogramEqualization`, byte-exact with "
              + "OpenCV). CLAHE does the same per 8×8 tile, clips each tile's histogram at 2× the flat level "
              + "and interpolates between tiles (`CLAHE`, clip 2.0 as retina-unet and the vessel papers use). "
              + "Here on a synthetic fundus image, whose illumination is uneven.")
        let data = try c.lab.data.get()
        let image = try VesselPreprocessing.none.apply(try rows(data.training.images, 0, 1))
        let fundusLabel = try BatchSlices.channel(1, of: data.training.labels, sample: 0)
        let fov = try BatchSlices.channel(0, of: data.training.fov, sample: 0)
        let equalized = try VesselPreprocessing.equalize.apply(image).scalars
        let clahe = try VesselPreprocessing.clahe.apply(image).scalars
        try c.figure("cell2_equalisation.png", caption: "A fundus image before and after histogram equalisation and CLAHE") { path in
            try LabFigures.grid([.init(title: "original", values: image.scalars, range: 0...1),
                                 .init(title: "equalizeHist", values: equalized, range: 0...1),
                                 .init(title: "CLAHE (clip 2, 8×8 tiles)", values: clahe, range: 0...1)],
                                columns: 3, side: s.size).write(to: path)
        }
        let versions = [("original", image.scalars), ("equalizeHist", equalized), ("CLAHE", clahe)]
        try c.figure("cell2_histograms.png", caption: "Grey-level histograms (32 bins, pixels inside the FOV)") { path in
            try LinePlot(title: "Histograms inside the FOV", xLabel: "grey level", yLabel: "pixels",
                         series: try versions.enumerated().map { i, v in
                             try LineSeries(name: v.0, values: histogram(v.1, mask: fov, bins: 32),
                                            xValues: (0..<32).map { (Float($0) + 0.5) * 256 / 32 }, color: RGBColor.tab10[i])
                         }, showsLegend: true).write(to: path)
        }
        c.table(["image", "contrast", "background std", "grey levels used"],
                versions.map { name, values in
                    let inside = zip(values, fov).filter { $0.1 > 0.5 }.map(\.0)
                    return [name, String(format: "%.2f", contrast(values, fundusLabel, mask: fov)),
                            String(format: "%.3f", std(zip(inside, zip(fundusLabel, fov).filter { $0.1 > 0.5 }.map(\.0))
                                .filter { $0.1 < 0.5 }.map(\.0))),
                            "\(Set(inside.map { Int(($0 * 255).rounded()) }).count)"]
                }, widths: [14, 9, 15, 17])
        c.say("Equalisation spreads the levels over 0…255 — the histogram becomes flat — but it stretches the "
              + "noise with the signal; CLAHE equalises locally, so a vessel in a dark corner is brightened "
              + "relative to its own neighbourhood, and the clip limit stops it from amplifying flat, noisy "
              + "regions. (Contrast = difference of the vessel and background means inside the FOV over the "
              + "background's standard deviation.)")
        c.question(2)
    }

    /// (mean background − mean vessel) / std background, or its absolute value: how far apart the classes are.
    static func contrast(_ values: [Float], _ label: [Float], mask: [Float]? = nil) -> Double {
        var vessel: [Float] = [], background: [Float] = []
        for i in values.indices where mask.map({ $0[i] > 0.5 }) ?? true {
            if label[i] > 0.5 { vessel.append(values[i]) } else { background.append(values[i]) }
        }
        guard !vessel.isEmpty, !background.isEmpty else { return .nan }
        return abs(Double(mean(vessel) - mean(background))) / max(1e-9, std(background))
    }

    static func mean(_ v: [Float]) -> Float { v.reduce(0, +) / Float(max(1, v.count)) }

    static func std(_ v: [Float]) -> Double {
        let m = Double(mean(v))
        return (v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(max(1, v.count))).squareRoot()
    }

    /// Counts of values in [0, 1] in `bins` equal bins, where `mask` is 1.
    static func histogram(_ values: [Float], mask: [Float], bins: Int) -> [Float] {
        var counts = [Float](repeating: 0, count: bins)
        for (v, m) in zip(values, mask) where m > 0.5 { counts[min(bins - 1, max(0, Int(v * Float(bins))))] += 1 }
        return counts
    }
}
