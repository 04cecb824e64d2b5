import XCTest
import Foundation
import Grading
import HiddenChecks

/// `unetlab grade --submissions`: a folder of generated submissions graded end to end through
/// the same code as the command (`ClassGrading`, `SubmissionGrader`, `LabsBuilder`), against
/// the libraries `swift test` just built.
final class ClassGradingTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("class-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func classGrading(_ gradebook: Gradebook, jobs: Int = 2, force: Bool = false, timeLimit: Double = 20) throws -> ClassGrading {
        let builder = try LabsBuilder(toolchain: try ClassFixtures.toolchain(), sharedDirectory: root.appendingPathComponent("scratch/shared"))
        var options = GradingOptions()
        options.timeLimit = timeLimit
        options.limits = ChildSandbox.Limits(memoryMB: 4096, outputMB: 16, cpuSeconds: Int(timeLimit) + 10)
        options.seed = 4242
        options.hiddenChecks = HiddenChecks.checks
        return ClassGrading(grader: SubmissionGrader(builder: builder, options: options), gradebook: gradebook, jobs: jobs,
                            force: force, scratchRoot: root.appendingPathComponent("scratch"))
    }

    /// The row of `student` up to its does_not_compile column (without the seed, time and hash).
    func row(_ csv: String, _ student: String) -> String? {
        csv.split(separator: "\n").first { $0.hasPrefix(student + ",") }
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(2 * allGraders.count + 4).joined(separator: ",") }
    }

    func testAClassOfGeneratedSubmissionsGivesAnExactGradebook() throws {
        let subs = root.appendingPathComponent("submissions"), out = root.appendingPathComponent("grades")
        try FileManager.default.createDirectory(at: subs, withIntermediateDirectories: true)
        let files: [(String, [String: String])] = [
            ("all-correct", try ClassFixtures.correct()),
            ("all-stubs", try ClassFixtures.stubs()),
            ("broken-jaccard", try ClassFixtures.compileError(in: "JaccardCoeff.swift")),
            ("broken-deconv2d", try ClassFixtures.compileError(in: "Deconv2d.swift")),
            ("broken-up_add", try ClassFixtures.compileError(in: "UpAdd.swift")),
            ("broken-unet_shallow", try ClassFixtures.compileError(in: "UNetShallow.swift")),
            ("broken-helper", try ClassFixtures.brokenHelper()),
            ("trap", try ClassFixtures.trap()),
            ("endless-loop", try ClassFixtures.endlessLoop()),
            ("memory-hog", try ClassFixtures.memoryHog()),
            ("chatty", try ClassFixtures.chatty()),
            ("swapped-padding", try ClassFixtures.swappedPadding()),
            ("victim", try ClassFixtures.correct()),
            ("zipped", try ClassFixtures.correct()),
            ("tarred", try ClassFixtures.compileError(in: "UpAdd.swift")),
        ]
        let victimFile = subs.appendingPathComponent("victim/Labs/JaccardCoeff.swift")
        let plantedRecord = out.appendingPathComponent("records/victim.json")
        let forgerFiles = try ClassFixtures.forger(targets: [out.appendingPathComponent("gradebook.csv"), victimFile,
                                                            plantedRecord, subs.appendingPathComponent("forged-student/x")])
        for (student, f) in files + [("forger", forgerFiles)] { try ClassFixtures.write(f, student: student, in: subs) }
        try ClassFixtures.pack("zipped", in: subs, zip: true)
        try ClassFixtures.pack("tarred", in: subs, zip: false)
        let victimBefore = try Data(contentsOf: victimFile)

        let gradebook = try Gradebook(folder: out, exercises: allGraders.map(\.exercise))
        let summary = try classGrading(gradebook).run(try Submission.list(in: subs))
        XCTAssertEqual(summary.graded.count, 16)
        let csv = try String(contentsOf: gradebook.csvURL, encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").first.map(String.init), Gradebook.csvHeader(allGraders.map(\.exercise)))
        // (points, status) where a student differs from the answers they were made from; every
        // other exercise (the advanced lab's too, when it is in allGraders) has full marks when
        // made from Solutions/ and "not implemented" when made from Stubs/.
        let grader = try classGrading(gradebook).grader
        func expectedRow(fromStubs: Bool = false, _ changes: [String: (Double, GradeStatus)] = [:], noCompile: String = "") -> String {
            let cells: [(Double, GradeStatus)] = allGraders.map { g -> (Double, GradeStatus) in
                if let change = changes[g.exercise] { return change }
                return fromStubs ? (0, GradeStatus.notImplemented) : (grader.maxPoints(g), GradeStatus.passed)
            }
            let total = cells.reduce(0) { $0 + $1.0 }, maxTotal = allGraders.reduce(0) { $0 + grader.maxPoints($1) }
            let points: [String] = cells.map { formatPoints($0.0) }
            let statuses: [String] = cells.map { $0.1.rawValue }
            return (points + [formatPoints(total), formatPoints(maxTotal)] + statuses + [noCompile]).joined(separator: ",")
        }
        let expected: [String: String] = [
            "all-correct": expectedRow(),
            "all-stubs": expectedRow(fromStubs: true),
            "broken-jaccard": expectedRow(["jaccard": (0, .doesNotCompile)], noCompile: "Labs/JaccardCoeff.swift"),
            "broken-deconv2d": expectedRow(["deconv2d": (0, .doesNotCompile)], noCompile: "Labs/Deconv2d.swift"),
            "broken-up_add": expectedRow(["up_add": (0, .doesNotCompile)], noCompile: "Labs/UpAdd.swift"),
            "broken-unet_shallow": expectedRow(["unet_shallow": (0, .doesNotCompile)], noCompile: "Labs/UNetShallow.swift"),
            "broken-helper": expectedRow(noCompile: "Labs/Helpers.swift"),
            "trap": expectedRow(["jaccard": (0, .crashed)]),
            "endless-loop": expectedRow(["deconv2d": (0, .timedOut)]),
            "memory-hog": expectedRow(["jaccard": (0, .crashed)]),
            "chatty": expectedRow(["deconv2d": (0, .crashed)]),
            // Shapes 2 and parity 4 (equal differences); not the unequal padding, not the hidden one-axis padding.
            "swapped-padding": expectedRow(["up_add": (6, .partial)]),
            "victim": expectedRow(),
            "zipped": expectedRow(),
            "tarred": expectedRow(["up_add": (0, .doesNotCompile)], noCompile: "Labs/UpAdd.swift"),
            "forger": expectedRow(fromStubs: true, ["jaccard": (0, .crashed), "deconv2d": (0, .crashed)]),
        ]
        let full = allGraders.map { HiddenChecks.checks[$0.exercise] == nil ? 10 : 12 }
        XCTAssertEqual(full, Array(repeating: 12, count: allGraders.count), "every exercise has 2 hidden points")
        let fullTotal = full.reduce(0, +)
        let fullRow: String = full.map(String.init).joined(separator: ",") + ",\(fullTotal),\(fullTotal)"
            + String(repeating: ",passed", count: allGraders.count) + ","
        XCTAssertEqual(expected["all-correct"], fullRow, "each exercise is worth 10 + 2 hidden points")
        for (student, rest) in expected {
            XCTAssertEqual(row(csv, student), student + "," + rest, "\(student) in\n\(csv)")
        }
        XCTAssertEqual(csv.split(separator: "\n").count, 17, csv)

        // The forger earned nothing and changed nothing outside its own work folder.
        let forger = try XCTUnwrap(gradebook.record(of: "forger"))
        XCTAssertGreaterThanOrEqual(forger.forgedLines, 3, "the plain and the falsely signed lines are counted")
        let forgedJaccard = try XCTUnwrap(forger.results.first { $0.exercise == "jaccard" })
        XCTAssertTrue(forgedJaccard.message.contains("before the grader reported"), forgedJaccard.message)
        if ChildSandbox.landlockVersion >= 1 {
            XCTAssertTrue(forger.sandboxed)
            XCTAssertEqual(try Data(contentsOf: victimFile), victimBefore, "the forger wrote into another student's folder")
            XCTAssertFalse(FileManager.default.fileExists(atPath: subs.appendingPathComponent("forged-student").path))
            XCTAssertNotNil(gradebook.record(of: "victim"), "the victim's record is the grader's")
        }
        let feedback = try String(contentsOf: out.appendingPathComponent("feedback/forger.md"), encoding: .utf8)
        XCTAssertTrue(feedback.contains("that the grader did not write"), feedback)

        // Messages the student can act on.
        let broken = try XCTUnwrap(gradebook.record(of: "broken-up_add"))
        XCTAssertEqual(broken.compileProblems.map(\.file), ["Labs/UpAdd.swift"])
        XCTAssertTrue(broken.compileProblems[0].firstError.hasPrefix("Labs/UpAdd.swift:"), broken.compileProblems[0].firstError)
        let brokenUpAdd = try XCTUnwrap(broken.results.first { $0.exercise == "up_add" })
        XCTAssertTrue(brokenUpAdd.message.contains("graded as the shipped stub"), brokenUpAdd.message)
        let helper = try XCTUnwrap(gradebook.record(of: "broken-helper"))
        XCTAssertEqual(helper.compileProblems.first?.replacedByStub, false)
        XCTAssertTrue(helper.compileProblems.first?.firstError.contains("Labs/Helpers.swift:4: error:") ?? false,
                      "\(helper.compileProblems)")
        let trap = try XCTUnwrap(gradebook.record(of: "trap"))
        XCTAssertTrue(trap.results.first { $0.exercise == "jaccard" }?.message.contains("crashed") ?? false, "\(trap.results)")
        let loop = try XCTUnwrap(gradebook.record(of: "endless-loop"))
        let looping = try XCTUnwrap(loop.results.first { $0.exercise == "deconv2d" })
        XCTAssertTrue(looping.message.contains("did not finish within 20 s"), looping.message)
        let chatty = try XCTUnwrap(gradebook.record(of: "chatty"))
        let printing = try XCTUnwrap(chatty.results.first { $0.exercise == "deconv2d" })
        XCTAssertTrue(printing.message.contains("more than 16 MB"), printing.message)
        let swapped = try XCTUnwrap(gradebook.record(of: "swapped-padding"))
        let swappedUpAdd = try XCTUnwrap(swapped.results.first { $0.exercise == "up_add" })
        XCTAssertTrue(swappedUpAdd.message.contains("fixed, unequal padding"), swappedUpAdd.message)
        for student in expected.keys {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("feedback/\(student).md").path), student)
        }
        let perStudent = summary.records.reduce(0) { $0 + $1.seconds } / Double(summary.records.count)
        print(String(format: "class of %d graded in %.1f s wall (2 jobs), %.1f s per student", summary.records.count,
                     summary.wallSeconds, perStudent))
    }

    func testAReRunSkipsUnchangedStudentsAndRegradesChangedOrPlanted() throws {
        let subs = root.appendingPathComponent("submissions"), out = root.appendingPathComponent("grades")
        try ClassFixtures.write(try ClassFixtures.correct(), student: "ann", in: subs)
        try ClassFixtures.write(try ClassFixtures.stubs(), student: "ben", in: subs)
        let gradebook = try Gradebook(folder: out, exercises: allGraders.map(\.exercise))
        let first = try classGrading(gradebook).run(try Submission.list(in: subs))
        XCTAssertEqual(first.graded.sorted(), ["ann", "ben"])
        let again = try classGrading(gradebook).run(try Submission.list(in: subs))
        XCTAssertEqual(again.graded, [])
        XCTAssertEqual(again.skipped.sorted(), ["ann", "ben"])
        XCTAssertEqual(again.records.map(\.total), [again.records[0].maxTotal, 0])

        // ben hands in the answers; a planted record for ann (no valid signature) is not believed.
        try ClassFixtures.write(try ClassFixtures.correct(), student: "ben", in: subs)
        let record = out.appendingPathComponent("records/ann.json")
        let text = try String(contentsOf: record, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"points\" : 12", with: "\"points\" : 11").utf8).write(to: record)
        XCTAssertNil(gradebook.record(of: "ann"))
        let third = try classGrading(gradebook).run(try Submission.list(in: subs))
        XCTAssertEqual(third.graded.sorted(), ["ann", "ben"])
        XCTAssertEqual(third.records.map(\.total), third.records.map(\.maxTotal))
        let forced = try classGrading(gradebook, force: true).run(try Submission.list(in: subs))
        XCTAssertEqual(forced.graded.sorted(), ["ann", "ben"])
    }

    func testShardsSplitTheClassAndTheirGradebooksMerge() throws {
        let students = (1...7).map { "s\($0)" }
        let shards = (1...3).map { Shard(index: $0, count: 3).select(students) }
        XCTAssertEqual(shards, [["s1", "s4", "s7"], ["s2", "s5"], ["s3", "s6"]])
        XCTAssertEqual(Set(shards.joined()), Set(students))
        XCTAssertThrowsError(try Shard(parsing: "4/3"))
        XCTAssertThrowsError(try Shard(parsing: "0/2"))
        XCTAssertEqual(try Shard(parsing: "2/5"), Shard(index: 2, count: 5))

        let header = Gradebook.csvHeader(["a", "b"])
        let a = root.appendingPathComponent("a.csv"), b = root.appendingPathComponent("b.csv")
        try Data("\(header)\nzoe,1,2\nann,3,4\n".utf8).write(to: a)
        try Data("\(header)\nmax,5,6\n".utf8).write(to: b)
        XCTAssertEqual(try Gradebook.merge([a, b]), "\(header)\nann,3,4\nmax,5,6\nzoe,1,2\n")
        XCTAssertThrowsError(try Gradebook.merge([a, a])) { XCTAssertTrue("\($0)".contains("student zoe is in both"), "\($0)") }
        try Data("student,other\n".utf8).write(to: b)
        XCTAssertThrowsError(try Gradebook.merge([a, b])) { XCTAssertTrue("\($0)".contains("other columns"), "\($0)") }
        // Files that are no gradebook are refused before they are read.
        XCTAssertThrowsError(try Gradebook.merge([a, URL(fileURLWithPath: "/dev/zero")])) {
            XCTAssertTrue("\($0)".contains("/dev/zero: it is a character device, expected a gradebook.csv"), "\($0)")
        }
        XCTAssertThrowsError(try Gradebook.merge([a, root])) { XCTAssertTrue("\($0)".contains("it is a folder"), "\($0)") }
        try Data([0xEF, 0xBB, 0xBF] + Array("\(header)\nmax,5,6\n".utf8)).write(to: b)   // saved as Excel's "CSV UTF-8"
        XCTAssertEqual(try Gradebook.merge([a, b]), "\(header)\nann,3,4\nmax,5,6\nzoe,1,2\n")
        try Data([0x73, 0x74, 0xFF, 0x0A]).write(to: b)
        XCTAssertThrowsError(try Gradebook.merge([a, b])) { XCTAssertTrue("\($0)".contains("UTF-8 text"), "\($0)") }
    }

    func testArchivesThatLeaveTheirFolderAreRejected() throws {
        let cases: [(String, String)] = [
            ("traversal.zip", "import zipfile; z = zipfile.ZipFile(OUT, 'w'); z.writestr('Labs/../../evil.swift', 'x'); z.close()"),
            ("absolute.zip", "import zipfile; z = zipfile.ZipFile(OUT, 'w'); z.writestr('/tmp/evil.swift', 'x'); z.close()"),
            ("link.tar.gz", "import tarfile, io; t = tarfile.open(OUT, 'w:gz'); i = tarfile.TarInfo('Labs/JaccardCoeff.swift'); "
                + "i.type = tarfile.SYMTYPE; i.linkname = '/etc/passwd'; t.addfile(i); t.close()"),
            ("traversal.tar.gz", "import tarfile, io; t = tarfile.open(OUT, 'w:gz'); i = tarfile.TarInfo('../evil.swift'); "
                + "i.size = 1; t.addfile(i, io.BytesIO(b'x')); t.close()"),
        ]
        for (name, script) in cases {
            let archive = root.appendingPathComponent(name)
            let run = runChild(["python3", "-c", "OUT = '\(archive.path)'; " + script], timeLimit: 60)
            XCTAssertEqual(run.outcome, .exited(0), run.standardError)
            let into = root.appendingPathComponent("unpacked-\(name)")
            XCTAssertThrowsError(try SubmissionArchive.unpack(archive, into: into), name) { error in
                XCTAssertTrue("\(error)".contains("inside the archive's folder") || "\(error)".contains("links are not accepted"),
                              "\(name): \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("evil.swift").path))
        }
        // A symbolic link in a submission folder is never followed.
        try ClassFixtures.write(["Exercises.swift": "x"], student: "linker", in: root)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("linker/Labs/Secret.swift").path,
                                                   withDestinationPath: "/etc/passwd")
        let submission = Submission(student: "linker", location: root.appendingPathComponent("linker"), isArchive: false)
        let copy = root.appendingPathComponent("copy")
        _ = try submission.copyLabs(to: copy, unpackDirectory: root.appendingPathComponent("u"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy.path), ["Exercises.swift"])
    }

    func testResultLinesAreSignedAndForgeriesCounted() throws {
        // RFC 4231, test cases 1 and 2.
        XCTAssertEqual(HMACSHA256.hex(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)),
                       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        XCTAssertEqual(HMACSHA256.hex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let result = GradeResult(exercise: "jaccard", title: "t", file: "f", function: "g", points: 3, maxPoints: 12,
                                 status: .partial, message: "m", checks: [])
        let key = freshGradingKey(), other = freshGradingKey()
        let line = SignedResultLine.encode(result, key: key)
        let full = SignedResultLine.encode(GradeResult(exercise: "jaccard", title: "t", file: "f", function: "g", points: 12,
                                                       maxPoints: 12, status: .passed, message: "m", checks: []), key: other)
        let decoded = SignedResultLine.decode(from: "noise\n\(full)\n\(GradeLine.encode(result))\n\(line)\n", exercise: "jaccard", key: key)
        XCTAssertEqual(decoded.result?.points, 3)
        XCTAssertEqual(decoded.forged, 2)
        XCTAssertNil(SignedResultLine.decode(from: line, exercise: "deconv2d", key: key).result, "bound to its exercise")
    }
}

/// `make grade-class-demo`: a class of 20 generated submissions graded end to end, with the
/// wall time and the time per student printed. Skipped unless UNETLAB_CLASS_DEMO=1.
final class ClassGradingDemo: XCTestCase {
    func testGradeAClassOfTwenty() throws {
        guard ProcessInfo.processInfo.environment["UNETLAB_CLASS_DEMO"] == "1" else {
            throw XCTSkip("set UNETLAB_CLASS_DEMO=1 (make grade-class-demo)")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("class-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let subs = root.appendingPathComponent("submissions")
        let kinds: [(String, () throws -> [String: String])] = [
            ("correct", ClassFixtures.correct), ("stubs", ClassFixtures.stubs),
            ("broken-up_add", { try ClassFixtures.compileError(in: "UpAdd.swift") }),
            ("broken-jaccard", { try ClassFixtures.compileError(in: "JaccardCoeff.swift") }),
            ("swapped-padding", ClassFixtures.swappedPadding), ("trap", ClassFixtures.trap),
            ("helper", ClassFixtures.brokenHelper),
        ]
        for i in 0..<20 {
            let (kind, make) = i < 10 ? kinds[0] : kinds[1 + (i - 10) % (kinds.count - 1)]
            try ClassFixtures.write(try make(), student: String(format: "student%02d-%@", i + 1, kind), in: subs)
        }
        try ClassFixtures.pack("student01-correct", in: subs, zip: true)
        let out = ProcessInfo.processInfo.environment["UNETLAB_CLASS_DEMO_OUT"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent("grades")
        let builder = try LabsBuilder(toolchain: try ClassFixtures.toolchain(), sharedDirectory: root.appendingPathComponent("scratch/shared"))
        var options = GradingOptions()
        options.hiddenChecks = HiddenChecks.checks
        let gradebook = try Gradebook(folder: out, exercises: allGraders.map(\.exercise))
        let run = ClassGrading(grader: SubmissionGrader(builder: builder, options: options), gradebook: gradebook, jobs: 2,
                               force: true, scratchRoot: root.appendingPathComponent("scratch"))
        let summary = try run.run(try Submission.list(in: subs)) { record, _ in
            print(String(format: "  %@: %@/%@ in %.1f s (build %.1f s)", record.student, formatPoints(record.total),
                         formatPoints(record.maxTotal), record.seconds, record.buildSeconds))
        }
        XCTAssertEqual(summary.records.count, 20)
        XCTAssertEqual(summary.records.filter { $0.total == $0.maxTotal }.count, 11, "10 correct (one zipped) and 1 with a broken helper")
        let perStudent = summary.records.reduce(0) { $0 + $1.seconds } / 20
        print(try String(contentsOf: gradebook.csvURL, encoding: .utf8))
        print(String(format: "class of 20 graded in %.1f s wall with 2 jobs on %d cores: %.1f s per student "
                     + "(build + grading), %.1f s of wall time per student", summary.wallSeconds,
                     ProcessInfo.processInfo.activeProcessorCount, perStudent, summary.wallSeconds / 20))
    }
}
