import Foundation
import XCTest
@testable import SyntheticData
import UNetKit

/// Compares the vessel generator with an independent NumPy implementation of the same recipe
/// (`Fixtures/vessel_reference.py` → `Tests/Fixtures/vessel_stats.json`), as distributions:
/// for each per-image statistic (vessel fraction of the FOV, FOV fraction, centreline length,
/// mean drawn width, fraction of the centre line thinner than 2 px, segments, 8-connected
/// components of the label, mean grey in the FOV, background − vessel contrast) the means and
/// standard deviations must agree within 5 standard errors (`GeneratorStatisticsTests.compare`).
final class VesselStatisticsTests: XCTestCase {
    struct Config: Decodable {
        let name: String; let width: Int; let height: Int; let sigma: Double
        let stats: [String: GeneratorStatisticsTests.Summary]
    }
    struct Fixture: Decodable { let configs: [Config] }

    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/vessel_stats.json")

    func loadFixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.fixtureURL))
    }

    func swiftCount(_ config: Config) -> Int { config.width * config.height > 20000 ? 400 : 1500 }

    func testStatisticsMatchTheNumPyReference() throws {
        let fixture = try loadFixture()
        XCTAssertEqual(fixture.configs.count, 4)
        for config in fixture.configs {
            let generator = try VesselDataProvider(nx: config.width, ny: config.height, sigma: config.sigma, seed: 2026)
            let measured = Self.measure(count: swiftCount(config)) { generator.nextSample() }
            XCTAssertEqual(Set(measured.keys), Set(config.stats.keys), config.name)
            for (name, reference) in config.stats.sorted(by: { $0.key < $1.key }) {
                guard let ours = measured[name] else { continue }
                if ProcessInfo.processInfo.environment["PRINT_GENERATOR_STATS"] != nil {
                    print(String(format: "%-20@ %-18@ swift %.4f±%.4f  numpy %.4f±%.4f", config.name, name,
                                 ours.mean, ours.std, reference.mean, reference.std))
                }
                let failures = Self.compare(ours, reference)
                XCTAssertTrue(failures.isEmpty, "\(config.name) \(name): \(failures.joined(separator: "; "))")
            }
        }
    }

    /// The comparison is not vacuous: trunks 25 % wider shift the vessel fraction and the
    /// mean width by many standard errors.
    func testTheComparisonNoticesWiderTrunks() throws {
        let config = try XCTUnwrap(loadFixture().configs.first { $0.name == "fundus_128" })
        let base = try FundusGeometry(nx: 128, ny: 128)
        let wrong = FundusGeometry(base, trunkWidth: base.trunkWidth * 1.25)
        var rng = SeededGenerator(seed: 2026)
        let measured = Self.measure(count: 400) { FundusDrawing.draw(geometry: wrong, sigma: 0.02, using: &rng) }
        for name in ["vessel_fraction", "mean_width"] {
            let failures = Self.compare(try XCTUnwrap(measured[name]), try XCTUnwrap(config.stats[name]))
            XCTAssertFalse(failures.isEmpty, "\(name): trunks 25 % wider should not pass")
        }
    }

    /// `GeneratorStatisticsTests.compare`, except that statistics that are constant up to
    /// rounding (the FOV fraction: a sample std of 1e-16 from summing equal values) must
    /// agree to 1e-6.
    static func compare(_ a: GeneratorStatisticsTests.Summary, _ b: GeneratorStatisticsTests.Summary) -> [String] {
        if a.std < 1e-9 && b.std < 1e-9 {
            return abs(a.mean - b.mean) <= 1e-6 ? [] : ["constant \(a.mean) vs reference \(b.mean)"]
        }
        return GeneratorStatisticsTests.compare(a, b)
    }

    static func measure(count: Int, _ next: () -> VesselSample) -> [String: GeneratorStatisticsTests.Summary] {
        var values: [String: [Double]] = [:]
        for _ in 0..<count {
            let s = next()
            var fovCount = 0, vessel = 0, vesselSum = 0.0, backgroundSum = 0.0, fovSum = 0.0
            for p in 0..<s.image.count where s.fovMask[p] == 1 {
                fovCount += 1
                let v = Double(s.image[p])
                fovSum += v
                if s.vesselMap[p] == 1 { vessel += 1; vesselSum += v } else { backgroundSum += v }
            }
            values["vessel_fraction", default: []].append(Double(vessel) / Double(fovCount))
            values["fov_fraction", default: []].append(Double(fovCount) / Double(s.image.count))
            values["centreline_length", default: []].append(s.centrelineLength)
            values["mean_width", default: []].append(s.meanWidth)
            values["thin_fraction", default: []].append(s.thinFraction)
            values["segments", default: []].append(Double(s.segmentCount))
            values["components", default: []].append(Double(components(s.vesselMap, nx: s.nx, ny: s.ny)))
            values["fov_mean", default: []].append(fovSum / Double(fovCount))
            values["contrast", default: []].append(backgroundSum / Double(fovCount - vessel) - vesselSum / Double(max(vessel, 1)))
        }
        return values.mapValues(GeneratorStatisticsTests.summarize)
    }

    /// The number of 8-connected pieces of 1s.
    static func components(_ map: [UInt8], nx: Int, ny: Int) -> Int {
        var seen = [Bool](repeating: false, count: map.count)
        var count = 0
        var stack: [Int] = []
        for start in map.indices where map[start] == 1 && !seen[start] {
            count += 1
            seen[start] = true
            stack.append(start)
            while let p = stack.popLast() {
                let (y, x) = (p / nx, p % nx)
                for dy in -1...1 {
                    for dx in -1...1 {
                        let (yy, xx) = (y + dy, x + dx)
                        guard yy >= 0, yy < ny, xx >= 0, xx < nx else { continue }
                        let q = yy * nx + xx
                        if map[q] == 1 && !seen[q] { seen[q] = true; stack.append(q) }
                    }
                }
            }
        }
        return count
    }
}
