/// Zero padding and cropping of the last two axes (PyTorch's `F.pad(x, (left, right, top, bottom))`;
/// a negative amount crops). Input `[N, C, H, W]` → `[N, C, H + top + bottom, W + left + right]`.
/// The UNet's `up` pads the up-sampled map to its skip connection's size when they differ.
///
///     y[n, c, i, j] = x[n, c, i − top, j − left]   (0 outside x)
///     dx[n, c, i, j] = dy[n, c, i + top, j + left] (the entries of dy that came from x)

/// Copies the overlapping window between two planes; `rowShift`/`colShift` map a destination
/// index to a source index (`source = destination − shift`).
func shiftPlanes<S: KernelScalar>(_ src: [S], planes: Int, srcHeight: Int, srcWidth: Int,
                                  dstHeight: Int, dstWidth: Int, rowShift: Int, colShift: Int) -> [S] {
    var dst = [S](repeating: 0, count: planes * dstHeight * dstWidth)
    for p in 0..<planes {
        for i in max(0, rowShift)..<max(max(0, rowShift), min(dstHeight, srcHeight + rowShift)) {
            for j in max(0, colShift)..<max(max(0, colShift), min(dstWidth, srcWidth + colShift)) {
                dst[(p * dstHeight + i) * dstWidth + j] = src[(p * srcHeight + i - rowShift) * srcWidth + j - colShift]
            }
        }
    }
    return dst
}

/// Differentiable zero padding (positive amounts) or cropping (negative amounts) of H and W.
public func pad2d(_ input: Variable, left: Int, right: Int, top: Int, bottom: Int) throws -> Variable {
    let x = input.value
    try requireRank(x, 4, "input", "N×C×H×W")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (h + top + bottom, w + left + right)
    guard oh >= 1, ow >= 1 else {
        throw ShapeError("pad (left \(left), right \(right), top \(top), bottom \(bottom)) of input"
                         + "\(shapeString(x.shape)) leaves an empty output of size \(oh)×\(ow)")
    }
    let y = shiftPlanes(x.scalars, planes: n * c, srcHeight: h, srcWidth: w, dstHeight: oh, dstWidth: ow,
                        rowShift: top, colShift: left)
    return Variable(Tensor(unchecked: [n, c, oh, ow], y), parents: [input]) { dy in
        [Tensor(unchecked: x.shape, shiftPlanes(dy.scalars, planes: n * c, srcHeight: oh, srcWidth: ow,
                                                dstHeight: h, dstWidth: w, rowShift: -top, colShift: -left))]
    }
}

/// Pads (or crops) `input` to `height × width`, splitting the difference as the course's `up`
/// does — the smaller half before, the larger after — on each axis separately.
public func padToSize(_ input: Variable, height: Int, width: Int) throws -> Variable {
    try requireRank(input.value, 4, "input", "N×C×H×W")
    let dh = height - input.shape[2], dw = width - input.shape[3]
    if dh == 0 && dw == 0 { return input }
    return try pad2d(input, left: floorDiv(dw, 2), right: dw - floorDiv(dw, 2),
                     top: floorDiv(dh, 2), bottom: dh - floorDiv(dh, 2))
}

/// Python's `//` (rounds towards −∞).
func floorDiv(_ a: Int, _ b: Int) -> Int { (a - ((a % b) + b) % b) / b }
