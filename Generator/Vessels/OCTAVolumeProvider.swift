import Foundation
import UNetKit

/// OCTA-like volumes: a stack of depth slices with vessel trees in two layers (a superficial
/// and a deep plexus) and speckle noise, with the 2-D vessel label of their projection.
///
///     let generator = try OCTAVolumeProvider(nx: 96, ny: 96, depth: 32, seed: 1)
///     let (volumes, labels) = try generator(2)
///     print(volumes.shape)   // [2, 32, 96, 96]   B×D×H×W
///     print(labels.shape)    // [2, 96, 96, 2]    one-hot, the union of both layers
///     let image = try VolumeProjection.project(volumes, .mean)   // [2, 96, 96, 1]
///
/// The recipe (s = min(nx, ny)): the field of view is the whole (square-ish) image; a foveal
/// avascular zone of radius 0.08 s at the centre stays free of vessels. Eight trees enter from
/// random points of the border (1 px inside), pointing inwards ± 0.5 rad, trunk width
/// (0.6 + 0.008 s) · U(0.9, 1.1), and grow by `VesselTreeGrowth` (stopping below
/// max(0.8, 0.22 w₀)) while they stay 1 px inside the image and out of the avascular zone.
/// Trees 0, 2, 4, 6 lie in the superficial layer at depth 0.3 D, trees 1, 3, 5, 7 in the deep
/// layer at 0.6 D; a vessel voxel is one whose depth is within max(1, 0.04 D) of its layer.
/// Voxel values: the signal (flow 1 in vessels, 0.15 in tissue at depths 0.15 D … 0.85 D,
/// 0.03 elsewhere) times speckle E ~ Exp(1) (E = −log U), divided by 3 and clipped at 1:
/// min(1, signal · E / 3).
public final class OCTAVolumeProvider {
    public let nx: Int, ny: Int, depth: Int
    public let seed: UInt64
    var rng: SeededGenerator

    /// - Throws: `GeneratorError` when a side is below 64 or the depth below 4, or the
    ///   volume is too large.
    public init(nx: Int, ny: Int, depth: Int = 32, seed: UInt64? = nil) throws {
        _ = try FundusGeometry(nx: nx, ny: ny, caller: "OCTAVolumeProvider")
        guard depth >= 4 else {
            throw GeneratorError("OCTAVolumeProvider: depth (slices) must be at least 4, but got \(depth)")
        }
        let voxels = nx.multipliedReportingOverflow(by: ny).partialValue.multipliedReportingOverflow(by: depth)
        guard !voxels.overflow, voxels.partialValue <= GrayScaleDataProvider.maximumBatchScalars else {
            throw GeneratorError("OCTAVolumeProvider: a \(nx)×\(ny)×\(depth) volume is too large: expected at most "
                                 + "\(GrayScaleDataProvider.maximumBatchScalars) voxels")
        }
        self.nx = nx
        self.ny = ny
        self.depth = depth
        let chosen = seed ?? UInt64.random(in: 0...UInt64.max)
        self.seed = chosen
        rng = SeededGenerator(seed: chosen)
    }

    /// The next volume (`depth × ny × nx`, values in [0, 1]) and its vessel map (`ny × nx`).
    public func nextVolume() -> (volume: [Float], vesselMap: [UInt8]) {
        let s = Double(min(nx, ny))
        let cx = Double(nx - 1) / 2, cy = Double(ny - 1) / 2
        let avascular = 0.08 * s
        let w0 = (0.6 + 0.008 * s) * rng.uniform(0.9, 1.1)
        var layers = [VesselCanvas(nx: nx, ny: ny), VesselCanvas(nx: nx, ny: ny)]
        let inside: (Double, Double) -> Bool = { [nx, ny] x, y in
            x >= 1 && x <= Double(nx - 2) && y >= 1 && y <= Double(ny - 2)
                && (x - cx) * (x - cx) + (y - cy) * (y - cy) > avascular * avascular
        }
        for tree in 0..<8 {
            // A point on the border (perimeter parametrised clockwise), 1 px inside.
            let perimeter = 2 * Double(nx - 3 + ny - 3)
            var t = rng.uniform(0, perimeter)
            let (x, y): (Double, Double)
            let w = Double(nx - 3), h = Double(ny - 3)
            if t < w { (x, y) = (1 + t, 1) } else {
                t -= w
                if t < h { (x, y) = (Double(nx - 2), 1 + t) } else {
                    t -= h
                    if t < w { (x, y) = (Double(nx - 2) - t, Double(ny - 2)) } else { (x, y) = (1, Double(ny - 2) - (t - w)) }
                }
            }
            let angle = atan2(cy - y, cx - x) + rng.uniform(-0.5, 0.5)
            var growth = VesselTreeGrowth()
            growth.grow([VesselSeed(x: x, y: y, angle: angle, width: w0)], stopWidth: max(0.8, 0.22 * w0),
                        budget: Int(10 * s * s), inside: inside, canvas: &layers[tree % 2], using: &rng)
        }
        let plane = nx * ny
        var volume = [Float](repeating: 0, count: depth * plane)
        let thickness = max(1, 0.04 * Double(depth))
        let layerDepth = [0.3 * Double(depth), 0.6 * Double(depth)]
        for z in 0..<depth {
            let dz = Double(z)
            let tissue: Float = dz >= 0.15 * Double(depth) && dz <= 0.85 * Double(depth) ? 0.15 : 0.03
            let inLayer = layerDepth.map { abs(dz - $0) <= thickness }
            for p in 0..<plane {
                var signal = tissue
                for k in 0..<2 where inLayer[k] && layers[k].vessel[p] == 1 { signal = 1 }
                var u = rng.nextUnit()
                while u == 0 { u = rng.nextUnit() }
                volume[z * plane + p] = min(1, signal * Float(-log(u)) / 3)
            }
        }
        var vesselMap = [UInt8](repeating: 0, count: plane)
        for p in 0..<plane { vesselMap[p] = layers[0].vessel[p] | layers[1].vessel[p] }
        return (volume, vesselMap)
    }

    /// `n` volumes [n, depth, ny, nx] and one-hot labels [n, ny, nx, 2] (channel 1 vessel).
    /// - Throws: `GeneratorError` when `n < 1` or the batch is too large.
    public func callAsFunction(_ n: Int) throws -> (volumes: Tensor, labels: Tensor) {
        guard n >= 1 else {
            throw GeneratorError("OCTAVolumeProvider: the number of volumes must be at least 1, but got \(n)")
        }
        let total = n.multipliedReportingOverflow(by: depth * nx * ny)
        guard !total.overflow, total.partialValue <= GrayScaleDataProvider.maximumBatchScalars else {
            throw GeneratorError("OCTAVolumeProvider: a batch of \(n) volumes of \(nx)×\(ny)×\(depth) is too large")
        }
        var volumes: [Float] = []
        volumes.reserveCapacity(total.partialValue)
        var labels = [Float](repeating: 0, count: n * nx * ny * 2)
        for i in 0..<n {
            let (volume, map) = nextVolume()
            volumes.append(contentsOf: volume)
            for p in 0..<(nx * ny) { labels[(i * nx * ny + p) * 2 + Int(map[p])] = 1 }
        }
        return (try Tensor(shape: [n, depth, ny, nx], scalars: volumes),
                try Tensor(shape: [n, ny, nx, 2], scalars: labels))
    }
}
