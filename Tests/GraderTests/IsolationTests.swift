import XCTest
import Foundation
@testable import Grading
import UNetKit
import SegmentationModels
import LabExercises
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
        XCTAssertTrue(results[0].message.contains("crashed (signal 4, SIGILL)"), results[0].message)
        XCTAssertTrue(results[0].message.contains("Labs/JaccardCoeff.swift"), results[0].message)
        XCTAssertTrue(results[1].message.contains("did not finish within 3 s"), results[1].message)
        let table = gradeTable(results)
        XCTAssertTrue(table.contains("crashed") && table.contains("timed out") && table.contains("10/30"), table)
    }

    /// A child that prints 40 MB (a print in a loop) and a byte that is not UTF-8: the output is
    /// kept as its first and last 8 MB, so the last line (where the grade line goes) survives.
    func testAChattyChildsOutputKeepsItsHeadAndTail() {
        let run = runChild(["/bin/sh", "-c", "printf 'first\\377\\n'; head -c 40000000 /dev/zero | tr '\\000' x; printf '\\nlast line\\n'"],
                           timeLimit: 60)
        XCTAssertEqual(run.outcome, .exited(0), run.standardError)
        XCTAssertTrue(run.standardOutput.hasPrefix("first\u{FFFD}\nxxx"), String(run.standardOutput.prefix(40)))
        XCTAssertTrue(run.standardOutput.hasSuffix("xxx\nlast line\n"), String(run.standardOutput.suffix(40)))
        XCTAssertTrue(run.standardOutput.contains("bytes of output left out"))
        XCTAssertLessThanOrEqual(run.standardOutput.utf8.count, (16 << 20) + 100)
    }

    /// Output that cannot be read says so (and why) instead of reading as a child that printed
    /// nothing: a missing file, and a folder (which opens but fails to read, EISDIR).
    func testUnreadableChildOutputSaysWhy() throws {
        let missing = "/tmp/unetlab-no-such-output-\(UUID().uuidString)"
        XCTAssertEqual(childOutputText(missing), "[the child's output \(missing) could not be opened: No such file or directory]")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = childOutputText(folder.path)
        XCTAssertTrue(text.hasPrefix("[the child's output \(folder.path) could not be read from byte 0: ") && text.contains("Is a directory"), text)
        // An empty file is an empty output, and one that starts: no bracketed note.
        XCTAssertEqual(runChild(["/bin/true"], timeLimit: 10).standardOutput, "")
        let unstarted = runChild(["/no/such/program"], timeLimit: 10)
        guard case .failedToStart = unstarted.outcome else { return XCTFail("\(unstarted.outcome)") }
        XCTAssertEqual(unstarted.standardOutput, "")
    }

    func testSwiftTestsReportOfACrashIsRead() {
        // What `swift test` prints when its test binary dies in a student's file (it exits 1).
        let run = ChildRun(outcome: .exited(1), standardOutput: """
            Test Case 'JaccardGrader.testJaccardCoeff' started
            *** Swift runtime failure: Unexpectedly found nil while unwrapping an Optional value ***
              1   0x00005568bd8e4004 jaccardCoeff(_:_:) + 68 in UNetLabKitPackageTests.xctest at /tmp/se/Labs/JaccardCoeff.swift:21:13
            """, standardError: "error: Process '…xctest LabGraders.JaccardGrader' exited with unexpected signal code 4\n",
            seconds: 1)
        let job = GradingJob(grader: JaccardExercise(), arguments: [], timeLimit: 1)
        let result = gradeResult(of: run, job: job, maxPoints: 10)
        XCTAssertEqual(result.status, .crashed)
        XCTAssertEqual(result.message, "the grading process crashed (signal 4, SIGILL) in Labs/JaccardCoeff.swift:21: "
                       + "Unexpectedly found nil while unwrapping an Optional value — a trap such as fatalError, an index "
                       + "out of range or a force-unwrapped nil in jaccardCoeff(_:_:)? (the other exercises were graded)")
    }

    func testATimeLimitKillsGrandchildrenInOtherProcessGroups() throws {
        // Like `swift test`, the child starts its worker in a process group (here: session) of its own.
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("grandchild-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let job = GradingJob(grader: Deconv2dExercise(),
                             arguments: ["/bin/sh", "-c", "setsid sleep 300 & echo $! > \(pidFile.path); wait"],
                             timeLimit: 2)
        let result = runGradingJobs([job], maxPoints: { _ in 10 })[0]
        XCTAssertEqual(result.status, .timedOut)
        let text = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let grandchild = try XCTUnwrap(pid_t(text))
        usleep(300_000)
        // Gone, or a zombie waiting for its new parent to reap it: either way no longer running.
        let state = (try? String(contentsOfFile: "/proc/\(grandchild)/stat", encoding: .utf8))
            .flatMap { $0.split(separator: ")").last?.split(separator: " ").first }
        XCTAssertTrue(state == nil || state == "Z", "the grandchild \(grandchild) is still running (state \(state ?? "-"))")
        if state != nil && state != "Z" { kill(grandchild, SIGKILL) }
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
