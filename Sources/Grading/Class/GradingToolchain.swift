import Foundation

/// What building a grading child needs, found in a built package (`swift build -c release
/// --product unetlab-grade` makes all of it): the compiler, the libraries' compiled modules and
/// object files (`.build/release/Modules`, `.build/release/<Module>.build/*.o`), the shipped
/// stubs (`Stubs/`), the C module maps and the graders' fixtures. A submission's `Labs/` is
/// compiled alone against these (seconds), not as a fresh SwiftPM build of the package (minutes).
public struct GradingToolchain: Sendable {
    public var swiftc: String
    /// `.build/release` (or the configuration's folder).
    public var buildDirectory: URL
    /// The package: `Stubs/`, `Sources/CBLAS`, `Sources/CMalloc`, `Sources/CVectorKernels/include`.
    public var packageDirectory: URL
    public var fixturesDirectory: URL
    /// The modules the student's Labs may import (Labs' dependencies in Package.swift) and those
    /// the grading child links (the graders and, in the instructor's edition, the hidden checks).
    public static let labsImports = ["UNetKit", "SegmentationModels", "LabExercises", "Notebook"]
    public var linkedModules: [String]

    public var stubsDirectory: URL { packageDirectory.appendingPathComponent("Stubs") }
    public var hasHiddenChecks: Bool { linkedModules.contains("HiddenChecks") }

    /// The toolchain of the package at `packageDirectory` built in `buildDirectory`; throws a
    /// message saying what to build when something is missing.
    public static func locate(packageDirectory: URL, buildDirectory: URL, swiftc: String? = nil) throws -> GradingToolchain {
        let fm = FileManager.default
        let modules = buildDirectory.appendingPathComponent("Modules")
        let required = labsImports + ["Grading"]
        for module in required where !fm.fileExists(atPath: modules.appendingPathComponent(module + ".swiftmodule").path) {
            throw CheckFailure("\(modules.path)/\(module).swiftmodule is missing: build the graders first "
                               + "(`swift build -c release --product unetlab-grade`, or `make grade`)")
        }
        let stubs = packageDirectory.appendingPathComponent("Stubs")
        guard fm.fileExists(atPath: stubs.appendingPathComponent("Exercises.swift").path) else {
            throw CheckFailure("\(stubs.path)/Exercises.swift is missing: the shipped stubs live in Stubs/ "
                               + "(`unetlab strip-solutions` writes them)")
        }
        let hidden = fm.fileExists(atPath: modules.appendingPathComponent("HiddenChecks.swiftmodule").path)
        let compiler = try swiftc ?? findSwiftc()
        return GradingToolchain(swiftc: compiler, buildDirectory: buildDirectory, packageDirectory: packageDirectory,
                                fixturesDirectory: packageDirectory.appendingPathComponent("Sources/Grading/Fixtures"),
                                // The hidden checks compare with SyntheticData's sliding window.
                                linkedModules: required + (hidden ? ["SyntheticData", "HiddenChecks"] : []) + cModules)
    }

    /// The C targets UNetKit is built on whose module maps SwiftPM generates
    /// (`<Module>.build/module.modulemap`) and whose objects the child links (`<Module>.build/*.c.o`).
    public static let cModules = ["CVectorKernels"]

    /// The object files of `module` as SwiftPM last built them (a Swift module's output-file-map
    /// lists them; a C module's are the `.c.o` files beside its module map).
    func objects(of module: String) throws -> [String] {
        if GradingToolchain.cModules.contains(module) {
            let folder = buildDirectory.appendingPathComponent("\(module).build")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            let objects = names.filter { $0.hasSuffix(".c.o") }.sorted().map { folder.appendingPathComponent($0).path }
            guard !objects.isEmpty else {
                throw CheckFailure("\(folder.path) has no object files: build the graders first (`make grade`)")
            }
            return objects
        }
        let map = buildDirectory.appendingPathComponent("\(module).build/output-file-map.json")
        guard let data = try? Data(contentsOf: map),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CheckFailure("\(map.path) is missing or unreadable: build the graders first (`make grade`)")
        }
        return json.compactMap { key, value in
            key.isEmpty ? nil : ((value as? [String: Any])?["object"] as? String)
        }.sorted()
    }

    /// The swiftc flags SwiftPM compiles the package's modules with (release), for `-I modules`.
    func compileFlags(modules: URL, moduleCache: URL) -> [String] {
        ["-O", "-whole-module-optimization", "-swift-version", "6",
         "-I", modules.path, "-module-cache-path", moduleCache.path, "-DSWIFT_PACKAGE",
         "-Xcc", "-fmodule-map-file=" + packageDirectory.appendingPathComponent("Sources/CMalloc/module.modulemap").path,
         "-Xcc", "-fmodule-map-file=" + packageDirectory.appendingPathComponent("Sources/CBLAS/module.modulemap").path]
            + GradingToolchain.cModules.flatMap {
                ["-Xcc", "-fmodule-map-file=" + buildDirectory.appendingPathComponent("\($0).build/module.modulemap").path]
            }
    }

    /// The toolchain's own folder (`…/usr`): the child may read it (the Swift runtime).
    var toolchainRoot: String {
        URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// `swiftc` next to `swift` on PATH.
func findSwiftc() throws -> String {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = "\(folder)/swiftc"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CheckFailure("swiftc is not on PATH: grading compiles each submission's Labs/ with it")
}
