// swift-tools-version:6.0
//
// UNet Lab Kit — a Swift package that teaches semantic segmentation with a UNet
// trained on synthetic shapes, on the CPU.
//
//   UNetKit         the numerical core: Tensor, ops (naive + BLAS), autograd, layers, SGD
//   ShapeGenerator  the course's synthetic grey-scale shape generator (Generator/)
//   Figures         PNG figures through libpng: image panels, colour maps, line plots
//   Solutions       the reference answers to the lab's exercises
//   Lab             training runs, prediction and figures on disk (used by unetlab)
//   unetlab         the command-line tool (generate, train, predict, bench-conv, …)
//
// System libraries (Debian): libopenblas-dev, libpng-dev — `make` installs them.
import PackageDescription

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
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
                       providers: [.apt(["libfreetype-dev"])]),
        .target(name: "UNetKit", dependencies: ["CBLAS"], path: "Sources/UNetKit"),
        .target(name: "ShapeGenerator", dependencies: ["UNetKit"], path: "Generator"),
        .target(name: "Figures", dependencies: ["CPNG", "CFreeType"], path: "Sources/Figures"),
        // The reference answers to the exercises (UNet_shallow, up_add/UNet_add, …).
        .target(name: "Solutions", dependencies: ["UNetKit"], path: "Solutions"),
        // The lab's glue: model catalogue, training runs, prediction, figures on disk.
        .target(name: "Lab", dependencies: ["UNetKit", "ShapeGenerator", "Figures"], path: "Sources/Lab"),
        .executableTarget(
            name: "unetlab",
            dependencies: [
                "UNetKit", "ShapeGenerator", "Figures", "Lab", "Solutions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/unetlab"),
        .target(name: "TestSupport", dependencies: ["UNetKit"], path: "Tests/TestSupport"),
        .testTarget(name: "UNetKitTests", dependencies: ["UNetKit", "TestSupport"],
                    path: "Tests/UNetKitTests"),
        .testTarget(name: "ShapeGeneratorTests", dependencies: ["ShapeGenerator", "UNetKit"],
                    path: "Tests/ShapeGeneratorTests"),
        .testTarget(name: "ModelTests", dependencies: ["UNetKit", "Solutions", "Lab", "TestSupport"],
                    path: "Tests/ModelTests"),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "CPNG"], path: "Tests/FiguresTests"),
    ],
    swiftLanguageModes: [.v5]
)
