import Foundation
import UNetKit

/// The output folder of a training run, replaced as a whole: the run writes every file into a
/// staging folder beside it, `<parent>/.<name>.staging-<pid>`, and `commit()` swaps the two
/// folders in one `renameat2(RENAME_EXCHANGE)` — so at every instant the folder holds the old
/// run or the complete new one, whatever kills the process (SIGKILL, power loss after fsync).
///
/// After the swap, entries of the old folder that are not a run's files (a `predict/` folder,
/// notes of the user) are moved into the new one, and the old run is deleted. A process killed
/// in that short step leaves the old folder as `.<name>.staging-<pid>` without the staging
/// marker: it is kept and reported, never deleted.
///
/// At `init`, staging folders of processes that no longer exist are removed — unless they
/// hold a `checkpoint.safetensors` (a vessel run killed during training): those are kept and
/// named in `notes`, so the training can be resumed from them.
public final class RunFolder {
    /// The folder the user asked for.
    public let path: String
    /// Where the run writes until `commit()`.
    public let stagingPath: String
    /// Messages about leftovers of earlier interrupted runs (kept or removed).
    public private(set) var notes: [String] = []
    /// Which names of the old folder belong to a run (replaced by the new run, not carried over).
    let belongsToRun: (String) -> Bool
    private var committed = false

    /// The empty file that marks a staging folder (only folders with it are ever deleted).
    public static let marker = ".unetlab-staging"

    /// Creates the staging folder for `path` (whose parent folder must exist).
    /// - Throws: `FileWriteError` naming the folder and the system's reason.
    public init(_ path: String, belongsToRun: @escaping (String) -> Bool) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.path = url.path
        self.belongsToRun = belongsToRun
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        stagingPath = parent + "/" + Self.stagingPrefix(name) + "\(getpid())"
        var parentInfo = stat()
        guard stat(parent, &parentInfo) == 0, (parentInfo.st_mode & S_IFMT) == S_IFDIR else {
            throw FileWriteError("cannot write the run to \(path): its parent folder \(parent) does not exist")
        }
        removeStaleStagingFolders(parent: parent, name: name)
        if FileManager.default.fileExists(atPath: stagingPath) { try? FileManager.default.removeItem(atPath: stagingPath) }
        guard mkdir(stagingPath, 0o755) == 0 else {
            throw FileWriteError("cannot create the staging folder \(stagingPath) for \(path): \(String(cString: strerror(errno)))")
        }
        try writeFileAtomically([], to: stagingPath + "/" + Self.marker)
    }

    static func stagingPrefix(_ name: String) -> String { ".\(name).staging-" }

    /// A file of the new run (in the staging folder).
    public func url(_ file: String) -> URL { URL(fileURLWithPath: stagingPath + "/" + file) }

    /// Makes the staged run the folder's content, atomically. Returns the names carried over
    /// from the old folder.
    /// - Throws: `FileWriteError` when the swap fails (the old folder is then untouched).
    @discardableResult
    public func commit() throws -> [String] {
        precondition(!committed, "RunFolder.commit() called twice")
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) != S_IFDIR {
            throw FileWriteError("cannot write the run to \(path): it exists and is not a folder")
        }
        if !exists {
            guard rename(stagingPath, path) == 0 else {
                throw FileWriteError("cannot move the run into \(path): \(String(cString: strerror(errno)))")
            }
            unlink(path + "/" + Self.marker)
            committed = true
            return []
        }
        try exchange(stagingPath, path)
        committed = true
        unlink(path + "/" + Self.marker)
        // stagingPath now holds the old run (without a marker: never deleted automatically).
        var carried: [String] = []
        let old = (try? FileManager.default.contentsOfDirectory(atPath: stagingPath)) ?? []
        let new = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        for name in old.sorted() where !belongsToRun(name) && !Self.isTemporary(name) && !new.contains(name) {
            if rename(stagingPath + "/" + name, path + "/" + name) == 0 { carried.append(name) }
        }
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: stagingPath)) ?? [])
            .filter { !belongsToRun($0) && !Self.isTemporary($0) }
        if left.isEmpty {
            try? FileManager.default.removeItem(atPath: stagingPath)
        } else {
            notes.append("the previous run's folder is kept as \(stagingPath) (\(left.count) entries could not be moved back)")
        }
        return carried
    }

    /// Deletes the staging folder (the run is abandoned; the folder keeps the old run).
    public func discard() {
        guard !committed else { return }
        try? FileManager.default.removeItem(atPath: stagingPath)
    }

    /// The files a training run (`TrainingRun`, `VesselTrainingRun`) writes: a new run
    /// replaces them all, whichever kind of run wrote them before.
    public static func isTrainingOutput(_ name: String) -> Bool {
        let fixed: Set<String> = [TrainingRun.lossCurveFile, TrainingRun.lossesFile, VesselTrainingRun.bestWeightsFile,
                                  VesselTrainingRun.checkpointFile, VesselTrainingRun.historyFile,
                                  VesselTrainingRun.lossFigureFile, VesselTrainingRun.accuracyFigureFile,
                                  VesselTrainingRun.predictionFigureFile]
        if fixed.contains(name) || ModelKind.allCases.contains(where: { name == "\($0.rawValue).safetensors" }) { return true }
        if name.hasPrefix("prediction_"), name.hasSuffix(".png"),
           Int(name.dropFirst("prediction_".count).dropLast(".png".count)) != nil { return true }
        return false
    }

    /// Temporary files of interrupted atomic writes, never carried over.
    static func isTemporary(_ name: String) -> Bool {
        name == marker || name.hasPrefix(".dat.nosync") || (name.hasPrefix(".") && name.contains(".tmp-"))
    }

    private func removeStaleStagingFolders(parent: String, name: String) {
        let prefix = Self.stagingPrefix(name)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), !isProcessAlive(pid) else { continue }
            let folder = parent + "/" + entry
            guard FileManager.default.fileExists(atPath: folder + "/" + Self.marker) else {
                notes.append("\(folder) holds a previous run that an interrupted write left behind; it was not deleted")
                continue
            }
            if FileManager.default.fileExists(atPath: folder + "/checkpoint.safetensors") {
                notes.append("an interrupted run left \(folder)/checkpoint.safetensors: resume from it with "
                             + "--resume \(folder)/checkpoint.safetensors, or delete \(folder)")
                continue
            }
            try? FileManager.default.removeItem(atPath: folder)
            notes.append("removed \(folder), left by an interrupted run")
        }
    }
}

/// `renameat2(a, b, RENAME_EXCHANGE)` (Linux ≥ 3.15), looked up at run time because Glibc's
/// module does not export it.
func exchange(_ a: String, _ b: String) throws {
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else {
        throw FileWriteError("cannot replace \(b) atomically: this C library has no renameat2")
    }
    let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
    let exchangeFlag: UInt32 = 2   // RENAME_EXCHANGE
    guard renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0 else {
        throw FileWriteError("cannot replace \(b) with the new run in one step: \(String(cString: strerror(errno)))")
    }
}
