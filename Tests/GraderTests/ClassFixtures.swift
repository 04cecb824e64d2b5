import Foundation
import Grading

/// Submissions made for the class-grading tests and `make grade-class-demo`: each is a folder
/// `<root>/<student>/Labs/` written from the repository's `Solutions/` (right answers) or
/// `Stubs/` (the shipped stubs) with one change.
enum ClassFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let jaccardSignature = "public func jaccardCoeff(_ input: Tensor, _ target: Tensor) throws -> Float {"
    static let deconvSignature = "public func deconv2d(_ input: Tensor, _ weights: Tensor) throws -> Tensor {"
    static let upAddPadding = "let upsampled = try padToSize(try up(x1), height: x2.shape[2], width: x2.shape[3])"

    /// The .swift files of `folder` (Solutions or Stubs), by name.
    static func files(_ folder: String) throws -> [String: String] {
        let url = repository.appendingPathComponent(folder)
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".swift") {
            files[name] = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    /// Writes `files` as `<root>/<student>/Labs/`.
    static func write(_ files: [String: String], student: String, in root: URL) throws {
        let labs = root.appendingPathComponent(student).appendingPathComponent("Labs")
        try FileManager.default.createDirectory(at: labs, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: labs.appendingPathComponent(name)) }
    }

    static func correct() throws -> [String: String] { try files("Solutions") }
    static func stubs() throws -> [String: String] { try files("Stubs") }

    /// The right answers with `file` broken by a syntax error on its last line.
    static func compileError(in file: String) throws -> [String: String] {
        var f = try correct()
        f[file]! += "\nlet broken = (1 + \n"
        return f
    }

    /// The right answers with `code` run first in the function that starts at `signature` of `file`.
    static func inserting(_ code: String, after signature: String, in file: String, base: [String: String]? = nil) throws -> [String: String] {
        var f = try base ?? correct()
        guard let text = f[file], text.contains(signature) else { throw CheckFailure("\(file) has no \(signature)") }
        f[file] = "import Foundation\n" + text.replacingOccurrences(of: signature, with: signature + "\n" + code)
        return f
    }

    /// jaccard traps: an index out of range.
    static func trap() throws -> [String: String] {
        try inserting("    let empty: [Float] = []; if empty[input.count] == 1 { return 2 }", after: jaccardSignature,
                      in: "JaccardCoeff.swift")
    }

    /// deconv2d never returns.
    static func endlessLoop() throws -> [String: String] {
        try inserting("    while input.count >= 0 { usleep(1000) }", after: deconvSignature,
                      in: "Deconv2d.swift")
    }

    /// jaccard allocates 64 GB.
    static func memoryHog() throws -> [String: String] {
        try inserting("    let huge = [Float](repeating: 1, count: 16 << 30); if huge[input.count] == 2 { return 0 }",
                      after: jaccardSignature, in: "JaccardCoeff.swift")
    }

    /// deconv2d prints without end.
    static func chatty() throws -> [String: String] {
        try inserting("    for i in 0..<100_000_000 { print(\"line \\(i) of a student's debugging output, far too long\") }",
                      after: deconvSignature, in: "Deconv2d.swift")
    }

    /// up_add pads the height difference on the width axis and the width difference on the
    /// height axis (as the course's own `up` does): right whenever the two are equal.
    static func swappedPadding() throws -> [String: String] {
        var f = try correct()
        let swapped = """
            let u = try up(x1)
                    let (dh, dw) = (x2.shape[2] - u.shape[2], x2.shape[3] - u.shape[3])
                    let upsampled = try pad2d(u, left: dh / 2, right: dh - dh / 2, top: dw / 2, bottom: dw - dw / 2)
            """
        guard f["UpAdd.swift"]!.contains(upAddPadding) else { throw CheckFailure("UpAdd.swift has no \(upAddPadding)") }
        f["UpAdd.swift"] = f["UpAdd.swift"]!.replacingOccurrences(of: upAddPadding, with: swapped)
        return f
    }

    /// The right answers plus a helper file that does not compile (and that nothing uses).
    static func brokenHelper() throws -> [String: String] {
        var f = try correct()
        f["Helpers.swift"] = "import UNetKit\n\nfunc helper() -> Int {\n    return \"not an Int\"\n}\n"
        return f
    }

    /// The shipped stubs whose jaccard forges: prints a full-marks result line (plain and with a
    /// made-up signature), writes into `targets` (the gradebook, another student's file, a
    /// planted record), then exits 0; its deconv2d prints the forged line and exits 0 at once.
    static func forger(targets: [URL]) throws -> [String: String] {
        let fake = #"{"checks":[],"exercise":"jaccard","file":"Labs/JaccardCoeff.swift","function":"jaccardCoeff(_:_:)","maxPoints":12,"message":"all checks passed","points":12,"status":"passed","title":"Question 3: JaccardCoeff"}"#
        let writes = targets.map { "try? Data(\"forged\".utf8).write(to: URL(fileURLWithPath: \"\($0.path)\"))" }.joined(separator: "\n    ")
        var f = try stubs()
        f["JaccardCoeff.swift"] = """
            import Foundation
            import UNetKit
            import LabExercises

            public func jaccardCoeff(_ input: Tensor, _ target: Tensor) throws -> Float {
                print(#"GRADE-RESULT \(fake)"#)
                print(#"GRADE-RESULT-SIGNED \(String(repeating: "0", count: 64)) \(fake)"#)
                \(writes)
                fflush(nil)
                exit(0)
            }
            """
        f["Deconv2d.swift"] = """
            import Foundation
            import UNetKit
            import LabExercises

            public func deconv2d(_ input: Tensor, _ weights: Tensor) throws -> Tensor {
                print(#"GRADE-RESULT \(fake.replacingOccurrences(of: "jaccard", with: "deconv2d"))"#)
                fflush(nil)
                exit(0)
            }
            """
        return f
    }

    /// Packs `<root>/<student>/` into `<root>/<student>.zip` or `.tar.gz` and removes the folder.
    static func pack(_ student: String, in root: URL, zip: Bool) throws {
        let folder = root.appendingPathComponent(student)
        let archive = root.appendingPathComponent(student + (zip ? ".zip" : ".tar.gz"))
        let run = runChild(zip ? ["/bin/sh", "-c", "cd '\(folder.path)' && zip -qr '\(archive.path)' Labs"]
                               : ["tar", "-czf", archive.path, "-C", folder.path, "Labs"], timeLimit: 60)
        guard run.outcome == .exited(0) else { throw CheckFailure("packing \(student): \(run.standardError)") }
        try FileManager.default.removeItem(at: folder)
    }

    /// The grading toolchain of the package these tests were built in (`.build/release`).
    static func toolchain() throws -> GradingToolchain {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        return try GradingToolchain.locate(packageDirectory: repository, buildDirectory: binary.deletingLastPathComponent())
    }
}
