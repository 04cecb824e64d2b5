import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum ChildOutcome: Equatable, Sendable {
    case exited(Int32)
    case signalled(Int32)
    case timedOut(seconds: Double)
    case failedToStart(String)
}

/// A child process's end, its output and its duration.
public struct ChildRun: Sendable {
    public var outcome: ChildOutcome
    public var standardOutput: String
    public var standardError: String
    public var seconds: Double
}

/// Runs `arguments` (argv[0] is looked up in PATH) in its own process group with a time limit:
/// at the limit the whole group — the child and anything it started (`swift test` starts the
/// test binary) — is killed. Output goes to temporary files, so a chatty child cannot block.
public func runChild(_ arguments: [String], environment extra: [String: String] = [:],
                     timeLimit seconds: Double) -> ChildRun {
    let start = Date()
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("unetlab-grade-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outPath = directory.appendingPathComponent("stdout").path, errPath = directory.appendingPathComponent("stderr").path
    func finish(_ outcome: ChildOutcome) -> ChildRun {
        ChildRun(outcome: outcome,
                 standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                 standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
                 seconds: Date().timeIntervalSince(start))
    }
    guard !arguments.isEmpty else { return finish(.failedToStart("no command")) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)

    var environment = ProcessInfo.processInfo.environment
    for (k, v) in extra { environment[k] = v }
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var pid = pid_t()
    let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard status == 0 else { return finish(.failedToStart("\(arguments[0]): \(String(cString: strerror(status)))")) }

    let deadline = start.addingTimeInterval(seconds)
    var waitStatus: Int32 = 0
    while true {
        let r = waitpid(pid, &waitStatus, WNOHANG)
        if r == pid { break }
        if r < 0 && errno != EINTR { return finish(.failedToStart("waitpid: \(String(cString: strerror(errno)))")) }
        if Date() >= deadline {
            kill(-pid, SIGKILL)
            while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
            return finish(.timedOut(seconds: seconds))
        }
        usleep(20_000)
    }
    // The child is gone; anything it left running in its group goes too.
    kill(-pid, SIGKILL)
    let signal = waitStatus & 0x7f
    return finish(signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signalled(signal))
}

/// One exercise to grade in a child process: the command prints a `GRADE-RESULT` line.
public struct GradingJob: Sendable {
    public var exercise: String
    public var title: String
    public var file: String
    public var function: String
    public var arguments: [String]
    public var environment: [String: String]
    public var timeLimit: Double

    public init(grader: any ExerciseGrader, arguments: [String], environment: [String: String] = [:], timeLimit: Double) {
        exercise = grader.exercise; title = grader.title; file = grader.file; function = grader.function
        self.arguments = arguments; self.environment = environment; self.timeLimit = timeLimit
    }
}

/// Runs each job in its own child process, one after the other: a crash or an endless loop in
/// one exercise costs that exercise only. A job whose process printed no result line gets
/// 0 points with a message saying what happened to it.
public func runGradingJobs(_ jobs: [GradingJob], maxPoints: (String) -> Double,
                           progress: (GradingJob, GradeResult) -> Void = { _, _ in }) -> [GradeResult] {
    jobs.map { job in
        let run = runChild(job.arguments, environment: job.environment, timeLimit: job.timeLimit)
        let result = gradeResult(of: run, job: job, maxPoints: maxPoints(job.exercise))
        progress(job, result)
        return result
    }
}

/// The result a child printed, or — when it printed none — a zero grade that says why.
public func gradeResult(of run: ChildRun, job: GradingJob, maxPoints: Double) -> GradeResult {
    if let result = GradeLine.decode(from: run.standardOutput) { return result }
    let tail = (run.standardError + "\n" + run.standardOutput).split(separator: "\n")
        .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.suffix(4).joined(separator: " | ")
    let status: GradeStatus, message: String
    switch run.outcome {
    case .timedOut(let limit):
        status = .timedOut
        message = "grading \(job.function) did not finish within \(Int(limit)) s — an endless loop in \(job.file)? "
            + "(the other exercises were graded)"
    case .signalled(let signal):
        status = .crashed
        message = "the grading process crashed (signal \(signal)\(signalName(signal))) while running \(job.function) in "
            + "\(job.file) — a trap such as fatalError, an index out of range or a force-unwrapped nil? "
            + "(the other exercises were graded)"
    case .exited(let code):
        status = .crashed
        message = "the grading process exited with status \(code) without a result (does it build? "
            + "`swift build --build-tests -c release`)"
    case .failedToStart(let reason):
        status = .crashed
        message = "could not start the grading process: \(reason)"
    }
    return GradeResult(exercise: job.exercise, title: job.title, file: job.file, function: job.function, points: 0,
                       maxPoints: maxPoints, status: status,
                       message: message + (tail.isEmpty ? "" : "\nlast output: \(tail.prefix(600))"), checks: [])
}

private func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGILL: return ", SIGILL"
    case SIGTRAP: return ", SIGTRAP"
    case SIGABRT: return ", SIGABRT"
    case SIGSEGV: return ", SIGSEGV"
    case SIGBUS: return ", SIGBUS"
    case SIGFPE: return ", SIGFPE"
    case SIGKILL: return ", SIGKILL"
    default: return ""
    }
}
