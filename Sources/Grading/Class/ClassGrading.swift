import Foundation

/// `--shard i/n`: the i-th of n disjoint slices of a class (students in name order, every n-th
/// from the i-th), so a CI matrix or a job array can split a class; `unetlab merge-gradebooks`
/// joins the slices' gradebooks.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// Parses "i/n" with 1 ≤ i ≤ n.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            throw CheckFailure("--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/4), got \"\(text)\"")
        }
        self.init(index: i, count: n)
    }

    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    public var description: String { "\(index)/\(count)" }
}

/// Grades a folder of submissions into a gradebook, `jobs` students at a time. A student whose
/// stored record matches their files (same SHA-256) is skipped unless `force`. Each finished
/// student's record, feedback and the gradebook are written at once, so an interrupted run
/// keeps what it finished.
public struct ClassGrading {
    public var grader: SubmissionGrader
    public var gradebook: Gradebook
    public var jobs: Int
    public var force: Bool
    public var scratchRoot: URL

    public init(grader: SubmissionGrader, gradebook: Gradebook, jobs: Int, force: Bool, scratchRoot: URL) {
        self.grader = grader; self.gradebook = gradebook; self.jobs = max(1, jobs); self.force = force
        self.scratchRoot = scratchRoot
    }

    public struct Summary: Sendable {
        public var graded: [String]
        public var skipped: [String]
        public var records: [SubmissionRecord]
        public var wallSeconds: Double
    }

    /// Grades `submissions`; `progress` is called (from worker threads, one at a time) per student.
    public func run(_ submissions: [Submission], progress: @escaping @Sendable (SubmissionRecord, Bool) -> Void = { _, _ in }) throws -> Summary {
        let start = Date()
        var toGrade: [Submission] = []
        var skipped: [String] = []
        for s in submissions {
            if !force, let old = gradebook.record(of: s.student), let hash = try? currentHash(s), hash == old.submissionSHA256 {
                skipped.append(s.student)
                progress(old, true)
            } else {
                toGrade.append(s)
            }
        }
        let state = WorkQueue(toGrade)
        let students = submissions.map(\.student)
        let (grader, gradebook, scratchRoot) = (self.grader, self.gradebook, self.scratchRoot)
        let threads = (0..<min(jobs, max(toGrade.count, 1))).map { _ in
            Thread {
                while let submission = state.next() {
                    let record = grader.grade(submission, scratch: scratchRoot.appendingPathComponent(submission.student))
                    state.finish {
                        do { try gradebook.save(record); try gradebook.writeCSV(students: students) }
                        catch { state.error = error }
                        progress(record, false)
                    }
                }
                state.threadDone()
            }
        }
        threads.forEach { $0.stackSize = 8 << 20; $0.start() }
        state.waitForThreads(threads.count)
        if let error = state.error { throw error }
        let records = try gradebook.writeCSV(students: students)
        return Summary(graded: toGrade.map(\.student), skipped: skipped, records: records,
                       wallSeconds: Date().timeIntervalSince(start))
    }

    /// The SHA-256 a submission would be recorded with (unpacks an archive into scratch).
    func currentHash(_ s: Submission) throws -> String {
        let folder = scratchRoot.appendingPathComponent(".hash-\(s.student)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try s.copyLabs(to: folder.appendingPathComponent("Labs"), unpackDirectory: folder.appendingPathComponent("unpacked"))
    }
}

/// The students still to grade, handed to the worker threads one at a time.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSCondition()
    private var pending: [Submission]
    private var done = 0
    var error: (any Error)?

    init(_ items: [Submission]) { pending = items.reversed() }

    func next() -> Submission? { lock.lock(); defer { lock.unlock() }; return pending.popLast() }

    func finish(_ body: () -> Void) { lock.lock(); body(); lock.unlock() }

    func threadDone() { lock.lock(); done += 1; lock.signal(); lock.unlock() }

    func waitForThreads(_ count: Int) {
        lock.lock()
        while done < count { lock.wait() }
        lock.unlock()
    }
}
