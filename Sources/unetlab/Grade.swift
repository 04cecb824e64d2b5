import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab
import Grading
import Labs

/// `unetlab grade`: grades the exercises in Labs/, each in its own child process with a time
/// limit, and prints the table (exercise, points, status, message). Exit status 0 only at
/// full marks. `make grade` builds the tests first and runs this.
struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade your exercises in Labs/: one child process per exercise, then a score table.",
        discussion: """
            Each exercise runs as `swift test -c release --skip-build --filter LabGraders.<Class>` in its own
            process with a time limit, so a crash or an endless loop costs only that exercise.
            The tests are built first (`swift test -c release --filter <none>`): your code in Labs/ must compile.
            --in-process grades in this process instead (fast, but a trap in one exercise stops everything).
            """)

    @Option(help: "Grade only these exercises (jaccard, deconv2d, up_add, unet_shallow); repeatable.")
    var exercise: [String] = []
    @Option(help: "Time limit per exercise, in seconds.") var timeout: Double = 300
    @Option(help: "The swift executable.") var swift = "swift"
    @Option(help: "Build configuration of the tests (as built by `swift build --build-tests`).") var configuration = "release"
    @Option(help: "SwiftPM scratch path the tests were built in (default: .build).") var scratchPath: String?
    @Flag(help: "Grade Labs/ in this process (no isolation).") var inProcess = false
    @Flag(help: "Do not build the tests first (they must be up to date).") var skipBuild = false
    @Flag(help: "Print every check of every exercise after the table.") var verbose = false

    func validate() throws {
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds in (0, 86400], but got \(timeout)")
        }
    }

    func run() throws {
        let graders = try selectedGraders()
        let results: [GradeResult]
        if inProcess {
            results = graders.map { $0.grade(Labs.exercises) }
        } else {
            if !skipBuild { try buildTests() }
            let jobs = graders.map { grader in
                GradingJob(grader: grader,
                           arguments: [swift, "test", "-c", configuration, "--skip-build",
                                       "--filter", "LabGraders.\(labGraderTestClass(grader.exercise))"]
                               + (scratchPath.map { ["--scratch-path", $0] } ?? []),
                           timeLimit: timeout)
            }
            results = runGradingJobs(jobs, maxPoints: { name in graders.first { $0.exercise == name }?.maxPoints ?? 0 }) { job, r in
                FileHandle.standardError.write(Data("graded \(job.exercise): \(r.status.rawValue)\n".utf8))
            }
        }
        print(gradeTable(results))
        if verbose { for r in results { print("\n\(r.exercise) — \(r.title)\n\(r.details)") } }
        if !results.allSatisfy(\.isFullMarks) { throw ExitCode(1) }
    }

    /// Builds the test binary (`swift test` builds with testable imports, `swift build --build-tests`
    /// does not in release) with the output on the terminal; a compile error ends the grading.
    private func buildTests() throws {
        FileHandle.standardError.write(Data("building Labs/ and the graders (swift test -c \(configuration)) …\n".utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [swift, "test", "-c", configuration, "--filter", "LabGraders.BuildOnlyNoSuchTest"]
            + (scratchPath.map { ["--scratch-path", $0] } ?? [])
        process.standardOutput = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            FileHandle.standardError.write(Data(("\nLabs/ or the graders do not compile (see the errors above): "
                + "fix them, then run `make grade` again. Nothing was graded.\n").utf8))
            throw ExitCode(2)
        }
    }

    private func selectedGraders() throws -> [any ExerciseGrader] {
        if exercise.isEmpty { return allGraders }
        return try exercise.map { name in
            guard let g = grader(named: name) else {
                throw ValidationError("unknown exercise \(name): expected one of "
                                      + allGraders.map(\.exercise).joined(separator: ", "))
            }
            return g
        }
    }
}
