import Foundation
import UNetKit
import SegmentationModels
import LabExercises

/// A failed check: says what was expected and what came back.
public struct CheckFailure: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One check of an exercise: `run` returns a short note on success and throws `CheckFailure`
/// (or any error the student's code throws) on failure.
public struct Check {
    public var name: String
    public var points: Double
    public var run: () throws -> String
    public init(_ name: String, points: Double, _ run: @escaping () throws -> String) {
        self.name = name; self.points = points; self.run = run
    }
}

/// What every grader shares: the exercise's names and the way its checks become a grade.
public protocol ExerciseGrader: Sendable {
    /// Short name: jaccard, deconv2d, up_add, unet_shallow, focal_loss, drop_block, spatial_attention,
    /// sliding_window, roc_auc.
    var exercise: String { get }
    var title: String { get }
    var file: String { get }
    var function: String { get }
    /// The checks, in order, for the exercises in `set`.
    func checks(_ set: ExerciseSet) -> [Check]
}

extension ExerciseGrader {
    public var maxPoints: Double { checks(emptyExerciseSet).reduce(0) { $0 + $1.points } }

    /// Runs every check (a failure does not stop the others) and sums the points. `hidden`
    /// are the instructor's edition's extra checks (`HiddenChecks`): they count like the others.
    public func grade(_ set: ExerciseSet, hidden: [Check] = []) -> GradeResult {
        var results: [CheckResult] = []
        var notImplemented: ExerciseNotImplemented?
        for check in checks(set) + hidden {
            do {
                let note = try check.run()
                results.append(CheckResult(name: check.name, points: check.points, maxPoints: check.points,
                                           passed: true, message: note))
            } catch let error as ExerciseNotImplemented {
                notImplemented = notImplemented ?? error
                results.append(CheckResult(name: check.name, points: 0, maxPoints: check.points, passed: false,
                                           message: error.description))
            } catch {
                let text = (error as? CheckFailure)?.message ?? "threw an error: \(error)"
                results.append(CheckResult(name: check.name, points: 0, maxPoints: check.points, passed: false,
                                           message: text))
            }
        }
        let points = results.reduce(0) { $0 + $1.points }
        let maxPoints = results.reduce(0) { $0 + $1.maxPoints }
        let status: GradeStatus
        let message: String
        if let firstFailure = results.first(where: { !$0.passed }) {
            if points == 0, let stub = notImplemented {
                status = .notImplemented
                message = stub.description
            } else {
                status = points > 0 ? .partial : .failed
                let failed = results.filter { !$0.passed }.count
                message = "\(firstFailure.name): \(firstFailure.message)"
                    + (failed > 1 ? " (and \(failed - 1) more failed check\(failed > 2 ? "s" : ""))" : "")
                    + " — fix \(function) in \(file)"
            }
        } else {
            status = .passed
            message = "all \(results.count) checks passed"
        }
        return GradeResult(exercise: exercise, title: title, file: file, function: function, points: points,
                           maxPoints: maxPoints, status: status, message: message, checks: results)
    }
}

/// Every grader: the course lab's four, then the advanced lab's five.
public let allGraders: [any ExerciseGrader] = [JaccardExercise(), Deconv2dExercise(), UpAddExercise(), UNetShallowExercise(),
                                               FocalLossExercise(), DropBlockExercise(), SpatialAttentionExercise(),
                                               SlidingWindowExercise(), ROCAUCExercise()]

/// The grader called `exercise` (jaccard, deconv2d, up_add, unet_shallow, focal_loss, drop_block,
/// spatial_attention, sliding_window, roc_auc).
public func grader(named exercise: String) -> (any ExerciseGrader)? {
    allGraders.first { $0.exercise == exercise }
}

/// An exercise set whose every exercise throws: used only to count the checks' points.
let emptyExerciseSet: ExerciseSet = {
    let stub = ExerciseNotImplemented(exercise: "-", file: "-", function: "-")
    return ExerciseSet(name: "none", jaccardCoeff: { _, _ in throw stub }, makeUpAdd: { Up($0, $1) },
                       makeUNetShallow: { _, _, _ in Module() },
                       deconv2d: { _, _ in throw stub })
}()

// MARK: - Comparing

/// Throws unless `actual` has `expected`'s shape and every element is within
/// `absolute + relative·|expected|`; the message names the worst element.
public func requireClose(_ actual: Tensor, _ expected: Tensor, absolute: Float, relative: Float, _ what: String) throws {
    guard actual.shape == expected.shape else {
        throw CheckFailure("\(what): expected shape \(shapeString(expected.shape)), got \(shapeString(actual.shape))")
    }
    var worst = (index: -1, excess: Float(0))
    for i in 0..<actual.count {
        let (a, e) = (actual.scalars[i], expected.scalars[i])
        let excess = a.isFinite ? abs(a - e) - (absolute + relative * abs(e)) : .infinity
        if excess > worst.excess { worst = (i, excess) }
    }
    if worst.index >= 0 {
        let i = worst.index
        throw CheckFailure("\(what): element \(indexString(i, shape: expected.shape)) is \(actual.scalars[i]), "
                           + "expected \(expected.scalars[i]) (max allowed difference \(absolute) + \(relative)·|expected|)")
    }
}

/// Flat index → "[i, j, k]".
func indexString(_ flat: Int, shape: [Int]) -> String {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
        index[d] = rest % shape[d]
        rest /= shape[d]
    }
    return "[" + index.map(String.init).joined(separator: ", ") + "]"
}

/// A seed for the randomized checks: new every run (so answers cannot be fitted to them),
/// printed in the messages so a failure can be reproduced; `UNETLAB_GRADER_SEED` fixes it.
func randomizedSeed() -> UInt64 {
    if let seed = GraderSeed.current { return seed }
    if let text = ProcessInfo.processInfo.environment["UNETLAB_GRADER_SEED"], let seed = UInt64(text) { return seed }
    return UInt64.random(in: 1...999_999)
}

/// A seed that overrides `UNETLAB_GRADER_SEED` for the checks run inside
/// `GraderSeed.$current.withValue(seed) { … }` (the graders' tests run several seeds).
public enum GraderSeed {
    @TaskLocal public static var current: UInt64?
}

func randomNormal(_ shape: [Int], _ g: inout SeededGenerator, scale: Float = 1) -> Tensor {
    Tensor(shape: shape) { _ in Float(g.normal()) * scale }
}

/// The XCTest class in `Tests/LabGraders` that grades `exercise` (`make grade` runs each alone).
public func labGraderTestClass(_ exercise: String) -> String {
    switch exercise {
    case "jaccard": "JaccardGrader"
    case "deconv2d": "Deconv2dGrader"
    case "up_add": "UpAddGrader"
    case "unet_shallow": "UNetShallowGrader"
    case "focal_loss": "FocalLossGrader"
    case "drop_block": "DropBlockGrader"
    case "spatial_attention": "SpatialAttentionGrader"
    case "sliding_window": "SlidingWindowGrader"
    case "roc_auc": "ROCAUCGrader"
    default: exercise
    }
}
