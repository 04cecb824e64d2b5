/// Where the field of view lies and how thick the vessels are, scaled with the image size.
///
/// With `s = min(nx, ny)` (coordinates: x = column, y = row, pixel centres at integers):
///
///     FOV centre c = ((nx − 1)/2, (ny − 1)/2)    FOV radius R = 0.47 s
///     trunk width w₀ = (0.8 + 0.013 s) · U(0.9, 1.1)    branches stop below max(0.8, 0.22 w₀)
///
/// A pixel p is inside the field of view when |p − c|² ≤ R². At 128×128: R = 60.2 px,
/// trunks about 2.5 px wide; at 565×584 (DRIVE's size) R = 265 px, trunks about 8 px.
public struct FundusGeometry: Equatable, Sendable {
    /// Image width (columns) and height (rows) in pixels.
    public let nx: Int, ny: Int
    /// The centre of the field of view (x = column, y = row).
    public let centerX: Double, centerY: Double
    /// The radius of the circular field of view in pixels.
    public let radius: Double
    /// The trunk width before its random factor U(0.9, 1.1), in pixels.
    public let trunkWidth: Double

    /// The smallest side the vessel generator accepts.
    public static let minimumSide = 64

    /// - Throws: `GeneratorError` when a side is below 64 px.
    public init(nx: Int, ny: Int, caller: String = "VesselDataProvider") throws {
        let minimum = FundusGeometry.minimumSide
        guard nx >= minimum else {
            throw GeneratorError("\(caller): nx (image width) must be at least \(minimum) pixels, but got \(nx)")
        }
        guard ny >= minimum else {
            throw GeneratorError("\(caller): ny (image height) must be at least \(minimum) pixels, but got \(ny)")
        }
        guard nx <= ShapeGeometry.maximumSide, ny <= ShapeGeometry.maximumSide else {
            throw GeneratorError("\(caller): a \(nx)×\(ny) image (width×height) is too large: "
                                 + "sides must be at most \(ShapeGeometry.maximumSide) pixels")
        }
        self.nx = nx
        self.ny = ny
        let s = Double(min(nx, ny))
        centerX = Double(nx - 1) / 2
        centerY = Double(ny - 1) / 2
        radius = 0.47 * s
        trunkWidth = 0.8 + 0.013 * s
    }

    /// A geometry with another trunk width (tests use it to show the statistics notice it).
    init(_ other: FundusGeometry, trunkWidth: Double) {
        nx = other.nx
        ny = other.ny
        centerX = other.centerX
        centerY = other.centerY
        radius = other.radius
        self.trunkWidth = trunkWidth
    }

    /// The shorter side `s`, which sets every length of the recipe.
    public var side: Double { Double(min(nx, ny)) }

    /// The field-of-view mask, `ny × nx`, row-major: 1 inside the circle, 0 outside.
    public func fovMask() -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: nx * ny)
        let r2 = radius * radius
        for y in 0..<ny {
            let dy = Double(y) - centerY
            for x in 0..<nx {
                let dx = Double(x) - centerX
                if dx * dx + dy * dy <= r2 { mask[y * nx + x] = 1 }
            }
        }
        return mask
    }
}
