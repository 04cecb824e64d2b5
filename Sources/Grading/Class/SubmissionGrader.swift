import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LabExercises

/// How each submission is graded: limits per child, the toolchain, the checks' seed.
public struct GradingOptions: Sendable {
    /// Seconds per exercise (one child process each).
    public var timeLimit: Double = 300
    public var limits = ChildSandbox.Limits(memoryMB: 4096, outputMB: 16, cpuSeconds: 360)
    /// The randomized checks' seed; nil: a new one per submission (written in the gradebook).
    public var seed: UInt64?
    /// Sandbox the children with Landlock (when the kernel has it).
    public var sandbox = true
    /// The instructor's hidden checks, by exercise (to count their points when a child gives none).
    public var hiddenChecks: [String: @Sendable (ExerciseSet) -> [Check]] = [:]
    public init() {}
}

/// One student's graded submission: what the gradebook row and the feedback file are made of.
public struct SubmissionRecord: Codable, Sendable {
    public var student: String
    /// SHA-256 of the submission's .swift files (paths and contents): a re-run skips the student
    /// while it is unchanged.
    public var submissionSHA256: String
    public var results: [GradeResult]
    public var compileProblems: [CompileProblem]
    /// Why nothing could be graded (no Labs/, a bad archive, …), if so.
    public var failure: String?
    /// Result lines in the output that were not the grader's (ignored; shown in the feedback).
    public var forgedLines: Int
    public var seed: UInt64
    public var seconds: Double
    public var buildSeconds: Double
    public var sandboxed: Bool
    public var hiddenChecks: Bool

    public var total: Double { results.reduce(0) { $0 + $1.points } }
    public var maxTotal: Double { results.reduce(0) { $0 + $1.maxPoints } }
}

/// Grades one submission in its own scratch folder: copy (or unpack) its .swift files, build
/// the grading child with compile isolation (`LabsBuilder`), then one child per exercise with
/// a fresh key, the limits and the sandbox. Only signed results count.
public struct SubmissionGrader: Sendable {
    public var builder: LabsBuilder
    public var options: GradingOptions
    public var graders: [any ExerciseGrader]

    public init(builder: LabsBuilder, options: GradingOptions, graders: [any ExerciseGrader] = allGraders) {
        self.builder = builder; self.options = options; self.graders = graders
    }

    /// The points an exercise is out of, hidden checks included.
    public func maxPoints(_ grader: any ExerciseGrader) -> Double {
        grader.maxPoints + (options.hiddenChecks[grader.exercise].map { $0(emptyExerciseSet).reduce(0) { $0 + $1.points } } ?? 0)
    }

    /// Grades `submission` in `scratch` (created; removed afterwards unless `keepScratch`).
    public func grade(_ submission: Submission, scratch: URL, keepScratch: Bool = false) -> SubmissionRecord {
        let start = Date()
        let fm = FileManager.default
        defer { if !keepScratch { try? fm.removeItem(at: scratch) } }
        let seed = options.seed ?? UInt64.random(in: 1...999_999)
        let sandboxed = options.sandbox && ChildSandbox.landlockVersion >= 1
        var record = SubmissionRecord(student: submission.student, submissionSHA256: "", results: [], compileProblems: [],
                                      failure: nil, forgedLines: 0, seed: seed, seconds: 0, buildSeconds: 0,
                                      sandboxed: sandboxed, hiddenChecks: builder.toolchain.hasHiddenChecks)
        func zeroes(_ status: GradeStatus, _ message: (any ExerciseGrader) -> String) -> [GradeResult] {
            graders.map { g in GradeResult(exercise: g.exercise, title: g.title, file: g.file, function: g.function, points: 0,
                                           maxPoints: maxPoints(g), status: status, message: message(g), checks: []) }
        }
        let labs = scratch.appendingPathComponent("src/Labs"), build = scratch.appendingPathComponent("build")
        let work = scratch.appendingPathComponent("work")
        do {
            try? fm.removeItem(at: scratch)
            try fm.createDirectory(at: work, withIntermediateDirectories: true)
            record.submissionSHA256 = try submission.copyLabs(to: labs, unpackDirectory: scratch.appendingPathComponent("unpacked"))
        } catch {
            record.failure = "\(error)"
            record.results = zeroes(.failed) { _ in "not graded: \(error)" }
            record.seconds = Date().timeIntervalSince(start)
            return record
        }
        let built = builder.build(labs: labs, into: build)
        record.compileProblems = built.problems
        record.buildSeconds = built.seconds
        guard let child = built.child else {
            record.failure = built.failure
            record.results = zeroes(.doesNotCompile) { _ in built.failure ?? "does not compile" }
            record.seconds = Date().timeIntervalSince(start)
            return record
        }
        let toolchain = builder.toolchain
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": work.path, "TMPDIR": work.path, "LANG": "C.UTF-8",
            "OPENBLAS_NUM_THREADS": "1", "UNETLAB_FIXTURES": toolchain.fixturesDirectory.path,
            "UNETLAB_GRADER_SEED": String(seed),
            GradingChildEnvironment.memoryMB: String(options.limits.memoryMB),
            GradingChildEnvironment.outputMB: String(options.limits.outputMB),
            GradingChildEnvironment.cpuSeconds: String(options.limits.cpuSeconds),
            GradingChildEnvironment.readable: [toolchain.fixturesDirectory.path, build.path, toolchain.toolchainRoot].joined(separator: ":"),
            GradingChildEnvironment.writable: work.path,
            GradingChildEnvironment.sandbox: sandboxed ? "1" : "0",
        ]
        if let core = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] { environment["OPENBLAS_CORETYPE"] = core }
        for grader in graders {
            if let problem = built.problems.first(where: { $0.file == grader.file }) {
                record.results.append(GradeResult(exercise: grader.exercise, title: grader.title, file: grader.file,
                                                  function: grader.function, points: 0, maxPoints: maxPoints(grader),
                                                  status: .doesNotCompile,
                                                  message: "\(problem.firstError) — \(grader.file) does not compile; "
                                                      + "it was graded as the shipped stub (the other exercises were graded)",
                                                  checks: []))
                continue
            }
            let key = freshGradingKey()
            let run = runChild([child.path, grader.exercise], environment: environment, cleanEnvironment: true, key: key,
                               timeLimit: options.timeLimit)
            let (signed, forged) = SignedResultLine.decode(from: run.standardOutput, exercise: grader.exercise, key: key)
            record.forgedLines += forged
            let job = GradingJob(grader: grader, arguments: [], timeLimit: options.timeLimit)
            var result = signed ?? gradeResult(of: run, job: job, maxPoints: maxPoints(grader))
            if signed == nil, case .exited(let code) = run.outcome, result.status == .crashed {
                if let own = run.standardError.split(separator: "\n").first(where: { $0.hasPrefix("grade-child: ") }) {
                    result.message = "the grader could not run: \(own.dropFirst(13))"
                } else {
                    result.message = "the grading process exited (status \(code)) before the grader reported — "
                        + "does \(grader.function) call exit()? (0 points; the other exercises were graded)"
                }
            }
            if signed == nil, case .signalled(let s) = run.outcome, s == SIGXFSZ {
                result.message = "the grading process wrote more than \(options.limits.outputMB) MB (output or a file) "
                    + "and was stopped — too much printing in \(grader.function)?"
            }
            record.results.append(result)
        }
        record.seconds = Date().timeIntervalSince(start)
        return record
    }
}
