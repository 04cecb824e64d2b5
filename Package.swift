// swift-tools-version:6.0
//
// UNet Lab Kit — a Swift package that teaches semantic segmentation on the CPU: a small
// deep-learning library, segmentation networks, synthetic data, and narrated labs with graded
// exercises. Targets, lowest first (a target imports only targets above it in this list):
//
//   CVectorKernels      the fast paths' per-tile and per-pixel loops in C, one clone per x86-64
//                       level (AVX-512, AVX2, baseline) picked at load time
//   UNetKit             the deep-learning library; knows no course: Tensor, autograd, ops (naive
//                       loops, im2col + BLAS, fast paths), layers, losses, optimisers, metrics,
//                       training loop, safetensors
//   SegmentationModels  networks built from UNetKit: the UNet and its parts
//   SyntheticData       synthetic images with labels (Generator/): the course's shapes
//   Figures             PNG figures through libpng and FreeType: panels, colour maps, line plots
//   Notebook            the notebook engine: cells, console, record, report.html, questions, answers
//   LabExercises        the exercises' signatures (`ExerciseSet`) and the stubs' error
//   Labs, Solutions     the student's exercises / the reference answers (Solutions: instructor's edition only)
//   Experiments         runs from the command line: model catalogue, training, prediction, figures on disk
//   Benchmarks          timing: naive vs BLAS vs Winograd convolution, the train step
//   CourseLab           the course's lab (seed 004) as notebook cells, its questions and appendix
//   AdvancedLab         the advanced lab (seeds 000–003, retinal vessels) as notebook cells and its questions
//   Grading             one grader per exercise (generic over ExerciseSet), child-process runner;
//                       Class/: a submission's Labs/ built alone against the prebuilt libraries
//                       (compile isolation), signed results, sandboxed children, the gradebook
//   HiddenChecks        the instructor's extra checks per exercise (instructor's edition only)
//   GradeCommands       `grade` and `merge-gradebooks`, shared by unetlab and unetlab-grade
//   StudentEdition      the solution stripper and the student edition
//   unetlab             the command-line tool: one file per subcommand
//   unetlab-grade       the grading commands without Labs/ linked in (`make grade`: a Labs/ that
//                       does not compile is still graded, file by file)
//
// System libraries (Debian): libopenblas-dev, libpng-dev, libfreetype-dev — `make` installs them.
import Foundation
import PackageDescription

// The instructor's repository has Solutions/; the student edition (`unetlab student-edition`)
// leaves it out, and with it every target that needs it (see StudentEdition.solutionsOnlyPaths).
let hasSolutions = FileManager.default.fileExists(atPath: Context.packageDirectory + "/Solutions")
let solutionsOnly: [Target] = hasSolutions ? [
    // The instructor's hidden checks (nbgrader's hidden tests): graded in the instructor's
    // edition only; the student edition's `make grade` runs the visible checks and says so.
    .target(name: "HiddenChecks", dependencies: ["Grading", "UNetKit", "SegmentationModels", "SyntheticData", "LabExercises"],
            path: "Sources/HiddenChecks"),
    // The reference answers to the exercises (UNet_shallow, up_add/UNet_add, …).
    .target(name: "Solutions", dependencies: ["UNetKit", "SegmentationModels", "LabExercises"], path: "Solutions"),
    .testTarget(name: "ModelTests",
                dependencies: ["UNetKit", "SegmentationModels", "Solutions", "Experiments", "LabExercises", "TestSupport", "SyntheticData"],
                path: "Tests/ModelTests"),
    // The graders on Solutions (full marks), on the Labs stubs (zero) and on wrong answers.
    .testTarget(name: "GraderTests",
                dependencies: ["Grading", "Labs", "Solutions", "StudentEdition", "UNetKit", "SegmentationModels",
                               "LabExercises", "HiddenChecks"],
                path: "Tests/GraderTests"),
    // The narrated lab end to end (tiny settings) on Solutions and on stubs; report.html.
    .testTarget(name: "LabTests", dependencies: ["CourseLab", "Notebook", "LabExercises", "Labs", "Solutions", "UNetKit", "SegmentationModels"],
                path: "Tests/LabTests"),
    // The advanced lab end to end (tiny settings) on Solutions and on stubs; report.html.
    .testTarget(name: "AdvancedLabTests", dependencies: ["AdvancedLab", "Notebook", "LabExercises", "Labs", "Solutions", "UNetKit", "SyntheticData",
                                   "Experiments", "SegmentationModels"],
                path: "Tests/AdvancedLabTests"),
] : []

let package = Package(
    name: "UNetLabKit",
    products: [
        .library(name: "UNetKit", targets: ["UNetKit"]),
        .library(name: "SegmentationModels", targets: ["SegmentationModels"]),
        .library(name: "SyntheticData", targets: ["SyntheticData"]),
        .library(name: "Figures", targets: ["Figures"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .executable(name: "unetlab", targets: ["unetlab"]),
        .executable(name: "unetlab-grade", targets: ["unetlab-grade"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
                       providers: [.apt(["libfreetype-dev"])]),
        .target(name: "CVectorKernels", path: "Sources/CVectorKernels"),
        .target(name: "UNetKit", dependencies: ["CBLAS", "CMalloc", "CVectorKernels"], path: "Sources/UNetKit",
                exclude: ["Ops/README.md"]),
        .target(name: "SegmentationModels", dependencies: ["UNetKit"], path: "Sources/SegmentationModels"),
        .target(name: "SyntheticData", dependencies: ["UNetKit"], path: "Generator"),
        .target(name: "Figures", dependencies: ["UNetKit", "CPNG", "CFreeType"], path: "Sources/Figures"),
        .target(name: "Notebook", dependencies: ["UNetKit"], path: "Sources/Notebook"),
        .target(name: "LabExercises", dependencies: ["UNetKit", "SegmentationModels", "Notebook"],
                path: "Sources/LabExercises"),
        // The student's exercises: Solutions/ with the answers stripped (stubs that throw).
        .target(name: "Labs", dependencies: ["UNetKit", "SegmentationModels", "LabExercises"], path: "Labs",
                exclude: ["ANSWERS.md", "ANSWERS-advanced.md"]),
        .target(name: "Experiments",
                dependencies: ["UNetKit", "SegmentationModels", "SyntheticData", "Figures", "LabExercises"],
                path: "Sources/Experiments"),
        .target(name: "Benchmarks", dependencies: ["UNetKit", "SegmentationModels", "SyntheticData", "LabExercises", "Experiments"],
                path: "Sources/Benchmarks"),
        .target(name: "CourseLab",
                dependencies: ["UNetKit", "SegmentationModels", "SyntheticData", "Figures", "Notebook", "LabExercises",
                               "Experiments", "Benchmarks"],
                path: "Sources/CourseLab"),
        .target(name: "AdvancedLab",
                dependencies: ["UNetKit", "SegmentationModels", "SyntheticData", "Figures", "Notebook", "LabExercises",
                               "Experiments"],
                path: "Sources/AdvancedLab"),
        // The graders' PyTorch fixtures ship with them (Fixtures/, a SwiftPM resource).
        .target(name: "Grading", dependencies: ["UNetKit", "SegmentationModels", "LabExercises"],
                path: "Sources/Grading", resources: [.copy("Fixtures")]),
        .target(name: "GradeCommands",
                dependencies: ["Grading", "LabExercises", .product(name: "ArgumentParser", package: "swift-argument-parser")]
                    + (hasSolutions ? ["HiddenChecks"] : []),
                path: "Sources/GradeCommands"),
        .executableTarget(name: "unetlab-grade", dependencies: ["GradeCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Sources/unetlab-grade"),
        .target(name: "StudentEdition", path: "Sources/StudentEdition"),
        .executableTarget(
            name: "unetlab",
            dependencies: [
                "UNetKit", "SegmentationModels", "SyntheticData", "Figures", "Notebook", "LabExercises", "Labs",
                "Experiments", "Benchmarks", "CourseLab", "AdvancedLab", "Grading", "GradeCommands", "StudentEdition",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + (hasSolutions ? ["Solutions"] : []),
            path: "Sources/unetlab"),
        .target(name: "TestSupport", dependencies: ["UNetKit"], path: "Tests/TestSupport"),
        .testTarget(name: "UNetKitTests", dependencies: ["UNetKit", "TestSupport"], path: "Tests/UNetKitTests"),
        .testTarget(name: "SegmentationModelsTests", dependencies: ["SegmentationModels", "UNetKit", "TestSupport"],
                    path: "Tests/SegmentationModelsTests"),
        .testTarget(name: "LabExercisesTests", dependencies: ["LabExercises", "UNetKit", "TestSupport"],
                    path: "Tests/LabExercisesTests"),
        .testTarget(name: "SyntheticDataTests", dependencies: ["SyntheticData", "UNetKit", "TestSupport"],
                    path: "Tests/SyntheticDataTests"),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "CPNG", "Experiments", "TestSupport"], path: "Tests/FiguresTests"),
        // The release `unetlab` as a child process on hostile files, options and interruptions.
        .testTarget(name: "CommandLineTests", dependencies: ["UNetKit", "TestSupport"], path: "Tests/CommandLineTests"),
        // The student's graders as XCTest classes, full marks for each exercise of Labs/ (for Xcode
        // and `swift test --filter LabGraders`; `make grade` uses unetlab-grade; `make test` skips
        // them — the shipped stubs fail by design).
        .testTarget(name: "LabGraders", dependencies: ["Grading", "Labs", "UNetKit"], path: "Tests/LabGraders"),
    ] + solutionsOnly,
    swiftLanguageModes: [.v6]
)
