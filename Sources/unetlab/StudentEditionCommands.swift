import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab
import StudentEdition

/// `unetlab strip-solutions`: rewrites Labs/ from Solutions/ (solution regions removed, stubs in).
struct StripSolutions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strip-solutions",
        abstract: "Regenerate Labs/ from Solutions/ (instructors: after editing a solution).",
        discussion: """
            Lines between `// BEGIN SOLUTION` and `// END SOLUTION` are replaced by `// write your code here`;
            lines `// STUB: <code>` become `<code>`. Everything else is copied.
            """)

    @Option(help: "The repository (the folder with Package.swift, Solutions/ and Labs/).") var repository = "."

    func run() throws {
        let written = try StudentEdition.writeLabs(repository: URL(fileURLWithPath: repository))
        print("wrote Labs/: " + written.joined(separator: ", "))
    }
}

/// `unetlab student-edition --out DIR`: the repository as students get it.
struct StudentEditionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "student-edition",
        abstract: "Copy the repository (its git-tracked files) without Solutions/ and what needs it.",
        discussion: "Left out: " + StudentEdition.solutionsOnlyPaths.joined(separator: ", ")
            + ". The copy's `make lab`, `make test` and `make grade` use Labs/.")

    @Option(help: "The repository to copy.") var repository = "."
    @Option(help: "The new folder (must not exist, or be empty).") var out: String

    func validate() throws {
        try requireOutputFolder(out)
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: out), !entries.isEmpty {
            throw ValidationError("--out \(out) is a folder with \(entries.count) entries; expected a new or empty folder")
        }
        var info = stat()
        guard stat(repository + "/Package.swift", &info) == 0 else {
            throw ValidationError("--repository \(repository) has no Package.swift; expected the kit's repository")
        }
    }

    func run() throws {
        let count = try StudentEdition.write(repository: URL(fileURLWithPath: repository), to: URL(fileURLWithPath: out))
        print("wrote the student edition to \(out) (\(count) files, without "
              + StudentEdition.solutionsOnlyPaths.joined(separator: ", ") + ")")
    }
}
