import Foundation
import UNetKit
import SegmentationModels
import LabExercises

/// How an exercise did.
public enum GradeStatus: String, Codable, Sendable {
    /// Every check passed: full marks.
    case passed
    /// Some checks passed.
    case partial
    /// No check passed.
    case failed
    /// The exercise is still the shipped stub (it threw `ExerciseNotImplemented`).
    case notImplemented = "not implemented"
    /// The grading process died (a trap in the student's code: fatalError, index out of range, …).
    case crashed
    /// The grading process ran past its time limit (an endless loop?).
    case timedOut = "timed out"
    /// The exercise's file did not compile: it was graded as the shipped stub (0 points).
    case doesNotCompile = "does not compile"
}

/// One check of a grader: its points and, when it failed, why.
public struct CheckResult: Codable, Sendable {
    public var name: String
    public var points: Double
    public var maxPoints: Double
    public var passed: Bool
    /// What was checked and — on failure — what was expected and what came back.
    public var message: String
}

/// One exercise's grade: points out of the maximum, a status, and a message the student can act on.
public struct GradeResult: Codable, Sendable {
    /// Short name: jaccard, deconv2d, up_add, unet_shallow.
    public var exercise: String
    /// "Question 3: JaccardCoeff", …
    public var title: String
    /// Where the student writes it: "Labs/JaccardCoeff.swift".
    public var file: String
    /// "jaccardCoeff(_:_:)".
    public var function: String
    public var points: Double
    public var maxPoints: Double
    public var status: GradeStatus
    /// One paragraph: what passed, or the first failure with expected/actual and where to fix it.
    public var message: String
    public var checks: [CheckResult]

    public var isFullMarks: Bool { points == maxPoints && maxPoints > 0 }

    public init(exercise: String, title: String, file: String, function: String, points: Double,
                maxPoints: Double, status: GradeStatus, message: String, checks: [CheckResult]) {
        self.exercise = exercise; self.title = title; self.file = file; self.function = function
        self.points = points; self.maxPoints = maxPoints; self.status = status; self.message = message
        self.checks = checks
    }

    /// Every check with its points, one per line (for a failing XCTest's message).
    public var details: String {
        ([message] + checks.map { "  [\($0.passed ? "pass" : "FAIL") \(formatPoints($0.points))/\(formatPoints($0.maxPoints))] \($0.name): \($0.message)" })
            .joined(separator: "\n")
    }
}

/// The line a grading child process prints so its parent can read the result:
/// `GRADE-RESULT {json}` (one line).
public enum GradeLine {
    public static let prefix = "GRADE-RESULT "

    public static func encode(_ result: GradeResult) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(result)) ?? Data("{}".utf8)
        return prefix + String(decoding: data, as: UTF8.self)
    }

    /// The last result line in `output`, if any.
    public static func decode(from output: String) -> GradeResult? {
        for line in output.split(separator: "\n").reversed() {
            guard let start = line.range(of: prefix) else { continue }
            if let result = try? JSONDecoder().decode(GradeResult.self, from: Data(line[start.upperBound...].utf8)) {
                return result
            }
        }
        return nil
    }
}

public func formatPoints(_ p: Double) -> String {
    p == p.rounded() ? String(Int(p)) : String(format: "%.1f", p)
}

/// The grade table:
///
///     exercise       points  status           message
///     jaccard         10/10  passed           all 3 checks passed
///     …
///     total          27/40
public func gradeTable(_ results: [GradeResult]) -> String {
    let headers = ["exercise", "points", "status", "message"]
    var rows = results.map { r in
        [r.exercise, "\(formatPoints(r.points))/\(formatPoints(r.maxPoints))", r.status.rawValue, r.message]
    }
    let total = results.reduce(0) { $0 + $1.points }, maxTotal = results.reduce(0) { $0 + $1.maxPoints }
    rows.append(["total", "\(formatPoints(total))/\(formatPoints(maxTotal))", "", ""])
    let widths = (0..<3).map { c in ([headers] + rows).map { $0[c].count }.max()! }
    func render(_ row: [String]) -> String {
        let cells = (0..<3).map { c in c == 1 ? String(repeating: " ", count: widths[c] - row[c].count) + row[c]
                                               : row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0) }
        let indent = String(repeating: " ", count: widths.reduce(0, +) + 6)
        let message = row[3].split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + indent)
        return (cells.joined(separator: "  ") + "  " + message).trimmingCharacters(in: .whitespaces)
    }
    return ([render(headers)] + rows.map(render)).joined(separator: "\n")
}
