import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// A folder the user asked us to write into could not be made.
struct OutputDirectoryError: Error, CustomStringConvertible {
    let description: String
}

/// Creates `path` and its parents (like `mkdir -p`) for the command's output files, or throws
/// an error naming the folder and the system's reason ("Not a directory", "Permission denied").
/// Temporary files left in it by an earlier, interrupted command are removed.
func createOutputDirectory(_ path: String) throws {
    guard !path.isEmpty else { throw OutputDirectoryError(description: "the output folder is empty: expected a folder name") }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        // No trailing slash: stat("file/") fails with ENOTDIR and mkdir then says EEXIST.
        prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
        var info = stat()
        if stat(prefix, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw OutputDirectoryError(description: "cannot create the output folder \(path): "
                                           + "\(prefix) exists and is not a folder")
            }
            continue
        }
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw OutputDirectoryError(description: "cannot create the output folder \(path): "
                                       + String(cString: strerror(errno)))
        }
    }
    guard access(path, W_OK | X_OK) == 0 else {
        throw OutputDirectoryError(description: "cannot write in the output folder \(path): " + String(cString: strerror(errno)))
    }
    removeStaleTemporaryFiles(in: path)
}
