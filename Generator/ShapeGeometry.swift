/// Where shapes may go and how big they are, scaled with the image size.
///
/// tf_unet uses a fixed border of 92 px and radii 5..<50, which cannot make a 128×128 image
/// (92 + 92 > 128). The course scales them with the mean side `s = (nx + ny) / 2`:
///
///     border = ⌊0.2 s⌋    r_min = max(1, ⌊0.05 s⌋)    r_max = max(r_min + 1, ⌊0.3 s⌋)
///
/// which gives 25, 6, 38 px at 128×128 and 3, 1, 4 px at 16×16. Circle centres are drawn
/// uniformly from `border ..< side − border` on each axis, radii from `r_min ..< r_max`.
public struct ShapeGeometry: Equatable, Sendable {
    /// Image width (columns) and height (rows) in pixels.
    public let nx: Int, ny: Int
    /// Distance from the image edge that circle centres keep, in pixels.
    public let border: Int
    /// Radii (and square sides) are drawn from `rMin ..< rMax`.
    public let rMin: Int, rMax: Int

    /// The smallest side the generator accepts.
    public static let minimumSide = 16
    /// The largest side the generator accepts (its arithmetic stays far from overflow).
    public static let maximumSide = 65_536

    /// - Throws: `GeneratorError` when a side is below 16 px or above 65536 px, or the image is so elongated
    ///   that no centre fits between the borders (e.g. 16×200: border 21 on a 16 px side).
    public init(nx: Int, ny: Int, caller: String = "GrayScaleDataProvider") throws {
        let minimum = ShapeGeometry.minimumSide
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
        let meanSide = Double(nx + ny) / 2
        let border = Int((0.2 * meanSide).rounded(.down))
        let rMin = max(1, Int((0.05 * meanSide).rounded(.down)))
        let rMax = max(rMin + 1, Int((0.3 * meanSide).rounded(.down)))
        guard nx - border > border, ny - border > border else {
            throw GeneratorError(
                "\(caller): a \(nx)×\(ny) image (width×height) is too elongated: circle centres keep a border "
                + "of \(border) px (0.2 × the mean side), so each side must be more than \(2 * border) px; "
                + "expected sides within a ratio of about 1:4")
        }
        self.nx = nx
        self.ny = ny
        self.border = border
        self.rMin = rMin
        self.rMax = rMax
    }

    /// Any geometry, unchecked (tests use it to show the statistics notice a changed radius range).
    init(unchecked nx: Int, ny: Int, border: Int, rMin: Int, rMax: Int) {
        self.nx = nx
        self.ny = ny
        self.border = border
        self.rMin = rMin
        self.rMax = rMax
    }
}
