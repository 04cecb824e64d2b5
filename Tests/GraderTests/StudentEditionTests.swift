import XCTest
import Foundation
import StudentEdition

/// One source of truth: the committed `Labs/` must be what `SolutionStripper` makes of
/// `Solutions/`; and the stripper's markers behave as documented.
final class StudentEditionTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testCommittedLabsMatchTheStrippedSolutions() throws {
        let differences = try StudentEdition.labsDifferences(repository: Self.repository)
        XCTAssertEqual(differences, [], "Labs/ is out of date — run `unetlab strip-solutions` to update:\n"
                       + differences.joined(separator: "\n"))
        let labs = try StudentEdition.labsFiles(repository: Self.repository)
        XCTAssertEqual(Set(labs.keys), ["Deconv2d.swift", "DropBlock.swift", "Exercises.swift", "FocalLoss.swift", "JaccardCoeff.swift",
                                        "ROCAUC.swift", "SlidingWindowPredict.swift", "SpatialAttentionGate.swift",
                                        "UNetShallow.swift", "UpAdd.swift"])
        for (name, source) in labs where name != "Exercises.swift" {
            XCTAssertFalse(source.contains("SOLUTION") || source.contains("// STUB:"), "\(name) still has markers")
            XCTAssertTrue(source.contains("// write your code here"), name)
            XCTAssertTrue(source.contains("throw ExerciseNotImplemented("), name)
            XCTAssertFalse(source.contains("fatalError"), "\(name): stubs must throw, not trap")
        }
    }

    func testStripperRemovesRegionsAndUncommentsStubs() throws {
        let source = """
            /// Doc comment stays.
            func f() throws -> Int {
                // BEGIN SOLUTION
                return 42
                // END SOLUTION
                // STUB: throw Stub(name: "f",
                // STUB:            file: "Labs/F.swift")
            }
            """
        XCTAssertEqual(try SolutionStripper.strip(source, fileName: "F.swift"), """
            /// Doc comment stays.
            func f() throws -> Int {
                // write your code here
                throw Stub(name: "f",
                           file: "Labs/F.swift")
            }
            """)
        XCTAssertEqual(try SolutionStripper.strip("let a = 1\n", fileName: "A.swift"), "let a = 1\n")
    }

    func testMisplacedMarkersAreErrorsWithFileAndLine() {
        let cases: [(String, String)] = [
            ("a\n// END SOLUTION\n", "X.swift:2: // END SOLUTION without a // BEGIN SOLUTION before it"),
            ("// BEGIN SOLUTION\nx\n", "X.swift:1: // BEGIN SOLUTION is never closed by // END SOLUTION"),
            ("// BEGIN SOLUTION\n  // BEGIN SOLUTION\n", "X.swift:2: // BEGIN SOLUTION inside the region begun on line 1"),
            ("// BEGIN SOLUTION\n// STUB: throw E()\n// END SOLUTION", "X.swift:2: // STUB: inside the solution region begun on line 1 (put stubs after // END SOLUTION)"),
            ("// BEGIN SOLUTION here\n", "X.swift:1: a marker must be alone on its line: expected \"// BEGIN SOLUTION\" or \"// END SOLUTION\", got \"// BEGIN SOLUTION here\""),
        ]
        for (source, message) in cases {
            XCTAssertThrowsError(try SolutionStripper.strip(source, fileName: "X.swift"), source) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
    }

    func testStudentEditionRefusesANonEmptyFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("se-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x".utf8).write(to: folder.appendingPathComponent("keep.txt"))
        XCTAssertThrowsError(try StudentEdition.write(repository: Self.repository, to: folder)) { error in
            XCTAssertTrue("\(error)".contains("already exists and is not empty"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("keep.txt"), encoding: .utf8), "x")
    }

    func testSolutionsOnlyPaths() {
        XCTAssertTrue(StudentEdition.isSolutionsOnly("Solutions/UpAdd.swift"))
        XCTAssertTrue(StudentEdition.isSolutionsOnly("Tests/GraderTests/GraderTests.swift"))
        XCTAssertFalse(StudentEdition.isSolutionsOnly("Labs/UpAdd.swift"))
        XCTAssertFalse(StudentEdition.isSolutionsOnly("Tests/LabGraders/LabGraders.swift"))
    }
}

extension StudentEditionTests {
    /// `Package.swift` declares the Solutions-only targets in `solutionsOnly`; their paths must be
    /// exactly what `unetlab student-edition` leaves out.
    func testManifestAndStudentEditionAgreeOnWhatNeedsSolutions() throws {
        let manifest = try String(contentsOf: Self.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let start = try XCTUnwrap(manifest.range(of: "let solutionsOnly"))
        let end = try XCTUnwrap(manifest.range(of: "] : []", range: start.upperBound..<manifest.endIndex))
        let block = manifest[start.upperBound..<end.lowerBound]
        var paths: Set<String> = []
        var rest = block[...]
        while let p = rest.range(of: "path: \"") {
            let close = try XCTUnwrap(rest.range(of: "\"", range: p.upperBound..<rest.endIndex))
            paths.insert(String(rest[p.upperBound..<close.lowerBound]) + "/")
            rest = rest[close.upperBound...]
        }
        XCTAssertEqual(paths, Set(StudentEdition.solutionsOnlyPaths),
                       "Package.swift's solutionsOnly targets vs StudentEdition.solutionsOnlyPaths")
    }
}
