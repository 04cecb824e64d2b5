import Foundation

/// A file of the submission that did not compile, and what was done about it.
public struct CompileProblem: Codable, Sendable, Equatable {
    /// "Labs/UpAdd.swift".
    public var file: String
    /// The compiler's first error in it: "Labs/UpAdd.swift:12: error: cannot find 'x2' in scope".
    public var firstError: String
    /// True: replaced by its shipped stub; false: a helper file without a stub, left out.
    public var replacedByStub: Bool
}

/// Builds a grading child from one submission's `Labs/` (in its scratch folder): compiles the
/// files as the module `Labs` against the prebuilt libraries, and — when that fails — isolates
/// the files that do not compile: each is replaced by its shipped stub (`Stubs/<name>`), or left
/// out when it has none (a helper the student added), until the rest compiles. Then compiles
/// the child's `main.swift` (`gradingChildMain`) and links it with the libraries' objects.
public struct LabsBuilder: Sendable {
    public var toolchain: GradingToolchain
    /// Folders shared by every submission of a run: the restricted module folder (only the
    /// modules Labs may import: a submission cannot `import Grading`) and the module cache.
    public var sharedDirectory: URL

    public init(toolchain: GradingToolchain, sharedDirectory: URL) throws {
        self.toolchain = toolchain
        self.sharedDirectory = sharedDirectory
        let fm = FileManager.default
        let labsModules = sharedDirectory.appendingPathComponent("labs-imports")
        try fm.createDirectory(at: labsModules, withIntermediateDirectories: true)
        for module in GradingToolchain.labsImports {
            let link = labsModules.appendingPathComponent(module + ".swiftmodule")
            if (try? fm.destinationOfSymbolicLink(atPath: link.path)) == nil {
                try fm.createSymbolicLink(at: link, withDestinationURL: toolchain.buildDirectory
                    .appendingPathComponent("Modules/\(module).swiftmodule"))
            }
        }
        try fm.createDirectory(at: sharedDirectory.appendingPathComponent("module-cache"), withIntermediateDirectories: true)
    }

    var labsImportsDirectory: URL { sharedDirectory.appendingPathComponent("labs-imports") }
    var moduleCache: URL { sharedDirectory.appendingPathComponent("module-cache") }

    public struct Build: Sendable {
        /// The grading child, or nil when not even the stubs compiled with what was left.
        public var child: URL?
        public var problems: [CompileProblem]
        /// When `child` is nil: why.
        public var failure: String?
        public var seconds: Double
    }

    /// Builds `labs` (a folder of .swift files, relative paths kept) into `buildDirectory`.
    /// The files in `labs` are changed: stubs replace the broken ones.
    public func build(labs: URL, into buildDirectory: URL, timeLimit: Double = 600) -> Build {
        let start = Date()
        let fm = FileManager.default
        try? fm.createDirectory(at: buildDirectory, withIntermediateDirectories: true)
        var problems: [CompileProblem] = []
        let stubs = Dictionary(uniqueKeysWithValues: ((try? fm.contentsOfDirectory(atPath: toolchain.stubsDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".swift") }.map { ($0, toolchain.stubsDirectory.appendingPathComponent($0)) })
        // Every stub file must be present (a submission that deleted Exercises.swift gets it back).
        for (name, stub) in stubs where !fm.fileExists(atPath: labs.appendingPathComponent(name).path) {
            try? fm.copyItem(at: stub, to: labs.appendingPathComponent(name))
        }
        var replaced: Set<String> = []
        func finish(_ child: URL?, _ failure: String?) -> Build {
            Build(child: child, problems: problems, failure: failure, seconds: Date().timeIntervalSince(start))
        }
        let maxRounds = swiftFiles(in: labs).count + 2
        for _ in 0..<maxRounds {
            let files = swiftFiles(in: labs)
            let run = compileLabs(files: files.map { labs.appendingPathComponent($0).path }, into: buildDirectory, timeLimit: timeLimit)
            if run.outcome == .exited(0) { break }
            if case .timedOut = run.outcome { return finish(nil, "compiling Labs/ took longer than \(Int(timeLimit)) s") }
            let errors = firstErrors(in: run.standardOutput + "\n" + run.standardError, labs: labs)
            var culprits = errors.keys.filter { !replaced.contains($0) }.sorted()
            var reasons = errors
            if culprits.isEmpty {
                // Only stubs fail: a student's file changed what they rely on (a type or signature).
                // Find the files that break the stubs: each alone among the stubs.
                for file in files where !replaced.contains(file) && stubs[file] != nil {
                    let alone = files.map { name in (name == file || stubs[name] == nil) ? labs.appendingPathComponent(name).path
                                                                                          : stubs[name]!.path }
                    let check = typecheck(alone, timeLimit: timeLimit)
                    if check.outcome != .exited(0) {
                        culprits.append(file)
                        let first = errors.values.sorted().first ?? "does not compile with the other files"
                        reasons[file] = firstErrors(in: check.standardOutput + "\n" + check.standardError, labs: labs)[file]
                            ?? "Labs/\(file) breaks the shipped files: \(first)"
                    }
                }
                if culprits.isEmpty {
                    let first = errors.values.sorted().first ?? lastLines(run.standardError + run.standardOutput)
                    return finish(nil, "Labs/ does not compile even with the shipped stubs: \(first)")
                }
            }
            for file in culprits {
                let target = labs.appendingPathComponent(file)
                try? fm.removeItem(at: target)
                if let stub = stubs[file] { try? fm.copyItem(at: stub, to: target) }
                replaced.insert(file)
                problems.append(CompileProblem(file: "Labs/" + file, firstError: reasons[file] ?? "does not compile",
                                               replacedByStub: stubs[file] != nil))
            }
        }
        guard fm.fileExists(atPath: buildDirectory.appendingPathComponent("Labs.o").path) else {
            return finish(nil, "Labs/ did not compile after replacing \(problems.count) file(s) by their stubs")
        }
        // The child's main, then the link.
        let main = buildDirectory.appendingPathComponent("main.swift")
        let hidden = toolchain.hasHiddenChecks
        let source = "import Grading\nimport Labs\n" + (hidden ? "import HiddenChecks\n" : "")
            + "gradingChildMain({ Labs.exercises }" + (hidden ? ", hiddenChecks: HiddenChecks.checks" : "") + ")\n"
        do { try Data(source.utf8).write(to: main) } catch { return finish(nil, "cannot write \(main.path): \(error)") }
        let mainObject = buildDirectory.appendingPathComponent("main.o")
        let compileMain = runChild([toolchain.swiftc, "-c", main.path, "-o", mainObject.path, "-module-name", "GradeChild",
                                    "-I", buildDirectory.path]
                                   + toolchain.compileFlags(modules: toolchain.buildDirectory.appendingPathComponent("Modules"),
                                                            moduleCache: moduleCache),
                                   timeLimit: timeLimit)
        guard compileMain.outcome == .exited(0) else {
            return finish(nil, "the grading child's main does not compile against Labs/ (is `public let exercises` "
                          + "still in Labs/Exercises.swift?): " + lastLines(compileMain.standardError + compileMain.standardOutput))
        }
        let child = buildDirectory.appendingPathComponent("grade-child")
        var objects: [String] = []
        do { for module in toolchain.linkedModules { objects += try toolchain.objects(of: module) } }
        catch { return finish(nil, "\(error)") }
        let link = runChild([toolchain.swiftc, "-o", child.path, mainObject.path,
                             buildDirectory.appendingPathComponent("Labs.o").path] + objects
                            + ["-Xlinker", "--gc-sections"], timeLimit: timeLimit)
        guard link.outcome == .exited(0) else {
            return finish(nil, "linking the grading child failed: " + lastLines(link.standardError + link.standardOutput))
        }
        return finish(child, nil)
    }

    /// Compiles the Labs module: `Labs.o` and `Labs.swiftmodule` in `directory`.
    func compileLabs(files: [String], into directory: URL, timeLimit: Double) -> ChildRun {
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("Labs.o"))
        return runChild([toolchain.swiftc, "-parse-as-library", "-module-name", "Labs", "-emit-module",
                         "-emit-module-path", directory.appendingPathComponent("Labs.swiftmodule").path,
                         "-c", "-o", directory.appendingPathComponent("Labs.o").path]
                        + toolchain.compileFlags(modules: labsImportsDirectory, moduleCache: moduleCache) + files,
                        timeLimit: timeLimit)
    }

    func typecheck(_ files: [String], timeLimit: Double) -> ChildRun {
        runChild([toolchain.swiftc, "-typecheck", "-parse-as-library", "-module-name", "Labs"]
                 + toolchain.compileFlags(modules: labsImportsDirectory, moduleCache: moduleCache)
                    .filter { $0 != "-O" && $0 != "-whole-module-optimization" } + files,
                 timeLimit: timeLimit)
    }

    /// The first `error:` of each file under `labs`, as "Labs/<file>:<line>: error: …", keyed by
    /// the file's path relative to `labs`.
    func firstErrors(in output: String, labs: URL) -> [String: String] {
        var errors: [String: String] = [:]
        let root = labs.standardizedFileURL.path + "/"
        for line in output.split(separator: "\n") {
            guard let m = line.firstMatch(of: #/^(.+?\.swift):(\d+):(\d+): error: (.*)$/#) else { continue }
            var path = String(m.1)
            if path.hasPrefix(root) { path.removeFirst(root.count) } else if let r = path.range(of: "/Labs/") {
                path = String(path[r.upperBound...])
            } else { continue }
            if errors[path] == nil { errors[path] = "Labs/\(path):\(m.2): error: \(m.4)" }
        }
        return errors
    }
}

/// The .swift files under `folder`, relative paths, sorted (regular files only).
func swiftFiles(in folder: URL) -> [String] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    let root = folder.standardizedFileURL.path + "/"
    var files: [String] = []
    for case let url as URL in walker where url.pathExtension == "swift" {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
        let path = url.standardizedFileURL.path
        files.append(path.hasPrefix(root) ? String(path.dropFirst(root.count)) : url.lastPathComponent)
    }
    return files.sorted()
}

func lastLines(_ text: String, _ count: Int = 3) -> String {
    String(text.split(separator: "\n").suffix(count).joined(separator: " | ").prefix(600))
}
