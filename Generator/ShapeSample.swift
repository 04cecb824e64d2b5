/// A filled circle as drawn: a pixel (row, column) is inside when
/// `(row − centerRow)² + (column − centerColumn)² ≤ radius²` (tf_unet's test).
public struct Circle: Equatable, Sendable {
    public let centerRow: Int, centerColumn: Int, radius: Int
    /// Grey level before noise and stretching, 1…254.
    public let grey: Int
}

/// A filled axis-aligned square (the `rectangles` option): rows `top ..< top + side`,
/// columns `left ..< left + side`, cut off at the image edge.
public struct Square: Equatable, Sendable {
    public let top: Int, left: Int, side: Int
    /// Grey level before noise and stretching, 1…254.
    public let grey: Int
}

/// One generated image with its labels and the shapes that made it.
public struct ShapeSample: Equatable, Sendable {
    /// Width (columns) and height (rows).
    public let nx: Int, ny: Int
    /// Grey values in [0, 1], `ny × nx`, row-major.
    public let image: [Float]
    /// Class of every pixel, `ny × nx`, row-major: 0 background, 1 circle, 2 square.
    public let classMap: [UInt8]
    /// The circles in drawing order (later ones overwrite earlier ones).
    public let circles: [Circle]
    /// The squares in drawing order, drawn after all circles (empty without `rectangles`).
    public let squares: [Square]
}
