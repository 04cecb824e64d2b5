import Foundation
import UNetKit
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
    public init(outcome: ChildOutcome, standardOutput: String, standardError: String, seconds: Double) {
        self.outcome = outcome; self.standardOutput = standardOutput; self.standardError = standardError
        self.seconds = seconds
    }
}

/// A child's output file as text: all of it up to `limit` bytes; beyond that its first and last
/// `limit / 2` bytes around a line saying how much was left out — a student's print loop can
/// write gigabytes before its time limit, and the grade line comes last, the first errors first.
/// Bytes that are not UTF-8 become U+FFFD instead of costing the whole output. A file that cannot
/// be opened or read gives a bracketed line saying which and why (never an empty string that
/// reads as "the child printed nothing"); a part that can be read is kept.
func childOutputText(_ path: String, limit: Int = 16 << 20) -> String {
    func unreadable(_ what: String) -> String { "[the child's output \(path) could not be \(what): \(String(cString: strerror(errno)))]" }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return unreadable("opened") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return unreadable("examined") }
    let size = Int(info.st_size)
    func bytes(at offset: Int, count: Int) -> String {
        do { return String(decoding: try readBytes(fd, at: offset, count: count), as: UTF8.self) } catch {
            return "[the child's output \(path) could not be read from byte \(offset): \(error)]"
        }
    }
    guard size > limit else { return size > 0 ? bytes(at: 0, count: size) : "" }
    let half = limit / 2
    return bytes(at: 0, count: half) + "\n[… \(size - 2 * half) bytes of output left out …]\n" + bytes(at: size - half, count: half)
}

/// Runs `arguments` (argv[0] is looked up in PATH) in its own process group with a time limit:
/// at the limit the whole group — the child and anything it started (`swift test` starts the
/// test binary) — is killed. Output goes to temporary files, so a chatty child cannot block.
/// `key`, when given, is written (as hex) into a pipe the child reads on descriptor 3 and
/// nowhere else; `cleanEnvironment` gives the child `extra` only, not this process's variables.
public func runChild(_ arguments: [String], environment extra: [String: String] = [:],
                     cleanEnvironment: Bool = false, key: [UInt8]? = nil,
                     timeLimit seconds: Double) -> ChildRun {
    let start = Date()
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("unetlab-grade-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outPath = directory.appendingPathComponent("stdout").path, errPath = directory.appendingPathComponent("stderr").path
    func finish(_ outcome: ChildOutcome) -> ChildRun {
        // A child that never started has no output files to read.
        let started = { if case .failedToStart = outcome { return false } else { return true } }()
        return ChildRun(outcome: outcome,
                        standardOutput: started ? childOutputText(outPath) : "",
                        standardError: started ? childOutputText(errPath) : "",
                        seconds: Date().timeIntervalSince(start))
    }
    guard !arguments.isEmpty else { return finish(.failedToStart("no command")) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // The key's pipe: both ends close on exec (no other child inherits them); dup2 makes a copy
    // on descriptor 3 that survives into this child only.
    // The lock keeps children spawned at the same time (--jobs) from inheriting this pipe
    // between its creation and the close-on-exec flag.
    spawnLock.lock()
    var locked = true
    defer { if locked { spawnLock.unlock() } }
    var keyPipe: [Int32] = [-1, -1]
    if key != nil {
        guard pipe(&keyPipe) == 0 else { return finish(.failedToStart("pipe: \(String(cString: strerror(errno)))")) }
        for fd in keyPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // Never descriptor 3 itself (dup2(3, 3) would keep the close-on-exec flag).
        let high = fcntl(keyPipe[0], F_DUPFD_CLOEXEC, 10)
        if high >= 0 { close(keyPipe[0]); keyPipe[0] = high }
        posix_spawn_file_actions_adddup2(&actions, keyPipe[0], 3)
    }
    defer { for fd in keyPipe where fd >= 0 { close(fd) } }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)

    var environment = cleanEnvironment ? [:] : ProcessInfo.processInfo.environment
    for (k, v) in extra { environment[k] = v }
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var pid = pid_t()
    let status = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard status == 0 else { return finish(.failedToStart("\(arguments[0]): \(String(cString: strerror(status)))")) }
    spawnLock.unlock()
    locked = false
    if let key {
        close(keyPipe[0]); keyPipe[0] = -1
        let hex = Array((key.map { String(format: "%02x", $0) }.joined() + "\n").utf8)
        _ = hex.withUnsafeBytes { write(keyPipe[1], $0.baseAddress, $0.count) }   // 65 bytes: fits any pipe's buffer
        close(keyPipe[1]); keyPipe[1] = -1
    }

    let deadline = start.addingTimeInterval(seconds)
    var waitStatus: Int32 = 0
    while true {
        let r = waitpid(pid, &waitStatus, WNOHANG)
        if r == pid { break }
        if r < 0 && errno != EINTR { return finish(.failedToStart("waitpid: \(String(cString: strerror(errno)))")) }
        if Date() >= deadline {
            // `swift test` starts its test binary in a process group of its own: kill the whole
            // tree (collected before anything dies and is re-parented), then the group.
            for child in descendants(of: pid) { kill(child, SIGKILL) }
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

private let spawnLock = NSLock()

/// Every process below `root` (children, grandchildren, …), read from /proc (Linux; empty elsewhere).
func descendants(of root: pid_t) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    var children: [pid_t: [pid_t]] = [:]
    for entry in entries {
        guard let pid = pid_t(entry),
              let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        // "pid (comm) state ppid …": the command may contain spaces and parentheses.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        if fields.count > 2, let parent = pid_t(fields[1]) { children[parent, default: []].append(pid) }
    }
    var result: [pid_t] = [], queue = [root]
    while let next = queue.popLast() {
        for child in children[next] ?? [] { result.append(child); queue.append(child) }
    }
    return result
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
/// 0 points with a message saying what happened to it. It believes the last unsigned
/// `GRADE-RESULT` line: for trusted children only — students' code is graded by
/// `SubmissionGrader`, which counts only signed results.
public func runGradingJobs(_ jobs: [GradingJob], maxPoints: (String) -> Double,
                           progress: (GradingJob, GradeResult) -> Void = { _, _ in }) -> [GradeResult] {
    jobs.map { job in
        let run = runChild(job.arguments, environment: job.environment, timeLimit: job.timeLimit)
        let result = GradeLine.decode(from: run.standardOutput) ?? gradeResult(of: run, job: job, maxPoints: maxPoints(job.exercise))
        progress(job, result)
        return result
    }
}

/// The zero grade of a child that gave no result, with a message that says why: the
/// signal, the Swift runtime's reason ("Unexpectedly found nil …") and the line of the student's
/// file it happened on, when the output shows them. (`swift test` exits 1 when its test binary
/// dies and names the signal: "exited with unexpected signal code 4".)
public func gradeResult(of run: ChildRun, job: GradingJob, maxPoints: Double) -> GradeResult {
    let output = run.standardOutput + "\n" + run.standardError
    var signal: Int32?
    if case .signalled(let s) = run.outcome { signal = s }
    if signal == nil, let m = output.firstMatch(of: #/unexpected signal code (\d+)/#) { signal = Int32(m.1) }
    let reason = output.firstMatch(of: #/(?:Swift runtime failure|Fatal error): ([^\n*]+)/#).map { String($0.1).trimmingCharacters(in: .whitespaces) }
    let fileName = job.file.split(separator: "/").last.map(String.init) ?? job.file
    var location: String?
    for line in output.split(separator: "\n") where line.contains(fileName) && line.contains(" at ") {
        if let m = line.firstMatch(of: #/([A-Za-z0-9_]+\.swift):(\d+)/#), m.1 == fileName { location = "\(job.file):\(m.2)"; break }
    }
    let status: GradeStatus, message: String
    switch run.outcome {
    case .timedOut(let limit):
        status = .timedOut
        message = "grading \(job.function) did not finish within \(Int(limit)) s — an endless loop in \(job.file)? "
            + "(the other exercises were graded)"
    case .failedToStart(let reason):
        status = .crashed
        message = "could not start the grading process: \(reason)"
    case .signalled, .exited:
        status = .crashed
        if signal != nil || reason != nil {
            let signalText: String = signal.map { " (signal \($0)\(signalName($0)))" } ?? ""
            let reasonText: String = reason.map { ": " + $0 } ?? ""
            let place: String = location ?? job.file
            message = "the grading process crashed\(signalText) in \(place)\(reasonText) — a trap such as fatalError, "
                + "an index out of range or a force-unwrapped nil in \(job.function)? (the other exercises were graded)"
        } else if case .exited(let code) = run.outcome {
            let errors: [Substring] = output.split(separator: "\n").filter { $0.contains("error:") }
            let tail: String = errors.suffix(3).joined(separator: " | ")
            let detail: String = tail.isEmpty ? "" : ": " + String(tail.prefix(400))
            message = "the grading process exited with status \(code) without a result\(detail) "
                + "(does it build? `swift test -c release --filter LabGraders`)"
        } else {
            message = "the grading process ended without a result"
        }
    }
    return GradeResult(exercise: job.exercise, title: job.title, file: job.file, function: job.function, points: 0,
                       maxPoints: maxPoints, status: status, message: message, checks: [])
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
    case SIGXCPU: return ", SIGXCPU: CPU time limit"
    case SIGXFSZ: return ", SIGXFSZ: output or file size limit"
    default: return ""
    }
}
