import CBLAS
import CVectorKernels

/// 3×3 convolution with Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, "Fast
/// Algorithms for Convolutional Neural Networks", 2016) — the fastest path for the UNet's
/// 3×3, stride-1 layers: 16 multiplications per 2×2 output tile instead of 36.
///
/// Same arithmetic and shapes as `Conv2dNaive.swift` (x `[N, Cin, H, W]`, w `[Cout, Cin, 3, 3]`,
/// y `[N, Cout, Hout, Wout]`, stride 1, any padding p). The output is cut into 2×2 tiles; tile t
/// reads the 4×4 input patch d at rows 2i − p … 2i − p + 3 (zeros outside the image). Per tile
///
///     y_t = Aᵀ [ (G w Gᵀ) ⊙ (Bᵀ d B) ] A          (⊙: element-wise, 4×4)
///
///          ⎡1  0 −1  0⎤        ⎡ 1    0    0 ⎤
///     Bᵀ = ⎢0  1  1  0⎥    G = ⎢1/2  1/2  1/2⎥    Aᵀ = ⎡1  1  1  0⎤
///          ⎢0 −1  1  0⎥        ⎢1/2 −1/2  1/2⎥         ⎣0  1 −1 −1⎦
///          ⎣0  1  0 −1⎦        ⎣ 0    0    1 ⎦
///
/// Summed over input channels, the 16 element-wise products become 16 matrix products, one
/// per position e of the 4×4 tile, over all tiles T of the batch at once:
///
///     forward          M[e] = U[e] · V[e]            [Cout, T] = [Cout, Cin]·[Cin, T]
///     backward data    dV[e] = U[e]ᵀ · dM[e]         [Cin, T]  = [Cin, Cout]·[Cout, T]
///     backward weight  dU[e] = dM[e] · V[e]ᵀ         [Cout, Cin] = [Cout, T]·[T, Cin]
///
/// with U = G w Gᵀ (weights), V = Bᵀ d B (input tiles), dM = A dy Aᵀ (output-gradient tiles);
/// the backward transforms are the adjoints of the forward ones: dx += B dV Bᵀ, dw = Gᵀ dU G.
/// Float only (`cblas_sgemm`); the 16 products run in parallel, one BLAS thread each. Layers in
/// evaluation mode run F(4×4, 3×3) through the same driver (36 products; `WinogradF4Transforms.swift`).
/// The transforms of tiles (and F(2×2)'s of the kernels) are C, one row of tiles per call, 8
/// tiles a vector (`CVectorKernels`: `vk_winograd_*`, built for AVX-512, AVX2 and the baseline).

/// Whether the Winograd path computes this convolution: 3×3, stride 1, dilation 1, wide enough that the
/// products are real matrix products, and enough tiles to pay for transforming the weights
/// (16·Cin·Cout values each call); otherwise `.winograd` falls back to im2col + BLAS.
func winogradApplies(_ g: ConvGeometry) -> Bool {
    g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.dilation == 1 && g.inChannels >= 8 && g.outChannels >= 8
        && g.batch * ((g.outHeight + 1) / 2) * ((g.outWidth + 1) / 2) >= WinogradTiling.minimumTilesPerCall
}

/// Tiles of one convolution, and how the batch is cut into chunks that go through the 16
/// products at once. A chunk's transformed tiles (V and M, 16·(Cin + Cout) floats per tile)
/// are kept to about 4 MB, so the scratch stays small: large images are cut into bands of tile
/// rows, small ones grouped several to a chunk. Chunking bounds peak memory; the README's speed
/// section has the measurements.
struct WinogradTiling {
    let g: ConvGeometry
    /// Side of an output tile: 2 for F(2×2, 3×3), 4 for F(4×4, 3×3) (`WinogradF4Transforms.swift`).
    let tile: Int
    /// Points of the (tile + 2)² input patch: the number of matrix products, 16 or 36.
    var points: Int { (tile + 2) * (tile + 2) }
    let tilesHigh: Int, tilesWide: Int
    var tilesPerImage: Int { tilesHigh * tilesWide }
    let imagesPerChunk: Int
    let rowsPerChunk: Int

    /// Scratch planes with a zero border: the tiles read them without bounds checks, 8 tiles
    /// (8·tile columns, plus 2 for the last tile's right edge, plus slack) at a time.
    var paddedWidth: Int { tile * tilesWide.roundedUp(to: 8) + 2 + 16 }
    /// Rows of a band's input patch: `tile` per tile row and the 2 the last one reaches below.
    var paddedHeight: Int { tile * rowsPerChunk + 2 }

    /// The tiling of `g` with output tiles of side `tile` (default: training's, `tile(for: g, evaluation: false)`).
    init(_ g: ConvGeometry, tile: Int? = nil) {
        self.g = g
        self.tile = tile ?? WinogradTiling.tile(for: g, evaluation: false)
        tilesHigh = (g.outHeight + self.tile - 1) / self.tile
        tilesWide = (g.outWidth + self.tile - 1) / self.tile
        let perImage = tilesHigh * tilesWide
        let budget = max(WinogradTiling.minimumTiles,
                         WinogradTiling.bytesPerChunk / (4 * (self.tile + 2) * (self.tile + 2) * (g.inChannels + g.outChannels)))
        if perImage >= budget {
            (imagesPerChunk, rowsPerChunk) = (1, min(tilesHigh, max(1, budget / tilesWide)))
        } else {
            (imagesPerChunk, rowsPerChunk) = (max(1, min(g.batch, budget / perImage)), tilesHigh)
        }
    }

    /// Target size of a chunk's V and M, and the fewest tiles per chunk (fewer make the products
    /// inefficient). Variables only so that tests can force bands on small images.
    nonisolated(unsafe) static var bytesPerChunk = 4 << 20
    /// Fewer tiles than this in a whole call (the UNet's 8×8 and 4×4 maps at batch 1–4) go to
    /// im2col instead: with few tiles the weight transform costs more than it saves.
    nonisolated(unsafe) static var minimumTilesPerCall = 128
    nonisolated(unsafe) static var minimumTiles = 256

    /// The forward pass: F(4×4) for layers in evaluation mode whose output is at least
    /// `f4MinimumSide` on both sides (fewer partial tiles), F(2×2) everywhere else; `forcedTile`
    /// (tests) overrides.
    ///
    /// Training's forward pass keeps F(2×2): F(4×4)'s rounding error (4 ε of Σ|terms| against
    /// 0.6 ε) is amplified by training-mode batch norm on small maps until a whole UNet's logits
    /// leave the parity tolerance (`ModelParityTests`; F(4×4) gave 1.0–1.2× the allowance). In
    /// evaluation the batch norm's statistics are fixed and the error stays near F(2×2)'s.
    static func tile(for g: ConvGeometry, evaluation: Bool) -> Int {
        forcedTile ?? (evaluation && min(g.outHeight, g.outWidth) >= f4MinimumSide ? 4 : 2)
    }

    /// The backward pass: F(4×4) on outputs of at least `f4BackwardMinimumSide` on both sides,
    /// F(2×2) below (on a 16×16 map, 512 channels, batch 4, F(4×4)'s 64 tiles make the products
    /// too narrow and its 36-point kernel transforms too many: twice F(2×2)'s time). Gradients
    /// feed an optimiser step, not a batch norm's statistics, so F(4×4)'s larger rounding stays a
    /// relative error of the gradient (`ConvolutionParityTests` holds it to the exact convolution
    /// and to the naive loops, `ModelParityTests`' two small-width steps to PyTorch's). It does
    /// two thirds of a training step's convolution work with 36 products per 16 outputs instead
    /// of 16 per 4.
    static func backwardTile(for g: ConvGeometry) -> Int {
        forcedTile ?? (min(g.outHeight, g.outWidth) >= f4BackwardMinimumSide ? 4 : 2)
    }
    nonisolated(unsafe) static var f4BackwardMinimumSide = 24
    nonisolated(unsafe) static var f4MinimumSide = 12
    nonisolated(unsafe) static var forcedTile: Int?

    /// The most tiles in one chunk.
    var capacity: Int { imagesPerChunk * rowsPerChunk * tilesWide }

    var chunks: [WinogradChunk] {
        stride(from: 0, to: g.batch, by: imagesPerChunk).flatMap { n in
            stride(from: 0, to: tilesHigh, by: rowsPerChunk).map { r in
                WinogradChunk(images: n..<min(g.batch, n + imagesPerChunk), tileRows: r..<min(tilesHigh, r + rowsPerChunk),
                              tilesWide: tilesWide)
            }
        }
    }
}

/// Whole images, or a band of tile rows of one image: tile (n, i, j) of the chunk is column
/// (n − first image)·tilesPerImage + (i − first row)·tilesWide + j of its `[16, C, tiles]` matrices.
struct WinogradChunk {
    let images: Range<Int>
    let tileRows: Range<Int>
    let tilesWide: Int
    /// Tiles of each image in this chunk.
    var tilesPerImage: Int { tileRows.count * tilesWide }
    var tiles: Int { images.count * tilesPerImage }

    /// Floats from one point's `[C, tiles]` matrix to the next in the chunk's `[points, C, tiles]`
    /// scratch: C·tiles rounded up to 4 KB, plus one 64-byte line (the kernels' `[points, Cout,
    /// Cin]` U and dU likewise). A transform writes (or reads) all 16 or 36 matrices at once; 4 KB
    /// apart they would land in the same L1 set and evict one another (the UNet's C·tiles is a
    /// multiple of 1024: 1.3–1.9× slower transforms measured), one line apart they spread over
    /// the sets. Only addresses change, not the arithmetic.
    func pointStride(channels: Int) -> Int { winogradPointStride(channels * tiles) }
}

func winogradPointStride(_ matrixFloats: Int) -> Int { matrixFloats.roundedUp(to: 1024) + 16 }

// MARK: - Forward

/// Forward: returns y `[N, Cout, Hout, Wout]`.
/// With `then`, every output goes on through batch normalisation with fixed statistics and ReLU
/// in the same pass (`ChannelAffineReLU`).
/// `tile`: 2 or 4 (default: `WinogradTiling.tile(for:evaluation: false)`); `transformed`: U of
/// these weights for that tile when the caller kept it (`WinogradWeightCache`).
func conv2dWinogradForward(_ x: [Float], _ w: [Float], _ b: [Float]?, _ g: ConvGeometry, tile: Int? = nil,
                           transformed: [Float]? = nil, then epilogue: ChannelAffineReLU? = nil) -> [Float] {
    _ = fastPathSettings
    let tiling = WinogradTiling(g, tile: tile)
    let (cin, cout, points) = (g.inChannels, g.outChannels, tiling.points)
    var y = uninitializedArray(g.batch * cout * g.outHeight * g.outWidth)
    let u = winogradKernels(w, kept: transformed, tiling)
    let uStride = winogradPointStride(cout * cin)
    var v = uninitializedArray(winogradScratchCount(channels: cin, tiles: tiling.capacity, points: points))
    var m = uninitializedArray(winogradScratchCount(channels: cout, tiles: tiling.capacity, points: points))
    x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
            u.withUnsafeBufferPointer { u in
                v.withUnsafeMutableBufferPointer { v in
                    m.withUnsafeMutableBufferPointer { m in
                        let (xp, yp) = (SharedBuffer(base: UnsafeMutablePointer(mutating: x.baseAddress!)), SharedBuffer(base: y.baseAddress!))
                        let (up, vp, mp) = (SharedBuffer(base: UnsafeMutablePointer(mutating: u.baseAddress!)),
                                            SharedBuffer(base: v.baseAddress!), SharedBuffer(base: m.baseAddress!))
                        for chunk in tiling.chunks {
                            let tiles = chunk.tiles
                            let (vStride, mStride) = (chunk.pointStride(channels: cin), chunk.pointStride(channels: cout))
                            winogradInputTransform(xp, into: vp, chunk, tiling)
                            parallelFor(points) { e in
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(tiles), Int32(cin),
                                            1, up.base + e * uStride, Int32(cin), vp.base + e * vStride, Int32(tiles),
                                            0, mp.base + e * mStride, Int32(tiles))
                            }
                            winogradOutputTransform(mp, into: yp, bias: b, epilogue: epilogue, chunk, tiling)
                        }
                    }
                }
            }
        }
    }
    return y
}

/// U for `tiling`'s tile: `kept` when the caller's transform is of that size (a layer in
/// evaluation mode keeps F(4×4)'s, and its backward runs F(2×2)), else transformed now.
private func winogradKernels(_ w: [Float], kept: [Float]?, _ tiling: WinogradTiling) -> [Float] {
    let (cin, cout) = (tiling.g.inChannels, tiling.g.outChannels)
    if let kept, kept.count == tiling.points * winogradPointStride(cout * cin) { return kept }
    return winogradWeightTransform(w, cout: cout, cin: cin, tile: tiling.tile)
}

/// U[e][co][ci] = (G w[co, ci] Gᵀ)[e]: `[16, Cout, Cin]`, the 16 matrices
/// `winogradPointStride(Cout·Cin)` floats apart. One kernel at a time: its 9 taps are read
/// together and its 16 values go to 16 planes, consecutive kernels side by side in each (the
/// adjoint, `winogradWeightGradientTransform`, reads the same way).
func winogradWeightTransform(_ w: [Float], cout: Int, cin: Int, tile: Int) -> [Float] {
    var u: [Float] = []
    winogradWeightTransform(w, cout: cout, cin: cin, tile: tile, into: &u)
    return u
}

/// The same into `u` (resized if needed): a layer's `WinogradWeightCache` refills its buffer in
/// place instead of allocating up to 75 MB (the deepest F(4×4) kernels) each call.
func winogradWeightTransform(_ w: [Float], cout: Int, cin: Int, tile: Int, into u: inout [Float]) {
    if tile == 4 { return winogradF4WeightTransform(w, cout: cout, cin: cin, into: &u) }
    let plane = winogradPointStride(cout * cin)
    if u.count != 16 * plane { u = uninitializedArray(16 * plane) }
    w.withUnsafeBufferPointer { w in
        u.withSharedBuffer { u in
            // G w Gᵀ in C (`CVectorKernels`), 8 input channels a vector.
            parallelFor(cout) { co in
                vk_winograd_f2_weight_transform(w.baseAddress! + co * cin * 9, cin, u.base + co * cin, plane)
            }
        }
    }
}

/// Runs `body(job, scratch)` for every job in 0..<count, the jobs split into contiguous runs
/// (4 per core), each run with its own zeroed scratch plane of `scratchCount` floats.
private func forEachPlane(_ count: Int, scratchCount: Int,
                          _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
    let runs = min(count, 4 * computeThreads)     // more runs than cores: a core slowed by another process takes fewer
    parallelFor(runs) { run in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
        scratch.initialize(repeating: 0, count: scratchCount)
        defer { scratch.deallocate() }
        for job in (count * run / runs)..<(count * (run + 1) / runs) { body(job, scratch) }
    }
}

/// V[e][c][t] = (Bᵀ d_t B)[e] for every input channel c and tile t of the chunk: `[16, Cin, T]`.
/// Tile rows whose patches lie inside the image read the groups of 8 tiles away from the left
/// and right edges straight from x's plane (`WinogradInputSpan`); the rest go through a scratch
/// plane with a zero border, into which only the rows and columns they read are copied. The
/// kernel's arithmetic per tile is the same either way.
private func winogradInputTransform(_ x: SharedBuffer<Float>, into v: SharedBuffer<Float>, _ chunk: WinogradChunk,
                                    _ tiling: WinogradTiling) {
    let g = tiling.g
    let (cin, h, w, p, side) = (g.inChannels, g.height, g.width, g.padding, tiling.tile)
    let (pw, ph) = (tiling.paddedWidth, tiling.paddedHeight)
    let firstRow = side * chunk.tileRows.lowerBound - p     // input row of the band's first patch row
    let span = WinogradInputSpan(tiling)
    // Tile rows (of the band) whose patch rows are all inside the image, and the band's rows that
    // only such tile rows read (those need just the edge columns in the scratch).
    let (rowsAbove, rowsBelow) = (max(0, -firstRow), h - firstRow - side - 2)
    let innerFirst = min(chunk.tileRows.count, (rowsAbove + side - 1) / side)
    let innerRows = innerFirst..<max(innerFirst, min(chunk.tileRows.count, rowsBelow < 0 ? 0 : rowsBelow / side + 1))
    let directRows = span.tiles.isEmpty ? 0..<0 : innerRows
    let edgeOnlyRows = directRows.isEmpty ? 0..<0 : (side * directRows.lowerBound + 2)..<(side * directRows.upperBound)
    let wholeRow = [0..<min(w, pw - p)]
    let transformRow = side == 4 ? vk_winograd_f4_input_row : vk_winograd_f2_input_row
    forEachPlane(chunk.images.count * cin, scratchCount: pw * ph) { job, padded in
        let (image, c) = (job / cin, job % cin)
        let plane = x.base + ((chunk.images.lowerBound + image) * cin + c) * h * w
        // The band's input rows, shifted right by the padding, into the zero-bordered scratch.
        for row in 0..<(side * chunk.tileRows.count + 2) {
            let line = padded + row * pw
            guard (0..<h).contains(firstRow + row) else {
                line.update(repeating: 0, count: pw)
                continue
            }
            let source = plane + (firstRow + row) * w
            for columns in edgeOnlyRows.contains(row) ? span.edgeColumns : wholeRow {
                (line + p + columns.lowerBound).update(from: source + columns.lowerBound, count: columns.count)
            }
        }
        let out = v.base + c * chunk.tiles + image * chunk.tilesPerImage
        let eStride = chunk.pointStride(channels: cin)
        // Each tile row in C (`CVectorKernels`): Bᵀ d B, 8 tiles a vector.
        for ti in 0..<chunk.tileRows.count {
            let (patch, t) = (padded + side * ti * pw, out + ti * tiling.tilesWide)
            guard directRows.contains(ti) else {
                transformRow(patch, pw, t, eStride, tiling.tilesWide)
                continue
            }
            let (inner, rowStart) = (span.tiles, plane + (firstRow + side * ti) * w - p)
            transformRow(patch, pw, t, eStride, inner.lowerBound)
            transformRow(rowStart + side * inner.lowerBound, w, t + inner.lowerBound, eStride, inner.count)
            if inner.upperBound < tiling.tilesWide {
                transformRow(patch + side * inner.upperBound, pw, t + inner.upperBound, eStride,
                             tiling.tilesWide - inner.upperBound)
            }
        }
    }
}

/// The tiles of a row whose groups of 8 the input transform can read from x's plane itself: whole
/// groups, starting at a multiple of 8, whose patches (plus the columns the kernel loads past the
/// last one: 18 columns for 8 F(2×2) tiles, 36 for F(4×4)) lie inside the row; and the columns
/// of the row the other tiles read (clipped to the row), which are all the scratch needs there.
private struct WinogradInputSpan {
    let tiles: Range<Int>
    let edgeColumns: [Range<Int>]

    init(_ tiling: WinogradTiling) {
        let (side, w, p) = (tiling.tile, tiling.g.width, tiling.g.padding)
        let loaded = 8 * side + (side == 4 ? 4 : 2)
        let first = ((p + side - 1) / side).roundedUp(to: 8)
        let lastStart = w + p - loaded >= 0 ? (w + p - loaded) / side : -1
        let end = min(lastStart < 0 ? 0 : lastStart / 8 * 8 + 8, tiling.tilesWide / 8 * 8)
        tiles = first < end ? first..<end : 0..<0
        // Tiles [0, first) read padded columns [0, side·(first − 8) + loaded); tiles [end, …) read
        // from side·end on; padded column k is the row's column k − p.
        let left = 0..<max(0, min(w, side * (first - 8) + loaded - p))
        let right = max(0, side * end - p)..<w
        edgeColumns = [left, right].filter { !$0.isEmpty }
    }
}

/// y = Aᵀ M A (+ bias) for every output channel and tile of the chunk; drops the row and column
/// a tile sticks out past an odd-sized output.
private func winogradOutputTransform(_ m: SharedBuffer<Float>, into y: SharedBuffer<Float>, bias: [Float]?,
                                     epilogue: ChannelAffineReLU?,
                                     _ chunk: WinogradChunk, _ tiling: WinogradTiling) {
    let g = tiling.g
    let (cout, oh, ow) = (g.outChannels, g.outHeight, g.outWidth)
    let tiles = chunk.tiles
    // Output rows of tile·tilesWide (rounded up to 8 tiles) columns, `tile` per tile row.
    let (side, pw) = (tiling.tile, tiling.tile * tiling.tilesWide.roundedUp(to: 8))
    forEachPlane(chunk.images.count * cout, scratchCount: side * pw) { job, rows in
        let (n, co) = (chunk.images.lowerBound + job / cout, job % cout)
        let plane = y.base + (n * cout + co) * oh * ow
        // M is read 8 tiles past the end of the chunk at most once per row: the caller's buffer
        // has that slack (see `winogradScratchCount`).
        let source = m.base + co * tiles + (job / cout) * chunk.tilesPerImage
        let eStride = chunk.pointStride(channels: cout)
        let b = bias?[co] ?? 0
        // Batch norm + ReLU folded in: (scale, shift) of channel co.
        var affine = epilogue.map { ($0.scale(co), $0.shift(co)) } ?? (0, 0)
        let transformRow = side == 4 ? vk_winograd_f4_output_row : vk_winograd_f2_output_row
        // The C loop writes whole groups of 8 tiles: when the plane's rows are exactly that wide,
        // full tile rows go straight into the plane, else through `rows` and cropped.
        let direct = ow == side * tiling.tilesWide && tiling.tilesWide % 8 == 0
        withUnsafePointer(to: &affine) { pair in
            pair.withMemoryRebound(to: Float.self, capacity: 2) { pair in
                for local in 0..<chunk.tileRows.count {
                    let ti = chunk.tileRows.lowerBound + local
                    let inPlace = direct && side * (ti + 1) <= oh
                    let (target, width) = inPlace ? (plane + side * ti * ow, ow) : (rows, pw)
                    // Aᵀ M A of the tile row in C (`CVectorKernels`), 8 tiles a vector.
                    transformRow(source + local * tiling.tilesWide, eStride, tiling.tilesWide, target, width, b,
                                 epilogue == nil ? nil : pair)
                    if inPlace { continue }
                    for r in 0..<min(side, oh - side * ti) {
                        (plane + (side * ti + r) * ow).update(from: rows + r * pw, count: ow)
                    }
                }
            }
        }
    }
}

/// Floats for `[points, C, tiles]` scratch (matrices `WinogradChunk.pointStride` apart), with room
/// for reading up to 8 tiles past the end.
private func winogradScratchCount(channels: Int, tiles: Int, points: Int) -> Int {
    points * winogradPointStride(channels * tiles) + 8
}

// MARK: - Backward

/// Backward: dL/dx and dL/dw for dL/dy (dL/db is `conv2dBiasBackward`). The input transform is
/// recomputed from x rather than kept from the forward pass; the weights' U is taken from
/// `transformed` when the caller kept it for `tile` (`WinogradTiling.backwardTile(for:)`).
func conv2dWinogradBackward(_ dy: [Float], _ x: [Float], _ w: [Float], _ g: ConvGeometry, tile: Int,
                            transformed: [Float]?) -> (dx: [Float], dw: [Float]) {
    _ = fastPathSettings
    let tiling = WinogradTiling(g, tile: tile)
    let (cin, cout, points) = (g.inChannels, g.outChannels, tiling.points)
    // Bands of tile rows overlap by two input rows: a band adds onto the rows the previous band
    // of its image reached and sets the others (the bands cover every row), so dx starts unset.
    var dx = uninitializedArray(g.batch * cin * g.height * g.width)
    let u = winogradKernels(w, kept: transformed, tiling)
    let uStride = winogradPointStride(cout * cin)
    var du = uninitializedArray(points * uStride)
    var v = uninitializedArray(winogradScratchCount(channels: cin, tiles: tiling.capacity, points: points))
    var dv = uninitializedArray(winogradScratchCount(channels: cin, tiles: tiling.capacity, points: points))
    var dm = uninitializedArray(winogradScratchCount(channels: cout, tiles: tiling.capacity, points: points))
    x.withUnsafeBufferPointer { x in
        dy.withUnsafeBufferPointer { dy in
            u.withUnsafeBufferPointer { u in
                let xp = SharedBuffer(base: UnsafeMutablePointer(mutating: x.baseAddress!))
                let dyp = SharedBuffer(base: UnsafeMutablePointer(mutating: dy.baseAddress!))
                let up = SharedBuffer(base: UnsafeMutablePointer(mutating: u.baseAddress!))
                dx.withSharedBuffer { dxp in du.withSharedBuffer { dup in
                    v.withSharedBuffer { vp in dv.withSharedBuffer { dvp in dm.withSharedBuffer { dmp in
                        for (index, chunk) in tiling.chunks.enumerated() {
                            let tiles = chunk.tiles
                            let (vStride, mStride) = (chunk.pointStride(channels: cin), chunk.pointStride(channels: cout))
                            winogradInputTransform(xp, into: vp, chunk, tiling)
                            winogradOutputGradientTransform(dyp, into: dmp, chunk, tiling)
                            // `points` data products and as many weight products, in parallel.
                            parallelFor(2 * points) { job in
                                let e = job % points
                                if job < points {
                                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cin), Int32(tiles), Int32(cout),
                                                1, up.base + e * uStride, Int32(cin), dmp.base + e * mStride, Int32(tiles),
                                                0, dvp.base + e * vStride, Int32(tiles))
                                } else {
                                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(cin), Int32(tiles),
                                                1, dmp.base + e * mStride, Int32(tiles), vp.base + e * vStride, Int32(tiles),
                                                index == 0 ? 0 : 1, dup.base + e * uStride, Int32(cin))
                                }
                            }
                            winogradInputGradientTransform(dvp, into: dxp, chunk, tiling)
                        }
                    } } }
                } }
            }
        }
    }
    return (dx, winogradWeightGradientTransform(du, cout: cout, cin: cin, tile: tiling.tile))
}

/// dM[e][co][t] = (A dy_t Aᵀ)[e], the adjoint of the output transform: `[16, Cout, T]`.
/// A 2×2 output-gradient tile (a b; c d) becomes the rows (a, b), (a + c, b + d), (a − c, b − d),
/// (−c, −d), and each row (p, q) the columns (p, p + q, p − q, −q).
private func winogradOutputGradientTransform(_ dy: SharedBuffer<Float>, into dm: SharedBuffer<Float>,
                                             _ chunk: WinogradChunk, _ tiling: WinogradTiling) {
    let g = tiling.g
    let (cout, oh, ow) = (g.outChannels, g.outHeight, g.outWidth)
    // The band's rows of dy, with a zero row and column where an odd-sized output leaves tiles
    // half outside, and 16 columns of slack for reading 8 tiles at a time.
    let side = tiling.tile
    let pw = side * tiling.tilesWide.roundedUp(to: 8)
    let firstRow = side * chunk.tileRows.lowerBound
    // When the rows are exactly whole groups of 8 tiles wide and the band lies inside the map,
    // the C loop reads dy's plane itself.
    let inPlace = ow == pw && firstRow + side * chunk.tileRows.count <= oh
    forEachPlane(chunk.images.count * cout, scratchCount: inPlace ? 0 : pw * side * tiling.rowsPerChunk) { job, padded in
        let (image, co) = (job / cout, job % cout)
        let plane = dy.base + ((chunk.images.lowerBound + image) * cout + co) * oh * ow
        if !inPlace {
            for row in 0..<(side * chunk.tileRows.count) {
                if firstRow + row < oh {
                    (padded + row * pw).update(from: plane + (firstRow + row) * ow, count: ow)
                } else {
                    (padded + row * pw).update(repeating: 0, count: pw)
                }
            }
        }
        let band = inPlace ? plane + firstRow * ow : padded
        let out = dm.base + co * chunk.tiles + image * chunk.tilesPerImage
        let eStride = chunk.pointStride(channels: cout)
        // Each tile row in C (`CVectorKernels`): A dy Aᵀ, 8 tiles a vector.
        for ti in 0..<chunk.tileRows.count {
            let (line, t) = (band + side * ti * pw, out + ti * tiling.tilesWide)
            if side == 4 {
                vk_winograd_f4_output_gradient_row(line, pw, t, eStride, tiling.tilesWide)
            } else {
                vk_winograd_f2_output_gradient_row(line, pw, t, eStride, tiling.tilesWide)
            }
        }
    }
}

/// dx += Σ over the chunk's tiles of B dV Bᵀ on each tile's 4×4 patch, the adjoint of the input
/// transform (patches overlap; what lands in the padding is dropped). One job per (image,
/// channel) plane, so no two jobs write the same pixel.
private func winogradInputGradientTransform(_ dv: SharedBuffer<Float>, into dx: SharedBuffer<Float>,
                                            _ chunk: WinogradChunk, _ tiling: WinogradTiling) {
    let g = tiling.g
    let (cin, h, w, p) = (g.inChannels, g.height, g.width, g.padding)
    let (pw, ph) = (tiling.paddedWidth, tiling.paddedHeight)
    let firstRow = tiling.tile * chunk.tileRows.lowerBound - p
    forEachPlane(chunk.images.count * cin, scratchCount: pw * ph) { job, padded in
        let (image, c) = (job / cin, job % cin)
        padded.update(repeating: 0, count: pw * ph)
        let source = dv.base + c * chunk.tiles + image * chunk.tilesPerImage
        let eStride = chunk.pointStride(channels: cin)
        // Each tile row in C (`CVectorKernels`): B dV Bᵀ, 8 tiles a vector, added onto the patches.
        for ti in 0..<chunk.tileRows.count {
            let (s, line) = (source + ti * tiling.tilesWide, padded + tiling.tile * ti * pw)
            if tiling.tile == 4 {
                vk_winograd_f4_input_gradient_row(s, eStride, tiling.tilesWide, line, pw)
            } else {
                vk_winograd_f2_input_gradient_row(s, eStride, tiling.tilesWide, line, pw)
            }
        }
        // The band's rows, without the padding border, onto the image: added where the previous
        // band of this image reached (its first two rows), else set to 0 + the band (as adding
        // onto zeros would: −0 becomes +0).
        let plane = dx.base + ((chunk.images.lowerBound + image) * cin + c) * h * w
        let previousBandEnd = chunk.tileRows.lowerBound == 0 ? firstRow : firstRow + 2
        for row in 0..<(tiling.tile * chunk.tileRows.count + 2) where (0..<h).contains(firstRow + row) {
            let (target, band) = (plane + (firstRow + row) * w, padded + row * pw + p)
            if firstRow + row < previousBandEnd {
                for j in 0..<w { target[j] += band[j] }
            } else {
                for j in 0..<w { target[j] = 0 + band[j] }
            }
        }
    }
}

/// dw[co, ci] = Gᵀ dU[co][ci] G, the adjoint of the weight transform: `[Cout, Cin, 3, 3]`.
private func winogradWeightGradientTransform(_ du: [Float], cout: Int, cin: Int, tile: Int) -> [Float] {
    if tile == 4 { return winogradF4WeightGradientTransform(du, cout: cout, cin: cin) }
    var dw = uninitializedArray(cout * cin * 9)
    let plane = winogradPointStride(cout * cin)
    du.withUnsafeBufferPointer { du in
        dw.withSharedBuffer { dw in
            parallelFor(cout) { co in
                for ci in 0..<cin {
                    let s = du.baseAddress! + co * cin + ci
                    // Gᵀ maps 4 values to 3: (a0 + (a1 + a2)/2, (a1 − a2)/2, (a1 + a2)/2 + a3).
                    @inline(__always) func gt(_ a: SIMD4<Float>) -> SIMD3<Float> {
                        SIMD3(a[0] + 0.5 * (a[1] + a[2]), 0.5 * (a[1] - a[2]), 0.5 * (a[1] + a[2]) + a[3])
                    }
                    @inline(__always) func row(_ r: Int) -> SIMD3<Float> {
                        gt(SIMD4(s[(4 * r) * plane], s[(4 * r + 1) * plane], s[(4 * r + 2) * plane], s[(4 * r + 3) * plane]))
                    }
                    // Gᵀ on each row's columns, then on the rows.
                    let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3))
                    let out = dw.base + (co * cin + ci) * 9
                    for j in 0..<3 {
                        let k = gt(SIMD4(r0[j], r1[j], r2[j], r3[j]))
                        out[j] = k[0]; out[3 + j] = k[1]; out[6 + j] = k[2]
                    }
                }
            }
        }
    }
    return dw
}

extension Int {
    /// The smallest multiple of `m` that is ≥ self.
    func roundedUp(to m: Int) -> Int { (self + m - 1) / m * m }
}
