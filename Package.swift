// swift-tools-version:6.0
//
// UNet Lab Kit — a Swift package that teaches semantic segmentation with a UNet
// trained on synthetic shapes, on the CPU.
//
//   UNetKit         the numerical core: Tensor, ops (naive + BLAS), autograd, layers, SGD
//   ShapeGenerator  the course's synthetic grey-scale shape generator (Generator/)
//   Figures         PNG figures through libpng: image panels, colour maps, line plots
//   Solutions       the reference answers to the lab's exercises (instructor's edition only)
//   Labs            the student's exercises: generated from Solutions/ by `unetlab strip-solutions`
//   Grading         one grader per exercise, generic over ExerciseSet; child-process runner
//   StudentEdition  the solution stripper and `unetlab student-edition`
//   Lab             training runs, prediction and figures on disk (used by unetlab)
//   unetlab         the command-line tool (generate, train, predict, bench-conv, …)
//
// System libraries (Debian): libopenblas-dev, libpng-dev — `make` installs them.
import Foundation
import PackageDescription

// The instructor's repository has Solutions/; the student edition (`unetlab student-edition`)
// leaves it out, and with it every target that needs it (see StudentEdition.solutionsOnlyPaths).
let hasSolutions = FileManager.default.fileExists(atPath: Context.packageDirectory + "/Solutions")
let solutionsOnly: [Target] = hasSolutions ? [
    // The reference answers to the exercises (UNet_shallow, up_add/UNet_add, …).
    .target(name: "Solutions", dependencies: ["UNetKit"], path: "Solutions"),
    .testTarget(name: "ModelTests", dependencies: ["UNetKit", "Solutions", "Lab", "TestSupport"],
                path: "Tests/ModelTests"),
    // The graders on Solutions (full marks), on the Labs stubs (zero) and on wrong answers.
    .testTarget(name: "GraderTests", dependencies: ["Grading", "Labs", "Solutions", "StudentEdition", "UNetKit"],
                path: "Tests/GraderTests"),
    // The narrated lab end to end (tiny settings) on Solutions and on stubs; report.html.
    .testTarget(name: "LabTests", dependencies: ["Lab", "Labs", "Solutions", "UNetKit"], path: "Tests/LabTests"),
] : []

let package = Package(
    name: "UNetLabKit",
    products: [
        .library(name: "UNetKit", targets: ["UNetKit"]),
        .library(name: "ShapeGenerator", targets: ["ShapeGenerator"]),
        .library(name: "Figures", targets: ["Figures"]),
        .executable(name: "unetlab", targets: ["unetlab"]),
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
        .target(name: "UNetKit", dependencies: ["CBLAS", "CMalloc"], path: "Sources/UNetKit"),
        .target(name: "ShapeGenerator", dependencies: ["UNetKit"], path: "Generator"),
        .target(name: "Figures", dependencies: ["CPNG", "CFreeType"], path: "Sources/Figures"),
        // The student's exercises: Solutions/ with the answers stripped (stubs that throw).
        .target(name: "Labs", dependencies: ["UNetKit"], path: "Labs", exclude: ["ANSWERS.md"]),
        .target(name: "Grading", dependencies: ["UNetKit"], path: "Sources/Grading"),
        .target(name: "StudentEdition", path: "Sources/StudentEdition"),
        // The lab's glue: model catalogue, training runs, prediction, figures on disk.
        .target(name: "Lab", dependencies: ["UNetKit", "ShapeGenerator", "Figures"], path: "Sources/Lab"),
        .executableTarget(
            name: "unetlab",
            dependencies: [
                "UNetKit", "ShapeGenerator", "Figures", "Lab", "Labs", "Grading", "StudentEdition",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + (hasSolutions ? ["Solutions"] : []),
            path: "Sources/unetlab"),
        .target(name: "TestSupport", dependencies: ["UNetKit", "Grading"], path: "Tests/TestSupport"),
        .testTarget(name: "UNetKitTests", dependencies: ["UNetKit", "TestSupport"],
                    path: "Tests/UNetKitTests"),
        .testTarget(name: "ShapeGeneratorTests", dependencies: ["ShapeGenerator", "UNetKit"],
                    path: "Tests/ShapeGeneratorTests"),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "CPNG"], path: "Tests/FiguresTests"),
        // The student's grader: full marks for each exercise of Labs/ (`make grade` runs each
        // class in its own process; `make test` skips them — the shipped stubs fail by design).
        .testTarget(name: "LabGraders", dependencies: ["Grading", "Labs", "UNetKit"], path: "Tests/LabGraders"),
    ] + solutionsOnly,
    swiftLanguageModes: [.v5]
)
