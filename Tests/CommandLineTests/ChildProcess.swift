import Foundation
import XCTest

/// The release `unetlab` run as a child process (`posix_spawn`), with its exit status, its
/// output and its peak resident memory.
///
/// The peak is the child's own `VmHWM` (/proc/<pid>/status), read while it runs, not
/// `wait4`'s `ru_maxrss`: Linux records the old address space's high-water mark at `exec`, and a
/// `posix_spawn`ed child execs from the parent's (vfork), so `ru_maxrss` is never below the
/// test process's own peak (343 MiB once every test target runs in one xctest process).
///
/// The binary is the one `swift test` built beside this test bundle (`swift test` builds every
/// product, so `.build/<triple>/release/unetlab` is there), found from /proc/self/exe.
struct ChildResult {
    /// The exit code, or 128 + the signal that ended the child (as a shell reports it).
    var status: Int32
    var signaled: Bool
    var stdout: String
    var stderr: String
    /// Peak resident set size in MiB (the largest `VmHWM` seen while the child ran).
    var peakMiB: Double
    var seconds: Double
    var output: String { stdout + stderr }
}

enum ChildProcess {
    /// `unetlab` beside the test binary.
    static var unetlab: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("unetlab").path
    }

    /// A started child: its pid and where its output goes.
    struct Running {
        var pid: pid_t
        var stdoutPath: String
        var stderrPath: String
        var start: Date
        var currentStdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    }

    static func start(_ arguments: [String], in directory: String) throws -> Running {
        let stdoutPath = directory + "/.child-\(UInt32.random(in: 0...UInt32.max)).out"
        let stderrPath = stdoutPath + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([unetlab] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, unetlab, &actions, nil, argv, environ)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot start \(unetlab)"]) }
        return Running(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath, start: Date())
    }

    /// Waits for the child (killing it after `timeout` seconds) and collects its results.
    static func wait(_ child: Running, timeout: Double = 60) -> ChildResult {
        var status: Int32 = 0
        var usage = rusage()
        var peakKiB = 0
        while true {
            peakKiB = max(peakKiB, highWaterMarkKiB(child.pid) ?? 0)
            let r = wait4(child.pid, &status, WNOHANG, &usage)
            if r == child.pid { break }
            if r < 0 && errno != EINTR { break }
            if Date().timeIntervalSince(child.start) > timeout { kill(child.pid, SIGKILL) }
            usleep(2_000)
        }
        let seconds = Date().timeIntervalSince(child.start)
        let read = { (p: String) in (try? String(contentsOfFile: p, encoding: .utf8)) ?? "" }
        let out = read(child.stdoutPath), err = read(child.stderrPath)
        unlink(child.stdoutPath)
        unlink(child.stderrPath)
        let termSig = status & 0x7F
        let signaled = termSig != 0 && termSig != 0x7F
        let code = signaled ? 128 + termSig : (status >> 8) & 0xFF
        return ChildResult(status: code, signaled: signaled, stdout: out, stderr: err,
                           peakMiB: Double(peakKiB) / 1024, seconds: seconds)
    }

    /// `VmHWM` of a running process in KiB (nil once it has exited).
    static func highWaterMarkKiB(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    static func run(_ arguments: [String], in directory: String, timeout: Double = 60) throws -> ChildResult {
        wait(try start(arguments, in: directory), timeout: timeout)
    }
}

/// Asserts the child ended by itself (no trap, no signal) with `status`, and that its output
/// holds every one of `phrases` and no Foundation error domain.
func assertClearFailure(_ r: ChildResult, status expected: Int32, _ phrases: [String], _ what: String,
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(r.signaled, "\(what): the child died of a signal (\(r.status)):\n\(r.output)", file: file, line: line)
    XCTAssertLessThan(r.status, 128, "\(what): exit \(r.status)", file: file, line: line)
    XCTAssertEqual(r.status, expected, "\(what): exit \(r.status):\n\(r.output)", file: file, line: line)
    for phrase in phrases {
        XCTAssert(r.stderr.contains(phrase), "\(what): the message lacks \"\(phrase)\":\n\(r.stderr)", file: file, line: line)
    }
    for bad in ["NSCocoaErrorDomain", "Fatal error", "error 256", "Backtrace"] {
        XCTAssertFalse(r.output.contains(bad), "\(what): \"\(bad)\" in:\n\(r.output)", file: file, line: line)
    }
}
