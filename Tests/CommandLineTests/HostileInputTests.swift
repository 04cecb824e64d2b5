import Foundation
import XCTest
import UNetKit
import TestSupport

/// Issue 15 with the release `unetlab` as a child process: every hostile file, option and
/// output folder ends with a clear message and an exit status below 128 (no trap), within
/// bounded memory; an interrupted training leaves the old run or the complete new one.
/// About 20 s in all (tiny networks: width 1–2, 32×32 images).
final class HostileInputTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "unetlab-hostile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        XCTAssert(FileManager.default.isExecutableFile(atPath: ChildProcess.unetlab), "no \(ChildProcess.unetlab)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// The tiny shapes run: UNet of width 1 (3,466 parameters), one epoch of 2 steps on 32×32 images.
    static let tinyTraining = ["train", "--epochs", "1", "--steps", "2", "--batch", "2", "--size", "32", "--base", "1"]

    func trainedWeights() throws -> String {
        let out = directory + "/run"
        let r = try ChildProcess.run(Self.tinyTraining + ["--out", out], in: directory)
        XCTAssertEqual(r.status, 0, r.output)
        return out + "/unet.safetensors"
    }

    func corpus(_ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: hostileCorpusDirectory.path).filter { $0.hasSuffix(suffix) }.sorted()
    }

    // MARK: files

    func testEveryHostileWeightsFileEndsInAClearError() throws {
        for name in try corpus(".safetensors") {
            let path = hostileCorpusDirectory.appendingPathComponent(name).path
            let r = try ChildProcess.run(["predict", "--weights", path, "--out", directory + "/p"], in: directory)
            assertClearFailure(r, status: 1, ["Error: ", name], name)
        }
    }

    func testNetworkSizesFromWeightsAreCheckedBeforeBuilding() throws {
        for (name, phrase) in [("metadata_base_100000.safetensors", "width (base) must be in 1…512, but it is 100000"),
                               ("metadata_base_0.safetensors", "but it is 0"),
                               ("metadata_n_classes_minus1.safetensors", "classes must be in 1…16, but it is -1"),
                               ("inc_weight_100000_wide.safetensors", "inc.conv.conv.0.weight [100000, 1, 1, 1]"),
                               ("vessel_metadata_width_100000.safetensors", "it is 100000")] {
            let r = try ChildProcess.run(["predict", "--weights", hostileCorpusDirectory.appendingPathComponent(name).path,
                                          "--out", directory + "/p"], in: directory)
            assertClearFailure(r, status: 1, [phrase], name)
            XCTAssertLessThan(r.peakMiB, 200, "\(name): \(r.peakMiB) MiB")
        }
    }

    func testNonFiniteWeightsAreRefused() throws {
        let weights = try trainedWeights()
        var file = try SafeTensors.read(URL(fileURLWithPath: weights))
        let i = try XCTUnwrap(file.entries.firstIndex { $0.name == "inc.conv.conv.0.weight" })
        file.entries[i].entry.tensor = try Tensor(shape: file.entries[i].entry.tensor.shape,
                                                  scalars: [.nan] + file.entries[i].entry.tensor.scalars.dropFirst())
        let bad = directory + "/nan.safetensors"
        try SafeTensors.write(file.entries, metadata: file.metadata, to: URL(fileURLWithPath: bad))
        let r = try ChildProcess.run(["predict", "--weights", bad, "--out", directory + "/p"], in: directory)
        assertClearFailure(r, status: 1, ["NaN or infinite values (in inc.conv.conv.0.weight)"], "NaN weights")
    }

    func testWeightsThatAreNoFile() throws {
        let fifo = directory + "/fifo.safetensors"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for (path, phrase) in [(directory!, "it is a folder, expected a safetensors file"),
                               (fifo, "it is a FIFO (named pipe)"), ("/dev/zero", "it is a character device"),
                               (directory + "/absent.safetensors", "no such file")] {
            let r = try ChildProcess.run(["predict", "--weights", path, "--out", directory + "/p"], in: directory, timeout: 20)
            assertClearFailure(r, status: 1, [phrase], path)
        }
    }

    func testHostilePNGsEndInAClearErrorWithLittleMemory() throws {
        let weights = try trainedWeights()
        for name in try corpus(".png") where !name.hasPrefix("valid") {
            let r = try ChildProcess.run(["predict", "--weights", weights, "--image",
                                          hostileCorpusDirectory.appendingPathComponent(name).path, "--out", directory + "/p"],
                                         in: directory)
            assertClearFailure(r, status: 1, ["cannot read PNG", name], name)
            XCTAssertLessThan(r.peakMiB, 150, "\(name): peak RSS \(r.peakMiB) MiB")
        }
        // The valid seeds of the corpus predict.
        for name in ["valid_grey_16x16.png", "valid_rgb_16x16.png"] {
            let r = try ChildProcess.run(["predict", "--weights", weights, "--image",
                                          hostileCorpusDirectory.appendingPathComponent(name).path, "--out", directory + "/p"],
                                         in: directory)
            XCTAssertEqual(r.status, 0, "\(name): \(r.output)")
        }
    }

    // MARK: options

    func testSummaryOfAHugeInputIsComputedFromShapes() throws {
        let r = try ChildProcess.run(["summary", "--size", "4096"], in: directory)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssert(r.stdout.contains("[-1, 64, 4096, 4096]"), r.stdout)
        XCTAssert(r.stdout.contains("Total params: 13,394,242"), r.stdout)
        XCTAssertLessThan(r.peakMiB, 300, "summary --size 4096: peak RSS \(r.peakMiB) MiB")
    }

    func testEveryOptionIsRangeChecked() throws {
        let out = directory + "/never-created"
        let cases: [([String], String)] = [
            (["generate", "--size", "4611686018427387904", "--out", out], "--size must be in 16…4096"),
            (["generate", "--count", "0", "--out", out], "--count must be in 1…10000"),
            (["generate", "--count", "10000", "--size", "4096", "--out", out], "at most 67108864"),
            (["generate", "--sigma", "nan", "--out", out], "--sigma must be"),
            (["generate", "--out", ""], "--out must name a folder, but it is empty"),
            (["train", "--epochs", "9223372036854775807", "--out", out], "--epochs must be in 1…100000"),
            (["train", "--base", "100000", "--out", out], "--base must be in 1…512, but got 100000"),
            (["train", "--base", "0", "--out", out], "--base must be in 1…512, but got 0"),
            (["train", "--lr", "nan", "--out", out], "--lr must be a number in (0, 10], but got nan"),
            (["train", "--lr", "inf", "--out", out], "--lr must be a number in (0, 10], but got inf"),
            (["train", "--size", "100", "--out", out], "--size must be a multiple of 16"),
            (["train", "--model", "nope", "--out", out], "--model must be one of unet, shallow, add"),
            (["train", "--data", "vessels", "--base", "100000", "--out", out], "--width must be in 1…512"),
            (["summary", "--base", "0"], "--base must be in 1…512, but got 0"),
            (["summary", "--base=-1"], "--base must be in 1…512, but got -1"),
            (["summary", "--size", "100"], "--size must be a multiple of 16"),
            (["predict", "--weights", "w", "--count", "0", "--out", out], "--count must be in 1…10000"),
            (["worst", "--weights", "w", "--count", "5", "--keep", "6", "--out", out], "--keep must be in 1…5"),
            (["grade", "--timeout", "nan"], "--timeout must be a number of seconds in (0, 86400], but got nan"),
            (["grade", "--timeout=-1"], "--timeout must be a number of seconds in (0, 86400], but got -1"),
            (["bench", "--size", "0"], "--size must be in 16…1024"),
            (["evaluate", "--weights", "w", "--overlap", "nan", "--out", out], "--overlap must be in [0, 1)"),
        ]
        for (arguments, phrase) in cases {
            let r = try ChildProcess.run(arguments, in: directory)
            assertClearFailure(r, status: 64, [phrase], arguments.joined(separator: " "))
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments): made \(out) before failing")
        }
    }

    func testAnOutputFolderThatIsAFileFailsBeforeAnyWork() throws {
        let file = directory + "/a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        for arguments in [["lab", "--quick", "--out", file], ["lab-advanced", "--quick", "--out", file],
                          ["student-edition", "--out", file],
                          Self.tinyTraining + ["--out", file], ["generate", "--out", file + "/sub"],
                          ["train", "--data", "vessels", "--out", file]] {
            let r = try ChildProcess.run(arguments, in: directory)
            assertClearFailure(r, status: 64, ["exists and is not a folder"], arguments.joined(separator: " "))
            XCTAssertLessThan(r.seconds, 10, "\(arguments): \(r.seconds) s before failing")
        }
    }

    /// Both labs refuse an answers file that is a folder or a device (`/dev/zero` would be read
    /// without end) before any cell runs.
    func testAnAnswersFileThatIsNoRegularFileFailsBeforeAnyWork() throws {
        let out = directory + "/never-created"
        for command in ["lab", "lab-advanced"] {
            for answers in ["/dev/zero", directory!] {
                let arguments = [command, "--quick", "--out", out, "--answers", answers]
                let r = try ChildProcess.run(arguments, in: directory)
                assertClearFailure(r, status: 64, ["--answers \(answers) is not a regular file"], arguments.joined(separator: " "))
                XCTAssertLessThan(r.seconds, 10, "\(arguments): \(r.seconds) s before failing")
                XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments): made \(out) before failing")
            }
        }
    }

    // MARK: interrupted runs

    /// The bytes of every entry of a run folder (hidden files included, except the staging
    /// marker a kill right after the swap may leave).
    func snapshot(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name != ".unetlab-staging" {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return out
    }

    /// A new run into a folder holding an old run, killed (SIGKILL, sometimes SIGTERM) at a
    /// random instant of its write phase: the folder is always exactly the old run or exactly
    /// the new one, and a later run removes what the killed one left.
    func testAnInterruptedWriteLeavesTheOldRunOrTheNewOne() throws {
        let old = directory + "/old", new = directory + "/new"
        XCTAssertEqual(try ChildProcess.run(Self.tinyTraining + ["--seed", "1", "--out", old], in: directory).status, 0)
        XCTAssertEqual(try ChildProcess.run(Self.tinyTraining + ["--seed", "2", "--out", new], in: directory).status, 0)
        let oldRun = try snapshot(old), newRun = try snapshot(new)
        XCTAssertEqual(oldRun.keys.sorted(), ["loss_curve.png", "losses.csv", "prediction_0.png", "prediction_1.png", "unet.safetensors"])
        XCTAssertNotEqual(oldRun["unet.safetensors"], newRun["unet.safetensors"])
        var generator = SeededGenerator(seed: 15)
        var outcomes = ["old": 0, "new": 0]
        for attempt in 0..<16 {
            let folder = directory + "/try\(attempt)"
            try FileManager.default.copyItem(atPath: old, toPath: folder)
            let child = try ChildProcess.start(Self.tinyTraining + ["--seed", "2", "--out", folder], in: directory)
            // The write phase starts after "trained in"; it lasts some tens of milliseconds.
            let deadline = Date().addingTimeInterval(30)
            while !child.currentStdout.contains("trained in") && Date() < deadline { usleep(500) }
            usleep(UInt32.random(in: 0...60_000, using: &generator))
            kill(child.pid, attempt % 4 == 3 ? SIGTERM : SIGKILL)
            _ = ChildProcess.wait(child)
            let now = try snapshot(folder)
            if now == oldRun { outcomes["old"]! += 1 } else if now == newRun { outcomes["new"]! += 1 } else {
                XCTFail("attempt \(attempt): the folder is neither the old run nor the new one: \(now.keys.sorted())")
            }
        }
        XCTAssertEqual(outcomes.values.reduce(0, +), 16, "\(outcomes)")
        print("interrupted writes: \(outcomes["old"]!) left the old run, \(outcomes["new"]!) the new one")
        // What the killed runs left beside their folders (staging folders) goes at the next run.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".staging-") }
        XCTAssertEqual(try ChildProcess.run(Self.tinyTraining + ["--out", directory + "/try0"], in: directory).status, 0)
        let after = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".try0.staging-") }
        XCTAssertEqual(after, [], "left: \(after) (before: \(leftovers))")
    }

    func testLeftoverTemporaryFilesOfDeadProcessesAreRemoved() throws {
        let weights = try trainedWeights()
        let dead = try ChildProcess.start(["--help"], in: directory)
        _ = ChildProcess.wait(dead)
        // A prediction folder: temporary files of a dead process go, those of a live one stay.
        let out = directory + "/predict"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let temporary = out + "/.prediction_1.png.tmp-\(dead.pid)-12345"
        let live = out + "/.prediction_2.png.tmp-\(getpid())-12345"
        try Data(count: 100).write(to: URL(fileURLWithPath: temporary))
        try Data(count: 100).write(to: URL(fileURLWithPath: live))
        let r = try ChildProcess.run(["predict", "--weights", weights, "--size", "32", "--out", out], in: directory)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary), "the dead process's temporary file is still there")
        XCTAssert(FileManager.default.fileExists(atPath: live), "a live process's temporary file must stay")
        // A run folder: the staging folder of a dead run goes; one holding a checkpoint is kept and named.
        let run = directory + "/run"
        let staging = directory + "/.run.staging-\(dead.pid)"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: staging + "/.unetlab-staging"))
        let again = try ChildProcess.run(Self.tinyTraining + ["--out", run], in: directory)
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging), "the dead process's staging folder is still there")
        XCTAssert(again.stdout.contains("removed \(staging)"), again.stdout)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: staging + "/.unetlab-staging"))
        try Data().write(to: URL(fileURLWithPath: staging + "/checkpoint.safetensors"))
        let third = try ChildProcess.run(Self.tinyTraining + ["--out", run], in: directory)
        XCTAssertEqual(third.status, 0, third.output)
        XCTAssert(FileManager.default.fileExists(atPath: staging + "/checkpoint.safetensors"))
        XCTAssert(third.stdout.contains("--resume \(staging)/checkpoint.safetensors"), third.stdout)
    }

    /// Ctrl-C during a vessel training: exit 130, the run after the last whole epoch is saved
    /// (checkpoint included), the message says how to resume, and resuming finishes the run.
    func testSIGINTDuringTrainingSavesACheckpointAndSaysHowToResume() throws {
        let out = directory + "/vessels"
        let options = ["train", "--data", "vessels", "--base", "2", "--size", "64", "--steps", "3", "--batch", "2",
                       "--train-images", "4", "--val-images", "2", "--out", out]
        let child = try ChildProcess.start(options + ["--epochs", "1000"], in: directory)
        let deadline = Date().addingTimeInterval(60)
        while !child.currentStdout.contains("epoch 2/1000") && Date() < deadline { usleep(2_000) }
        kill(child.pid, SIGINT)
        let r = ChildProcess.wait(child)
        XCTAssertFalse(r.signaled, r.output)
        XCTAssertEqual(r.status, 130, r.output)
        XCTAssert(r.stderr.contains("SIGINT (Ctrl-C) during epoch"), r.stderr)
        XCTAssert(r.stderr.contains("--resume \(out)/checkpoint.safetensors"), r.stderr)
        let saved = try SafeTensors.read(URL(fileURLWithPath: out + "/checkpoint.safetensors"))
        let history = try XCTUnwrap(saved.metadata["run.history"])
        let epochs = history.split(separator: "\n").count - 1
        XCTAssertGreaterThanOrEqual(epochs, 2)
        for name in ["best.safetensors", "history.csv", "loss_curves.png", "accuracy_curves.png", "validation_prediction.png"] {
            XCTAssert(FileManager.default.fileExists(atPath: out + "/" + name), name)
        }
        let resumed = try ChildProcess.run(options + ["--epochs", "\(epochs + 1)", "--resume", out + "/checkpoint.safetensors"],
                                           in: directory)
        XCTAssertEqual(resumed.status, 0, resumed.output)
        XCTAssert(resumed.stdout.contains("resumed from"), resumed.stdout)
        XCTAssert(resumed.stdout.contains("epoch \(epochs + 1)/\(epochs + 1)"), resumed.stdout)
    }
}
