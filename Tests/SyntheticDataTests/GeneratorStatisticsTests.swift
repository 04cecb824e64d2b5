import Foundation
import XCTest
@testable import SyntheticData
import UNetKit

/// Compares the Swift generator with an independent NumPy implementation of the course's
/// recipe (`Fixtures/generator_reference.py` → `Tests/Fixtures/generator_stats.json`).
///
/// The two use different random streams, so they are compared as distributions: for each
/// per-image statistic (fraction of circle pixels, of square pixels, image mean, image std,
/// mean of background pixels) the Swift sample's mean and standard deviation must agree with
/// the reference's within 5 standard errors of the difference:
///
///     mean: |m₁ − m₂| ≤ 5 √(s₁²/n₁ + s₂²/n₂)
///     std:  |s₁ − s₂| ≤ 5 √(SE₁² + SE₂²),  SE = s √((κ − 1) / 4n)   (κ = kurtosis)
///
/// 5 standard errors: a correct generator fails one of the ~45 comparisons with probability
/// about 3·10⁻⁵ (and the Swift stream is seeded, so the outcome is fixed); with ~2000 images
/// the bound is about 0.01 on the circle fraction, which catches a radius range 2 px too
/// wide (`testTheComparisonNoticesAWrongRadiusRange`). Statistics with zero spread (the
/// background of a noiseless image is exactly 0) must match to 1e-6.
final class GeneratorStatisticsTests: XCTestCase {
    struct Summary: Decodable { let mean: Double; let std: Double; let kurtosis: Double; let n: Int }
    struct Config: Decodable {
        let name: String; let nx: Int; let ny: Int; let cnt: Int; let sigma: Double; let rectangles: Bool
        let stats: [String: Summary]
    }
    struct GeometryRow: Decodable { let nx: Int; let ny: Int; let border: Int; let r_min: Int; let r_max: Int }
    struct Fixture: Decodable { let geometry: [GeometryRow]; let configs: [Config] }

    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/generator_stats.json")

    func loadFixture() throws -> Fixture {
        let data = try Data(contentsOf: Self.fixtureURL)
        return try JSONDecoder().decode(Fixture.self, from: data)
    }

    /// Images the Swift side draws per configuration (the 16×16 one is cheap: more).
    func swiftCount(_ config: Config) -> Int { config.nx * config.ny <= 256 ? 8000 : 2000 }

    func testGeometryMatchesTheReference() throws {
        for row in try loadFixture().geometry {
            let g = try ShapeGeometry(nx: row.nx, ny: row.ny)
            XCTAssertEqual([g.border, g.rMin, g.rMax], [row.border, row.r_min, row.r_max], "\(row.nx)×\(row.ny)")
        }
        let course = try ShapeGeometry(nx: 128, ny: 128)
        XCTAssertEqual([course.border, course.rMin, course.rMax], [25, 6, 38], "the course's numbers at 128")
    }

    func testStatisticsMatchTheNumPyReference() throws {
        for config in try loadFixture().configs {
            let generator = try GrayScaleDataProvider(nx: config.nx, ny: config.ny, cnt: config.cnt,
                                                      sigma: config.sigma, rectangles: config.rectangles,
                                                      seed: 2024)
            let measured = Self.measure(count: swiftCount(config)) { generator.nextSample() }
            XCTAssertEqual(Set(measured.keys), Set(config.stats.keys), config.name)
            for (name, reference) in config.stats {
                guard let ours = measured[name] else { continue }
                let failures = Self.compare(ours, reference)
                if ProcessInfo.processInfo.environment["PRINT_GENERATOR_STATS"] != nil {
                    print(String(format: "%-18@ %-16@ swift %.4f±%.4f  numpy %.4f±%.4f  z(mean) %+.2f",
                                 config.name, name, ours.mean, ours.std, reference.mean, reference.std,
                                 (ours.mean - reference.mean)
                                    / (ours.std * ours.std / Double(ours.n) + reference.std * reference.std / Double(reference.n)).squareRoot()))
                }
                XCTAssertTrue(failures.isEmpty, "\(config.name) \(name): \(failures.joined(separator: "; "))")
            }
        }
    }

    /// The comparison is not vacuous: radii drawn from 6..<40 instead of 6..<38 at 128×128
    /// move the circle fraction by several standard errors.
    func testTheComparisonNoticesAWrongRadiusRange() throws {
        let config = try XCTUnwrap(loadFixture().configs.first { $0.name == "course_128" })
        let wrong = ShapeGeometry(unchecked: 128, ny: 128, border: 25, rMin: 6, rMax: 40)
        var rng = SeededGenerator(seed: 2024)
        let measured = Self.measure(count: swiftCount(config)) {
            ShapeDrawing.draw(geometry: wrong, cnt: 10, sigma: 20, rectangles: false, using: &rng)
        }
        let failures = Self.compare(try XCTUnwrap(measured["circle_fraction"]),
                                    try XCTUnwrap(config.stats["circle_fraction"]))
        XCTAssertFalse(failures.isEmpty, "a radius range 2 px too wide should not pass")
    }

    // MARK: - helpers

    static func measure(count: Int, _ next: () -> ShapeSample) -> [String: Summary] {
        var values: [String: [Double]] = [:]
        var anySquares = false
        for _ in 0..<count {
            let s = next()
            let n = Double(s.image.count)
            var circle = 0, square = 0, backgroundCount = 0
            var sum = 0.0, sumSquares = 0.0, backgroundSum = 0.0
            for p in 0..<s.image.count {
                let v = Double(s.image[p])
                sum += v
                sumSquares += v * v
                switch s.classMap[p] {
                case 0: backgroundCount += 1; backgroundSum += v
                case 1: circle += 1
                default: square += 1
                }
            }
            let mean = sum / n
            values["circle_fraction", default: []].append(Double(circle) / n)
            values["square_fraction", default: []].append(Double(square) / n)
            values["image_mean", default: []].append(mean)
            values["image_std", default: []].append((max(0, sumSquares / n - mean * mean)).squareRoot())
            if backgroundCount > 0 {
                values["background_mean", default: []].append(backgroundSum / Double(backgroundCount))
            }
            anySquares = anySquares || !s.squares.isEmpty
        }
        if !anySquares { values["square_fraction"] = nil }
        return values.mapValues(summarize)
    }

    static func summarize(_ v: [Double]) -> Summary {
        let n = Double(v.count)
        let mean = v.reduce(0, +) / n
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let std = variance.squareRoot()
        let m4 = v.reduce(0) { $0 + pow($1 - mean, 4) } / n
        return Summary(mean: mean, std: std, kurtosis: std > 0 ? m4 / (std * std * std * std) : 0, n: v.count)
    }

    /// Returns what disagrees (empty when everything is within 5 standard errors).
    static func compare(_ a: Summary, _ b: Summary) -> [String] {
        var failures: [String] = []
        if a.std == 0 && b.std == 0 {
            if abs(a.mean - b.mean) > 1e-6 { failures.append("constant \(a.mean) vs reference \(b.mean)") }
            return failures
        }
        let meanTolerance = 5 * (a.std * a.std / Double(a.n) + b.std * b.std / Double(b.n)).squareRoot()
        if abs(a.mean - b.mean) > meanTolerance {
            failures.append(String(format: "mean %.5f vs reference %.5f (allowed ±%.5f)", a.mean, b.mean, meanTolerance))
        }
        func standardError(_ s: Summary) -> Double { s.std * (max(s.kurtosis - 1, 0) / (4 * Double(s.n))).squareRoot() }
        let stdTolerance = 5 * (pow(standardError(a), 2) + pow(standardError(b), 2)).squareRoot()
        if abs(a.std - b.std) > stdTolerance {
            failures.append(String(format: "std %.5f vs reference %.5f (allowed ±%.5f)", a.std, b.std, stdTolerance))
        }
        return failures
    }
}
