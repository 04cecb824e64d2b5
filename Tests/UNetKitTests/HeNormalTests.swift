import XCTest
import TestSupport
@testable import UNetKit

/// Keras' he_normal: a normal truncated at 2 standard deviations with stddev √(2/fan_in)/0.8796…,
/// so the weights' own standard deviation is √(2/fan_in). Checked statistically, and seedable.
final class HeNormalTests: XCTestCase {
    func testStatistics() {
        var generator = SeededGenerator(seed: 11)
        let shape = [64, 32, 3, 3]                     // fan_in 288
        let t = heNormalTensor(shape, using: &generator)
        let values = t.scalars.map(Double.init)
        let n = Double(values.count)
        let target = (2.0 / 288).squareRoot()
        let stddev = heNormalStandardDeviation(fanIn: 288)
        XCTAssertEqual(stddev, target / 0.87962566103423978, accuracy: 1e-15)
        // Nothing beyond the truncation at ±2·stddev.
        XCTAssertLessThanOrEqual(values.map(abs).max()!, 2 * stddev * (1 + 1e-6))
        let mean = values.reduce(0, +) / n
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        // Standard error of the mean: target/√n; of the standard deviation: √((κ − 1)/4)·target/√n
        // = 0.584·target/√n for this truncated normal (kurtosis κ = 2.3655). 5 standard errors each.
        XCTAssertLessThan(abs(mean), 5 * target / n.squareRoot())
        XCTAssertLessThan(abs(sd - target), 5 * 0.585 * target / n.squareRoot(), "sd \(sd) vs \(target)")
        // The fraction within one (truncated-normal) stddev: P(|z| < 1)/P(|z| < 2) = 0.7160…
        let within = Double(values.filter { abs($0) < stddev }.count) / n
        let expected = 0.682689492137086 / 0.954499736103642
        XCTAssertLessThan(abs(within - expected), 5 * (expected * (1 - expected) / n).squareRoot())
    }

    func testInitializeModuleIsSeededAndZeroesBiases() {
        final class Net: Module {
            let conv = Conv2d(3, 8, kernelSize: 3, padding: 1)
            let up = ConvTranspose2d(8, 4, kernelSize: 2, stride: 2)
            let fc = Linear(16, 4)
        }
        let a = Net(), b = Net()
        var ga = SeededGenerator(seed: 7), gb = SeededGenerator(seed: 7)
        initializeHeNormal(a, using: &ga)
        initializeHeNormal(b, using: &gb)
        for ((name, pa), (_, pb)) in zip(a.namedParameters(), b.namedParameters()) {
            XCTAssertEqual(pa.value, pb.value, name)
            if name.hasSuffix("bias") { XCTAssertTrue(pa.value.scalars.allSatisfy { $0 == 0 }, name) }
        }
        // fan_in from dimension 1 onwards: 3·3·3 for the conv, 4·2·2 for the transposed conv, 16 for the linear.
        for (weight, fanIn) in [(a.conv.weight, 27), (a.up.weight, 16), (a.fc.weight, 16)] {
            let bound = Float(2 * heNormalStandardDeviation(fanIn: fanIn))
            XCTAssertTrue(weight.value.scalars.allSatisfy { abs($0) <= bound * 1.000001 })
            XCTAssertGreaterThan(weight.value.scalars.map(abs).max()!, bound / 2)
        }
        var gc = SeededGenerator(seed: 8)
        let c = Net()
        initializeHeNormal(c, using: &gc)
        XCTAssertNotEqual(c.conv.weight.value, a.conv.weight.value)
    }
}
