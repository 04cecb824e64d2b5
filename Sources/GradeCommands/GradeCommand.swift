import ArgumentParser
import Foundation
import Grading
import LabExercises
#if canImport(HiddenChecks)
import HiddenChecks
#endif

/// The instructor's hidden checks when this edition has them (`Sources/HiddenChecks`), else none.
var editionHiddenChecks: [String: @Sendable (ExerciseSet) -> [Check]] {
    #if canImport(HiddenChecks)
    return HiddenChecks.checks
    #else
    return [:]
    #endif
}

/// `unetlab grade`: grades your Labs/ (or, with --submissions, a whole class) — each exercise in
/// its own sandboxed child process with a time limit, built from the submission's Labs/ against
/// the prebuilt libraries, with compile isolation per file.
public struct GradeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade Labs/ (or a class: --submissions DIR) — one child process per exercise, then a score table.",
        discussion: """
            Labs/ is compiled alone against the prebuilt libraries (`swift build -c release --product unetlab-grade`
            builds them): a file that does not compile is replaced by its shipped stub (Stubs/) and reported with
            the compiler's first error; the other exercises are graded. Each exercise runs in its own child process
            with a time limit, a memory and an output limit, in a Landlock sandbox (Linux 5.13+); only results
            signed with a key the child gets on a pipe count.

            --submissions DIR grades every subfolder (a Labs/ folder or a copy of the student edition) and every
            .zip/.tar.gz in DIR into --out: gradebook.csv, feedback/<student>.md, records/ (a re-run skips
            unchanged students unless --force). --shard i/n grades every n-th student from the i-th;
            `merge-gradebooks` joins the shards' gradebook.csv files.
            """)

    @Option(help: "A folder of submissions: one subfolder or .zip/.tar.gz per student.") var submissions: String?
    @Option(help: "Where the class's gradebook.csv, feedback/ and records/ go (with --submissions).") var out = "grades"
    @Option(help: "Students graded at a time (with --submissions).") var jobs = 1
    @Option(help: "Grade only shard i of n (i/n, e.g. 2/4): every n-th student from the i-th.") var shard: String?
    @Flag(help: "Re-grade students whose files did not change.") var force = false
    @Option(help: "Grade only these exercises (single submission); repeatable.") var exercise: [String] = []
    @Option(help: "Time limit per exercise, in seconds.") var timeout: Double = 300
    @Option(help: "Memory limit per grading child, in MB.") var memoryLimit = 4096
    @Option(help: "Limit on any file a grading child writes (its output too), in MB.") var outputLimit = 16
    @Option(help: "Seed for the randomized checks (default: a new one per student, recorded).") var seed: UInt64?
    @Flag(help: "Do not sandbox the grading children (Landlock).") var noSandbox = false
    @Option(help: "The package (with Stubs/, Sources/ and, without --submissions, Labs/).") var repository = "."
    @Option(help: "The release build folder holding the prebuilt modules (default: this program's folder, or <repository>/.build/release).") var buildPath: String?
    @Option(help: "The swiftc to compile submissions with (default: from PATH).") var swiftc: String?
    @Flag(help: "Keep each submission's scratch folder (for debugging the grader).") var keepScratch = false
    @Flag(help: "Print every check of every exercise after the table.") var verbose = false

    public init() {}

    public func validate() throws {
        guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds in (0, 86400], but got \(timeout)")
        }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be in 1…64, but got \(jobs)") }
        guard (64...65_536).contains(memoryLimit) else {
            throw ValidationError("--memory-limit must be in 64…65536 MB, but got \(memoryLimit)")
        }
        guard (1...4096).contains(outputLimit) else {
            throw ValidationError("--output-limit must be in 1…4096 MB, but got \(outputLimit)")
        }
    }

    public func run() throws {
        let repositoryURL = URL(fileURLWithPath: repository).standardizedFileURL
        // Default: the folder this program was built in, when it holds the modules (it does
        // for `.build/release/unetlab-grade`), else the repository's .build/release.
        let executableFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let build = buildPath.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? (FileManager.default.fileExists(atPath: executableFolder.appendingPathComponent("Modules/Grading.swiftmodule").path)
                ? executableFolder : repositoryURL.appendingPathComponent(".build/release"))
        let toolchain = try GradingToolchain.locate(packageDirectory: repositoryURL, buildDirectory: build.resolvingSymlinksInPath(),
                                                    swiftc: swiftc)
        let scratchRoot = FileManager.default.temporaryDirectory
            .appendingPathComponent("unetlab-grade-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { if !keepScratch { try? FileManager.default.removeItem(at: scratchRoot) } }
        let builder = try LabsBuilder(toolchain: toolchain, sharedDirectory: scratchRoot.appendingPathComponent("shared"))
        var options = GradingOptions()
        options.timeLimit = timeout
        options.limits = ChildSandbox.Limits(memoryMB: memoryLimit, outputMB: outputLimit, cpuSeconds: Int(timeout) + 30)
        options.seed = seed
        options.sandbox = !noSandbox
        options.hiddenChecks = editionHiddenChecks
        let graders = try selectedGraders()
        let grader = SubmissionGrader(builder: builder, options: options, graders: graders)
        if options.sandbox && ChildSandbox.landlockVersion < 1 {
            warn("this kernel has no Landlock: the grading children are not sandboxed (their results are still signed)")
        }
        if let submissions { try gradeClass(URL(fileURLWithPath: submissions), grader, scratchRoot) }
        else { try gradeOne(repositoryURL, grader, scratchRoot, hidden: toolchain.hasHiddenChecks) }
    }

    private func gradeOne(_ repository: URL, _ grader: SubmissionGrader, _ scratch: URL, hidden: Bool) throws {
        warn("compiling Labs/ against the prebuilt libraries, then grading each exercise in its own process …")
        let submission = Submission(student: "Labs", location: repository.appendingPathComponent("Labs"), isArchive: false)
        let record = grader.grade(submission, scratch: scratch.appendingPathComponent("Labs"), keepScratch: keepScratch)
        for p in record.compileProblems {
            print("\(p.file) does not compile — \(p.firstError)\n  "
                  + (p.replacedByStub ? "graded as the shipped stub; the other exercises were graded" : "left out (a helper file)"))
        }
        if let failure = record.failure { print("not graded: \(failure)") }
        print(gradeTable(record.results))
        if verbose { for r in record.results { print("\n\(r.exercise) — \(r.title)\n\(r.details)") } }
        print(hidden ? "(includes the instructor's hidden checks)"
                     : "(visible checks only: this edition does not ship the instructor's hidden checks, which may find more)")
        if record.forgedLines > 0 { print("note: \(record.forgedLines) result line(s) in the output were not the grader's: ignored") }
        print(String(format: "graded in %.1f s (build %.1f s)", record.seconds, record.buildSeconds))
        if !record.results.allSatisfy(\.isFullMarks) { throw ExitCode(1) }
    }

    private func gradeClass(_ folder: URL, _ grader: SubmissionGrader, _ scratch: URL) throws {
        let shard = try shard.map(Shard.init(parsing:)) ?? .whole
        let all = try Submission.list(in: folder)
        let mine = shard.select(all)
        guard !mine.isEmpty else {
            throw ValidationError("no submissions in \(folder.path)\(shard == .whole ? "" : " for shard \(shard)") "
                                  + "(expected one subfolder or .zip/.tar.gz per student)")
        }
        let gradebook = try Gradebook(folder: URL(fileURLWithPath: out), exercises: grader.graders.map(\.exercise))
        warn("grading \(mine.count) of \(all.count) submissions\(shard == .whole ? "" : " (shard \(shard))"), \(jobs) at a time, into \(out)/")
        let classRun = ClassGrading(grader: grader, gradebook: gradebook, jobs: jobs, force: force, scratchRoot: scratch)
        let summary = try classRun.run(mine) { record, skipped in
            let status = skipped ? "unchanged, kept" : String(format: "%.1f s (build %.1f s)", record.seconds, record.buildSeconds)
            let problems = record.compileProblems.isEmpty ? "" : "; does not compile: " + record.compileProblems.map(\.file).joined(separator: " ")
            FileHandle.standardError.write(Data("  \(record.student): \(formatPoints(record.total))/\(formatPoints(record.maxTotal)) — \(status)\(problems)\n".utf8))
        }
        let graded = summary.records.filter { summary.graded.contains($0.student) }
        let perStudent = graded.isEmpty ? 0 : graded.reduce(0) { $0 + $1.seconds } / Double(graded.count)
        print("gradebook: \(gradebook.csvURL.path) (\(summary.records.count) students; feedback in \(out)/feedback/)")
        print(String(format: "graded %d, skipped %d unchanged; wall time %.1f s with --jobs %d; %.1f s per student (build + grading, one at a time each)",
                     summary.graded.count, summary.skipped.count, summary.wallSeconds, jobs, perStudent))
    }

    private func selectedGraders() throws -> [any ExerciseGrader] {
        if exercise.isEmpty || submissions != nil { return allGraders }
        return try exercise.map { name in
            guard let g = grader(named: name) else {
                throw ValidationError("unknown exercise \(name): expected one of " + allGraders.map(\.exercise).joined(separator: ", "))
            }
            return g
        }
    }
}

/// `unetlab merge-gradebooks`: joins the shards' gradebook.csv files into one.
public struct MergeGradebooks: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "merge-gradebooks",
        abstract: "Merge gradebook.csv files (one per --shard) into one, each student once, sorted.")

    @Option(help: "The merged CSV to write.") var out: String
    @Argument(help: "The shards' gradebook.csv files.") var gradebooks: [String]

    public init() {}

    public func run() throws {
        let merged = try Gradebook.merge(gradebooks.map { URL(fileURLWithPath: $0) })
        try Data(merged.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        print("wrote \(out): \(merged.split(separator: "\n").count - 1) students from \(gradebooks.count) gradebooks")
    }
}

func warn(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
