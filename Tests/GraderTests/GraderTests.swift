import XCTest
import Grading
import UNetKit
import SegmentationModels
import LabExercises
import Labs
import Solutions
import HiddenChecks

/// The graders are not vacuous: the reference answers get full marks, the shipped stubs get
/// zero, and typical wrong answers lose points in the check that should catch them.
final class GraderTests: XCTestCase {
    func testSolutionsGetFullMarks() {
        for grader in allGraders {
            let result = grader.grade(Solutions.exercises)
            XCTAssertEqual(result.status, .passed, result.details)
            XCTAssertEqual(result.points, 10, "\(grader.exercise): \(result.details)")
            XCTAssertTrue(result.isFullMarks)
        }
    }

    func testShippedLabStubsGetZero() {
        for grader in allGraders {
            let result = grader.grade(Labs.exercises)
            XCTAssertEqual(result.points, 0, "\(grader.exercise): \(result.details)")
            XCTAssertEqual(result.status, .notImplemented, result.details)
            XCTAssertTrue(result.message.contains(grader.file), "the message names the file: \(result.message)")
        }
    }

    // MARK: - Wrong answers

    private func replacing(jaccard: (@Sendable (Tensor, Tensor) throws -> Float)? = nil,
                           upAdd: (@Sendable (Int, Int) -> any UpBlock)? = nil,
                           shallow: (@Sendable (Int, Int, Int) -> Module)? = nil,
                           deconv: (@Sendable (Tensor, Tensor) throws -> Tensor)? = nil) -> ExerciseSet {
        var set = Solutions.exercises
        if let jaccard { set.jaccardCoeff = jaccard }
        if let upAdd { set.makeUpAdd = upAdd }
        if let shallow { set.makeUNetShallow = shallow }
        if let deconv { set.deconv2d = deconv }
        return set
    }

    private func check(_ result: GradeResult, named name: String) -> CheckResult? {
        result.checks.first { $0.name == name }
    }

    func testJaccardThatComputesDiceFails() {
        let dice = replacing(jaccard: { a, b in
            let ab = zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 }
            return (2 * ab + 1e-4) / (a.scalars.reduce(0, +) + b.scalars.reduce(0, +) + 1e-4)
        })
        let result = JaccardExercise().grade(dice)
        XCTAssertFalse(result.isFullMarks)
        XCTAssertEqual(result.points, 0, result.details)
        XCTAssertTrue(result.message.contains("(eye3, ones3) returned 0.5"), result.message)
    }

    func testJaccardFittedToTheFixturesFailsTheRandomizedCheck() throws {
        // Looks the answer up in the fixtures (what a student copying PyTorch's numbers could do).
        var table: [[Float]: Float] = [:]
        for prefix in (0..<4).map({ "jaccard.seed\($0)" }) + (0..<4).map({ "jaccard.random\($0)" }) {
            let a = try GradingFixtures.tensor(prefix + ".a"), b = try GradingFixtures.tensor(prefix + ".b")
            table[a.scalars + [-1] + b.scalars] = try GradingFixtures.tensor(prefix + ".value").scalars[0]
        }
        let lookup = table
        let fitted = replacing(jaccard: { a, b in lookup[a.scalars + [-1] + b.scalars] ?? 0.5 })
        let result = JaccardExercise().grade(fitted)
        XCTAssertEqual(result.points, 7, result.details)
        XCTAssertEqual(check(result, named: "randomized masks")?.passed, false)
        XCTAssertEqual(result.status, .partial)
    }

    func testDeconvWithoutTheCropFails() {
        let uncropped = replacing(deconv: { input, weights in try conv2d(try fillZeros(input), weights) })
        let result = Deconv2dExercise().grade(uncropped)
        XCTAssertEqual(result.points, 0, result.details)
        XCTAssertTrue(result.message.contains("crop one pixel on each side"), result.message)
    }

    func testDeconvWithUnrotatedWeightsFails() {
        // ConvTranspose2d with the conv2d weights as they are (not rotated 180°): right shape, wrong values.
        let unrotated = replacing(deconv: { input, weights in
            let (cout, cin) = (weights.shape[0], weights.shape[1])
            let w = Tensor(shape: [cin, cout, 3, 3]) { i in weights[i[1], i[0], i[2], i[3]] }
            let y = try convTranspose2dForward(try Tensor(shape: [1] + input.shape, scalars: input.scalars),
                                               weight: w, bias: nil, stride: 2, padding: 1)
            return try Tensor(shape: Array(y.shape.dropFirst()), scalars: y.scalars)
        })
        XCTAssertEqual(Deconv2dExercise().grade(unrotated).points, 0)
    }

    func testUpAddThatConcatenatesFails() {
        // The course's `up` with twice the channels: the right output shape, but not up_add.
        let concatenating = replacing(upAdd: { Up(2 * $0, $1) })
        let result = UpAddExercise().grade(concatenating)
        XCTAssertFalse(result.isFullMarks)
        XCTAssertEqual(check(result, named: "shapes and parameters")?.passed, false, result.details)
        XCTAssertEqual(check(result, named: UpAddExercise.paddingCheck)?.passed, false, result.details)
        XCTAssertTrue(result.message.contains("parameters, expected"), result.message)
    }

    func testUpAddWithoutPaddingFails() {
        final class NoPad: Module, UpBlock {
            let up = UpsampleBilinear(scaleFactor: 2)
            let conv: DoubleConv
            init(_ i: Int, _ o: Int) { conv = DoubleConv(i, o) }
            func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable { try conv(try x2 + up(x1)) }
        }
        let result = UpAddExercise().grade(replacing(upAdd: { NoPad($0, $1) }))
        XCTAssertFalse(result.isFullMarks)
        XCTAssertEqual(check(result, named: "parity with PyTorch (fixed weights, odd sizes)")?.passed, false, result.details)
    }

    /// The grader's randomized checks under several seeds: a wrong answer must lose its points
    /// on the fixed cases whatever the seed, a right one must keep them.
    static let seeds: [UInt64] = [1, 2, 3, 17, 4242, 999_999]

    func testUpAddWithSwappedPaddingFailsOnTheFixedCasesForEverySeed() {
        /// Pads the height difference on the width axis (as the course's own `up` does): right
        /// whenever the two differences are equal — the parity case — wrong otherwise.
        final class Swapped: Module, UpBlock {
            let up = UpsampleBilinear(scaleFactor: 2)
            let conv: DoubleConv
            init(_ i: Int, _ o: Int) { conv = DoubleConv(i, o) }
            func callAsFunction(_ x1: Variable, _ x2: Variable) throws -> Variable {
                let u = try up(x1)
                let (dh, dw) = (x2.shape[2] - u.shape[2], x2.shape[3] - u.shape[3])
                return try conv(try x2 + pad2d(u, left: dh / 2, right: dh - dh / 2, top: dw / 2, bottom: dw - dw / 2))
            }
        }
        for seed in Self.seeds {
            GraderSeed.$current.withValue(seed) {
                let result = UpAddExercise().grade(replacing(upAdd: { Swapped($0, $1) }))
                XCTAssertEqual(result.points, 6, "seed \(seed): \(result.details)")
                XCTAssertEqual(check(result, named: "parity with PyTorch (fixed weights, odd sizes)")?.passed, true)
                let padding = check(result, named: UpAddExercise.paddingCheck)
                XCTAssertEqual(padding?.passed, false, result.details)
                XCTAssertTrue(padding?.message.contains("fixed, unequal padding") ?? false, result.details)
            }
        }
    }

    func testSolutionsAndWrongAnswersUnderSeveralSeeds() {
        for seed in Self.seeds {
            GraderSeed.$current.withValue(seed) {
                for grader in allGraders {
                    XCTAssertTrue(grader.grade(Solutions.exercises).isFullMarks, "seed \(seed), \(grader.exercise)")
                }
                XCTAssertEqual(UpAddExercise().grade(replacing(upAdd: { Up(2 * $0, $1) })).points, 0, "seed \(seed)")
                let uncropped = replacing(deconv: { input, weights in try conv2d(try fillZeros(input), weights) })
                XCTAssertEqual(Deconv2dExercise().grade(uncropped).points, 0, "seed \(seed)")
            }
        }
    }

    func testTheFixedUnequalPaddingCasesAreNonSquareWithUnequalDifferences() {
        for (h, w, bigH, bigW) in UpAddExercise.unequalPaddingCases {
            XCTAssertNotEqual(bigH - 2 * h, bigW - 2 * w)
            XCTAssertNotEqual(bigH, bigW)
        }
    }

    /// The instructor's hidden checks: full marks for the reference answers, zero for the stubs,
    /// and the swapped padding (which passes the visible parity case) fails up_add's.
    func testHiddenChecksPassTheSolutionsAndFailStubsAndWrongAnswers() {
        for grader in allGraders {
            let hidden = HiddenChecks.checks[grader.exercise]
            XCTAssertNotNil(hidden, grader.exercise)
            let solved = grader.grade(Solutions.exercises, hidden: hidden?(Solutions.exercises) ?? [])
            XCTAssertEqual(solved.points, 12, "\(grader.exercise): \(solved.details)")
            let stub = grader.grade(Labs.exercises, hidden: hidden?(Labs.exercises) ?? [])
            XCTAssertEqual(stub.points, 0, "\(grader.exercise): \(stub.details)")
            XCTAssertEqual(stub.status, .notImplemented)
        }
        let concatenating = replacing(upAdd: { Up(2 * $0, $1) })
        let result = UpAddExercise().grade(concatenating, hidden: HiddenChecks.checks["up_add"]!(concatenating))
        XCTAssertEqual(result.checks.last?.passed, false, result.details)
    }

    func testUNetShallowWithThreeDownsamplingsFails() {
        let result = UNetShallowExercise().grade(replacing(shallow: { ThreeLevelUNet(nChannels: $0, nClasses: $1, base: $2) }))
        XCTAssertFalse(result.isFullMarks)
        let depth = check(result, named: "exactly two down-samplings")
        XCTAssertEqual(depth?.passed, false, result.details)
        XCTAssertTrue(depth?.message.contains("ran 3 MaxPool2d layers") ?? false, result.details)
        XCTAssertEqual(check(result, named: "the course's widths: parity with PyTorch")?.passed, false,
                       "other widths only pass by behaviour when the behaviour checks do")
    }

    func testUNetShallowWithOtherWidthsIsGradedByBehaviour() {
        final class Wider: Module {
            let inner: Module
            init(_ c: Int, _ k: Int, _ b: Int) { inner = Solutions.UNetShallow(nChannels: c, nClasses: k, base: b + 2) }
            override func forward(_ x: Variable) throws -> Variable { try inner(x) }
        }
        let result = UNetShallowExercise().grade(replacing(shallow: { Wider($0, $1, $2) }))
        XCTAssertTrue(result.isFullMarks, result.details)
        XCTAssertTrue(result.details.contains("graded by behaviour"), result.details)
    }

    func testUNetShallowThatDoesNotLearnFails() {
        /// Right shapes and depth, but the output ignores the trained layers' result.
        final class Frozen: Module {
            let net: Solutions.UNetShallow
            init(_ c: Int, _ k: Int, _ b: Int) { net = Solutions.UNetShallow(nChannels: c, nClasses: k, base: b) }
            override func forward(_ x: Variable) throws -> Variable {
                let y = try net(x)
                return Variable(Tensor(zeros: y.shape))
            }
        }
        let result = UNetShallowExercise().grade(replacing(shallow: { Frozen($0, $1, $2) }))
        XCTAssertEqual(check(result, named: "it learns (BCE falls over 10 SGD steps)")?.passed, false, result.details)
        XCTAssertFalse(result.isFullMarks)
    }

    func testCoursesWidthsWithWrongWiringFailParity() {
        /// The course's layers and parameter count, but the logits shifted by 0.01: it has the right
        /// shapes, depth and learns, so only the parity check can catch it.
        final class Shifted: Module {
            let net: Solutions.UNetShallow
            init(_ c: Int, _ k: Int, _ b: Int) { net = Solutions.UNetShallow(nChannels: c, nClasses: k, base: b) }
            override func forward(_ x: Variable) throws -> Variable {
                let y = try net(x)
                return try y + Variable(Tensor(repeating: 0.01, shape: y.shape))
            }
        }
        let result = UNetShallowExercise().grade(replacing(shallow: { Shifted($0, $1, $2) }))
        XCTAssertEqual(check(result, named: "the course's widths: parity with PyTorch")?.passed, false, result.details)
        XCTAssertEqual(result.points, 6, result.details)
    }

    func testTableShowsEveryExerciseAndTheTotal() {
        let results = allGraders.map { $0.grade(Labs.exercises) }
        let table = gradeTable(results)
        for name in ["jaccard", "deconv2d", "up_add", "unet_shallow", "focal_loss", "drop_block", "spatial_attention",
                     "sliding_window", "roc_auc"] { XCTAssertTrue(table.contains(name), table) }
        XCTAssertTrue(table.contains("total") && table.contains("0/90"), table)
        XCTAssertTrue(table.contains("not implemented"), table)
    }

    func testResultLineRoundTrips() throws {
        let result = JaccardExercise().grade(Solutions.exercises)
        let decoded = try XCTUnwrap(GradeLine.decode(from: "noise\n" + GradeLine.encode(result) + "\nmore noise"))
        XCTAssertEqual(decoded.points, result.points)
        XCTAssertEqual(decoded.message, result.message)
        XCTAssertNil(GradeLine.decode(from: "Test Suite passed\n"))
    }
}

/// A wrong UNet_shallow: three down-samplings (four levels).
final class ThreeLevelUNet: Module {
    let inc: InConv, down1: Down, down2: Down, down3: Down
    let up1: Up, up2: Up, up3: Up
    let outc: OutConv
    init(nChannels: Int, nClasses: Int, base b: Int) {
        inc = InConv(nChannels, b)
        down1 = Down(b, 2 * b); down2 = Down(2 * b, 2 * b); down3 = Down(2 * b, 2 * b)
        up1 = Up(4 * b, 2 * b); up2 = Up(4 * b, b); up3 = Up(2 * b, b)
        outc = OutConv(b, nClasses)
    }
    override func forward(_ x: Variable) throws -> Variable {
        let x1 = try inc(x), x2 = try down1(x1), x3 = try down2(x2), x4 = try down3(x3)
        return try outc(try up3(try up2(try up1(x4, x3), x2), x1))
    }
}
