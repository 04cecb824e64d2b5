import Foundation
import XCTest
import Notebook

/// `AnswersFile.load` is the one place a lab reads a file the student wrote: a regular file of
/// bounded size and UTF-8 text, anything else a clear error before anything is read.
final class AnswersFileTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "answers-\(UUID())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private func loadError(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try AnswersFile.load(path: path, template: "", createIfMissing: false)
            XCTFail("\(path) was read as an answers file", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testAFileThatIsNoRegularFileIsRefusedUnread() throws {
        XCTAssert(loadError("/dev/zero").contains("a character device, expected a Markdown answers file"), loadError("/dev/zero"))
        XCTAssert(loadError(directory).contains("a folder"), loadError(directory))
        let fifo = directory + "/fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssert(loadError(fifo).contains("a FIFO (named pipe)"), loadError(fifo))   // no writer: must not block
    }

    func testAFileLargerThanTheLimitIsRefusedUnread() throws {
        let path = directory + "/huge.md"
        XCTAssert(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(truncate(path, off_t(AnswersFile.maximumBytes + 1)), 0)   // sparse: no disk used
        XCTAssert(loadError(path).contains("has \(AnswersFile.maximumBytes + 1) bytes, more than the \(AnswersFile.maximumBytes)"),
                  loadError(path))
    }

    /// A byte-order mark (Notepad, Excel) is not part of the text: the first heading still counts.
    func testALeadingByteOrderMarkIsDropped() throws {
        let path = directory + "/bom.md"
        try Data([0xEF, 0xBB, 0xBF] + Array("## Question 1\n\nGrey.\n".utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try AnswersFile.load(path: path, template: "", createIfMissing: false).answer(to: 1), "Grey.")
    }

    func testBytesThatAreNotUTF8AreRefused() throws {
        let path = directory + "/latin1.md"
        try Data([0x23, 0x23, 0x20, 0xE9, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        XCTAssert(loadError(path).contains("expected UTF-8 text"), loadError(path))
    }

    func testAnAnswersFileAtTheLimitIsRead() throws {
        let path = directory + "/answers.md"
        let answer = "## Question 2\n\nThe circles' Dice.\n"
        let text = answer + String(repeating: " ", count: AnswersFile.maximumBytes - answer.utf8.count)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let file = try AnswersFile.load(path: path, template: "", createIfMissing: false)
        XCTAssertEqual(file.answer(to: 2), "The circles' Dice.")
        XCTAssertFalse(file.created)
    }
}

extension AnswersFileTests {
    /// HTML comments are dropped in one pass: a million of them (7 MB) are not a million passes
    /// over the text. An unclosed one runs to the end of the answer.
    func testCommentsAreRemovedInOnePass() {
        let many = "## Question 1\n\n" + String(repeating: "<!---->", count: 1_000_000) + "kept\n"
        XCTAssertEqual(AnswersFile.parse(many)[1], "kept")
        XCTAssertEqual(AnswersFile.parse("## Question 3\n\na <!-- hidden --> b <!-- open\nc\n")[3], "a  b")
        XCTAssertEqual(AnswersFile.parse("## Question 1\n\nx <!--> y --> z\n")[1], "x  z")   // "<!-->" does not close itself
    }
}
