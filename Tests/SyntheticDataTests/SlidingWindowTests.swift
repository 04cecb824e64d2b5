import XCTest
import UNetKit
import TestSupport
@testable import SyntheticData

/// Sliding-window prediction against MONAI's rule (`Fixtures/make_data_fixtures.py`, which
/// re-implements the rule and checks it against MONAI when MONAI is importable) and its
/// invariants: an identity model gives the image back, no seams, every pixel covered.
final class SlidingWindowTests: XCTestCase {
    func testWindowStartsFollowMONAI() throws {
        var cases = 0
        while let params = try? DataFixtures.tensor("window.\(cases).params").scalars {
            let (h, w, p, overlap) = (Int(params[0]), Int(params[1]), Int(params[2]), Double(params[3]))
            let ys = try DataFixtures.tensor("window.\(cases).starts_y").scalars.map { Int($0) }
            let xs = try DataFixtures.tensor("window.\(cases).starts_x").scalars.map { Int($0) }
            XCTAssertEqual(SlidingWindow.starts(size: max(h, p), patch: p, overlap: overlap), ys, "rows of case \(cases)")
            XCTAssertEqual(SlidingWindow.starts(size: max(w, p), patch: p, overlap: overlap), xs, "columns of case \(cases)")
            cases += 1
        }
        XCTAssertGreaterThanOrEqual(cases, 8)
    }

    func testGaussianImportanceMapMatchesMONAI() throws {
        for p in [8, 13, 48] {
            let ours = try SlidingWindow(patchSize: p, weighting: .gaussian).importanceMap()
            let theirs = try DataFixtures.tensor("importance.\(p)")
            let worst = zip(ours, theirs.scalars).map { abs($0 - $1) / max(1e-3, abs($1)) }.max()!
            XCTAssertLessThan(worst, 1e-5, "patch \(p): relative difference \(worst)")
        }
        XCTAssertEqual(Set(try SlidingWindow(patchSize: 5).importanceMap()), [1])
    }

    /// The whole pipeline (padding, windows, batches, weights, averaging, cropping) on a patch
    /// model whose output depends on the whole patch, against the script's stitched result.
    func testStitchedPredictionMatchesTheReference() throws {
        let names = try DataFixtures.cases("stitch.", ".in")
        XCTAssertEqual(names.count, 5)
        for name in names {
            let params = try DataFixtures.tensor("stitch.\(name).params").scalars
            let window = try SlidingWindow(patchSize: Int(params[0]), overlap: Double(params[1]),
                                           weighting: params[2] == 1 ? .gaussian : .constant, batchSize: Int(params[3]))
            let image = try DataFixtures.tensor("stitch.\(name).in")
            var calls = 0
            let ours = try window.predict(image) { x in
                calls += 1
                XCTAssertLessThanOrEqual(x.shape[0], window.batchSize)
                return try Self.patchModel(x)
            }
            let expected = try DataFixtures.tensor("stitch.\(name).out")
            XCTAssertEqual(ours.shape, expected.shape, name)
            let worst = zip(ours.scalars, expected.scalars).map { abs($0 - $1) - (1e-5 + 1e-4 * abs($1)) }.max()!
            XCTAssertLessThanOrEqual(worst, 0, "\(name): beyond Tolerance.op by \(worst)")
            let p = window.patchSize
            let windows = SlidingWindow.starts(size: max(image.shape[2], p), patch: p, overlap: window.overlap).count
                * SlidingWindow.starts(size: max(image.shape[3], p), patch: p, overlap: window.overlap).count
            XCTAssertEqual(calls, (windows + window.batchSize - 1) / window.batchSize, "\(name): batches of \(window.batchSize)")
        }
    }

    /// out0 = x0 − mean(x0 over the patch); out1 = x1² + 0.5 x0 (the fixture script's model).
    static func patchModel(_ x: Tensor) throws -> Tensor {
        let (n, p) = (x.shape[0], x.shape[2])
        let plane = p * p
        var out = [Float](repeating: 0, count: n * 2 * plane)
        for i in 0..<n {
            let x0 = Array(x.scalars[(i * 2) * plane ..< (i * 2 + 1) * plane])
            let x1 = Array(x.scalars[(i * 2 + 1) * plane ..< (i * 2 + 2) * plane])
            let mean = x0.reduce(0, +) / Float(plane)
            for q in 0..<plane {
                out[(i * 2) * plane + q] = x0[q] - mean
                out[(i * 2 + 1) * plane + q] = x1[q] * x1[q] + 0.5 * x0[q]
            }
        }
        return try Tensor(shape: [n, 2, p, p], scalars: out)
    }

    /// An identity model gives every image back exactly (integer values, so sums are exact)
    /// with constant weights, and to float rounding with Gaussian weights — for odd and even
    /// sizes, patches larger than the image, and many overlaps: no seams, no uncovered border.
    func testIdentityModelReproducesTheImage() throws {
        var rng = SeededGenerator(seed: 5)
        for (h, w) in [(64, 64), (65, 47), (31, 100), (17, 17), (5, 9), (129, 130)] {
            let image = Tensor(shape: [2, 3, h, w]) { _ in Float(rng.integer(0, 256)) }
            for p in [4, 16, 33, 48] {
                for overlap in [0.0, 0.25, 0.5, 0.9] {
                    for weighting in [SlidingWindow.Weighting.constant, .gaussian] {
                        let window = try SlidingWindow(patchSize: p, overlap: overlap, weighting: weighting, batchSize: 3)
                        let out = try window.predict(image) { $0 }
                        XCTAssertEqual(out.shape, image.shape)
                        if weighting == .constant {
                            XCTAssertEqual(out.scalars, image.scalars, "\(h)×\(w) patch \(p) overlap \(overlap)")
                        } else {
                            let worst = zip(out.scalars, image.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max()!
                            XCTAssertLessThan(worst, 1e-5, "\(h)×\(w) patch \(p) overlap \(overlap) gaussian")
                        }
                    }
                }
            }
        }
    }

    /// Every pixel is covered, windows stay inside, the last one ends at the border.
    func testWindowsCoverTheImageAndStayInside() {
        for size in [1, 7, 48, 49, 64, 100, 257] {
            for patch in [1, 5, 48] where patch <= size {
                for overlap in [0.0, 0.3, 0.5, 0.99] {
                    let starts = SlidingWindow.starts(size: size, patch: patch, overlap: overlap)
                    XCTAssertEqual(starts.first, 0)
                    XCTAssertEqual(starts.last! + patch, size, "size \(size) patch \(patch) overlap \(overlap)")
                    XCTAssertTrue(starts.allSatisfy { $0 >= 0 && $0 + patch <= size })
                    XCTAssertTrue(zip(starts, starts.dropFirst()).allSatisfy { $1 > $0 && $1 <= $0 + patch },
                                  "gaps or repeats: \(starts)")
                }
            }
        }
    }

    func testModelGivingTheWrongShapeIsAClearError() throws {
        let window = try SlidingWindow(patchSize: 8, batchSize: 2)
        XCTAssertThrowsError(try window.predict(Tensor(zeros: [1, 1, 20, 20])) { x in Tensor(zeros: [x.shape[0], 2, 4, 4]) }) { error in
            XCTAssertTrue("\(error)".contains("returned shape [2, 2, 4, 4]"), "\(error)")
        }
        XCTAssertThrowsError(try window.predict(Tensor(zeros: [20, 20])) { $0 }) { error in
            XCTAssertTrue("\(error)".contains("[B, C, H, W]"), "\(error)")
        }
        XCTAssertThrowsError(try SlidingWindow(patchSize: 8, overlap: 1)) { error in
            XCTAssertTrue("\(error)".contains("overlap must be in [0, 1)"), "\(error)")
        }
        XCTAssertThrowsError(try SlidingWindow(patchSize: 0))
        XCTAssertThrowsError(try SlidingWindow(patchSize: 8, batchSize: 0))
    }
}
