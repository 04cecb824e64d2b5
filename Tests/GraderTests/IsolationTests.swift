import XCTest
import Foundation
import Grading
import UNetKit
import Solutions

/// `make grade` runs each exercise in its own process: a trap or an endless loop in one
/// exercise must cost that exercise only. These tests run real child processes — this very
/// test binary, re-invoked on the `IsolationChild` tests below — through the same code path
/// as `unetlab grade` (`runGradingJobs`).
final class IsolationTests: XCTestCase {
    func testACrashAndAnEndlessLoopCostOnlyTheirExercise() throws {
        let binary = try testBinary()
        func job(_ test: String, _ grader: any ExerciseGrader, limit: Double) -> GradingJob {
            GradingJob(grader: grader, arguments: [binary, "GraderTests.IsolationChild/\(test)"],
                       environment: ["UNETLAB_ISOLATION_CHILD": "1"], timeLimit: limit)
        }
        let jobs = [job("testTrappingJaccard", JaccardExercise(), limit: 120),
                    job("testLoopingDeconv", Deconv2dExercise(), limit: 3),
                    job("testSolutionsJaccard", JaccardExercise(), limit: 120)]
        let start = Date()
        let results = runGradingJobs(jobs, maxPoints: { _ in 10 })
        XCTAssertLessThan(Date().timeIntervalSince(start), 200)
        XCTAssertEqual(results.map(\.status), [.crashed, .timedOut, .passed], results.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(results.map(\.points), [0, 0, 10])
        XCTAssertTrue(results[0].message.contains("crashed (signal"), results[0].message)
        XCTAssertTrue(results[0].message.contains("Labs/JaccardCoeff.swift"), results[0].message)
        XCTAssertTrue(results[1].message.contains("did not finish within 3 s"), results[1].message)
        let table = gradeTable(results)
        XCTAssertTrue(table.contains("crashed") && table.contains("timed out") && table.contains("10/30"), table)
    }

    func testAMissingCommandIsReportedNotFatal() {
        let job = GradingJob(grader: JaccardExercise(), arguments: ["/nonexistent/unetlab-no-such-tool"], timeLimit: 5)
        let result = runGradingJobs([job], maxPoints: { _ in 10 })[0]
        XCTAssertEqual(result.status, .crashed)
        XCTAssertEqual(result.points, 0)
        XCTAssertTrue(result.message.contains("could not start"), result.message)
    }

    /// The XCTest binary running these tests (swift test starts it directly on Linux).
    private func testBinary() throws -> String {
        let path = CommandLine.arguments[0]
        guard path.hasSuffix(".xctest"), FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("needs the test binary as argv[0] (Linux swift-corelibs-xctest); got \(path)")
        }
        return path
    }
}

/// Run only as child processes by `IsolationTests` (skipped otherwise): exercise sets whose
/// answer traps or never returns, and one that works.
final class IsolationChild: XCTestCase {
    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["UNETLAB_ISOLATION_CHILD"] == "1" else {
            throw XCTSkip("run as a child process by IsolationTests")
        }
    }

    private func grade(_ grader: any ExerciseGrader, _ set: ExerciseSet) {
        print(GradeLine.encode(grader.grade(set)))
    }

    func testTrappingJaccard() {
        var set = Solutions.exercises
        set.jaccardCoeff = { a, _ in
            let index = a.count + Int(a.scalars[0])   // out of range: a trap, as a student's bug would be
            return a.scalars[index]
        }
        grade(JaccardExercise(), set)
    }

    func testLoopingDeconv() {
        var set = Solutions.exercises
        set.deconv2d = { input, _ in
            while ProcessInfo.processInfo.environment["UNETLAB_ISOLATION_CHILD"] == "1" { usleep(10_000) }   // never ends
            return input
        }
        grade(Deconv2dExercise(), set)
    }

    func testSolutionsJaccard() { grade(JaccardExercise(), Solutions.exercises) }
}
