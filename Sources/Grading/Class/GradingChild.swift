import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LabExercises

/// The grading child's environment variables, set by the parent (`SubmissionGrader`).
public enum GradingChildEnvironment {
    public static let memoryMB = "UNETLAB_CHILD_MEMORY_MB"
    public static let outputMB = "UNETLAB_CHILD_OUTPUT_MB"
    public static let cpuSeconds = "UNETLAB_CHILD_CPU_SECONDS"
    /// Colon-separated paths the sandbox lets the child read / write; `UNETLAB_CHILD_SANDBOX=1`
    /// makes a failure to sandbox fatal (the parent sets it when the kernel has Landlock).
    public static let readable = "UNETLAB_CHILD_READABLE"
    public static let writable = "UNETLAB_CHILD_WRITABLE"
    public static let sandbox = "UNETLAB_CHILD_SANDBOX"
}

/// The `main` of a grading child (`grade-child <exercise>`, built per submission by
/// `LabsBuilder` from the submission's Labs/): reads the key from descriptor 3, limits and
/// sandboxes itself, then — only then — builds the student's exercise set (`exercises` is
/// an autoclosure: the student's `Labs/Exercises.swift` runs after the key is read), grades the
/// one exercise named in its arguments with the visible and hidden checks, prints the signed
/// result and exits 0. Everything it prints besides that line is the student's or the grader's
/// noise.
public func gradingChildMain(_ exercises: () -> ExerciseSet, hiddenChecks: [String: @Sendable (ExerciseSet) -> [Check]] = [:]) -> Never {
    let key = readKey()
    func fail(_ message: String, _ code: Int32) -> Never {
        FileHandle.standardError.write(Data("grade-child: \(message)\n".utf8))
        exit(code)
    }
    guard key.count == 32 else { fail("expected a 32-byte key on file descriptor 3 (run by `unetlab grade`)", 3) }
    let arguments = CommandLine.arguments
    guard arguments.count == 2, let grader = grader(named: arguments[1]) else {
        fail("usage: grade-child <exercise>, exercise one of " + allGraders.map(\.exercise).joined(separator: ", "), 2)
    }
    let environment = ProcessInfo.processInfo.environment
    let limits = ChildSandbox.Limits(memoryMB: Int(environment[GradingChildEnvironment.memoryMB] ?? "") ?? 4096,
                                     outputMB: Int(environment[GradingChildEnvironment.outputMB] ?? "") ?? 16,
                                     cpuSeconds: Int(environment[GradingChildEnvironment.cpuSeconds] ?? "") ?? 600)
    let failedLimits = ChildSandbox.apply(limits)
    if !failedLimits.isEmpty { fail("could not set the limits: " + failedLimits.joined(separator: ", "), 4) }
    if environment[GradingChildEnvironment.sandbox] == "1" {
        func paths(_ name: String) -> [String] { (environment[name] ?? "").split(separator: ":").map(String.init) }
        do {
            try ChildSandbox.restrict(readable: ChildSandbox.systemFolders + paths(GradingChildEnvironment.readable),
                                      writable: ["/dev/null"] + paths(GradingChildEnvironment.writable))
        } catch { fail("could not sandbox: \(error)", 4) }
    }
    let set = exercises()
    let result = grader.grade(set, hidden: hiddenChecks[grader.exercise].map { $0(set) } ?? [])
    // The student's code may have left its own output unflushed or the descriptor in any state:
    // the signed line is written in one call.
    fflush(nil)
    let line = SignedResultLine.encode(result, key: key) + "\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }
    exit(0)
}

/// Reads the key the parent wrote on descriptor 3 (64 hex digits), then closes the descriptor.
private func readKey() -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 128)
    while bytes.count < 128 {
        let n = buffer.withUnsafeMutableBytes { read(3, $0.baseAddress, 128) }
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    close(3)
    let hex = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard hex.count == 64 else { return [] }
    var key: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        guard let byte = UInt8(hex[index..<next], radix: 16) else { return [] }
        key.append(byte)
        index = next
    }
    return key
}
