import UNetKit
import SyntheticData

/// The course's data (seed 004): `GrayScaleDataProvider(nx, ny, cnt: 10, sigma: 20)` — ten noisy
/// circles per image. Every run of the command line and the lab draws its images here.
public enum CourseData {
    /// Circles per image.
    public static let shapeCount = 10
    /// Standard deviation of the Gaussian noise, in grey levels.
    public static let noise: Double = 20

    /// The course's generator for `size`×`size` images.
    public static func generator(size: Int, seed: UInt64) throws -> GrayScaleDataProvider {
        try GrayScaleDataProvider(nx: size, ny: size, cnt: shapeCount, sigma: noise, seed: seed)
    }
}
