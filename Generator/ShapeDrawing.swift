import UNetKit

/// Draws one sample of the course's generator from a seeded random stream.
///
/// The recipe (tf_unet's `create_image_and_label`, sizes scaled by `ShapeGeometry`):
/// 1. start from an image of ones and an all-background label;
/// 2. `cnt` circles: centre row in `border ..< ny − border`, centre column in
///    `border ..< nx − border`, radius in `rMin ..< rMax`, grey in `1 ..< 255` (drawn in
///    that order); pixels inside get the grey and class 1, overwriting earlier shapes;
/// 3. with `rectangles`, `cnt / 2` squares: top row in `0 ..< ny`, left column in `0 ..< nx`,
///    side in `rMin ..< rMax`, grey in `1 ..< 255`; pixels inside get the grey and class 2.
///    (tf_unet marks a pixel covered by a circle and a square as both classes; here the later
///    shape wins in the label as in the image, so labels stay one-hot);
/// 4. add Gaussian noise of standard deviation `sigma` to every pixel (row-major order);
/// 5. stretch to [0, 1]: subtract the minimum, divide by the maximum (a constant image,
///    e.g. `cnt: 0, sigma: 0`, becomes all zeros instead of NaN).
enum ShapeDrawing {
    static func draw(geometry g: ShapeGeometry, cnt: Int, sigma: Double, rectangles: Bool,
                     using rng: inout SeededGenerator) -> ShapeSample {
        let nx = g.nx, ny = g.ny
        var pixels = [Double](repeating: 1, count: nx * ny)
        var classMap = [UInt8](repeating: 0, count: nx * ny)
        var circles: [Circle] = []
        circles.reserveCapacity(cnt)
        for _ in 0..<cnt {
            let a = rng.integer(g.border, ny - g.border)
            let b = rng.integer(g.border, nx - g.border)
            let r = rng.integer(g.rMin, g.rMax)
            let h = rng.integer(1, 255)
            circles.append(Circle(centerRow: a, centerColumn: b, radius: r, grey: h))
            for row in max(0, a - r)...min(ny - 1, a + r) {
                let dy = row - a
                for column in max(0, b - r)...min(nx - 1, b + r) {
                    let dx = column - b
                    if dx * dx + dy * dy <= r * r {
                        pixels[row * nx + column] = Double(h)
                        classMap[row * nx + column] = 1
                    }
                }
            }
        }
        var squares: [Square] = []
        if rectangles {
            for _ in 0..<(cnt / 2) {
                let a = rng.integer(0, ny)
                let b = rng.integer(0, nx)
                let side = rng.integer(g.rMin, g.rMax)
                let h = rng.integer(1, 255)
                squares.append(Square(top: a, left: b, side: side, grey: h))
                for row in a..<min(ny, a + side) {
                    for column in b..<min(nx, b + side) {
                        pixels[row * nx + column] = Double(h)
                        classMap[row * nx + column] = 2
                    }
                }
            }
        }
        if sigma > 0 {
            for i in pixels.indices { pixels[i] += sigma * rng.normal() }
        }
        let low = pixels.min() ?? 0
        var high = -Double.infinity
        for i in pixels.indices {
            pixels[i] -= low
            high = max(high, pixels[i])
        }
        let image: [Float] = high > 0 ? pixels.map { Float($0 / high) } : pixels.map { _ in 0 }
        return ShapeSample(nx: nx, ny: ny, image: image, classMap: classMap,
                           circles: circles, squares: squares)
    }
}
