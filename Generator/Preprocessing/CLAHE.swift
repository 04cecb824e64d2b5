/// Contrast-limited adaptive histogram equalisation (CLAHE) of an 8-bit grey image, as
/// OpenCV's `createCLAHE(clipLimit, tileGridSize).apply` computes it.
///
/// 1. **Tiles.** The image is cut into `tilesX × tilesY` tiles. When the width is not a
///    multiple of `tilesX` or the height not of `tilesY`, the image is first extended on the
///    right by `tilesX − width % tilesX` columns and at the bottom by
///    `tilesY − height % tilesY` rows, mirrored without repeating the edge (OpenCV's
///    `BORDER_REFLECT_101`) — note that then *both* sides are extended, a side that was
///    already a multiple by a whole extra tile's worth. Tile size = extended size / tiles.
/// 2. **Clipping.** Each tile's 256-bin histogram is clipped at
///    `limit = max(1, ⌊clipLimit · tileArea / 256⌋)` (no clipping when clipLimit ≤ 0). The
///    clipped count is given back evenly: every bin gets ⌊clipped / 256⌋, and the remaining
///    `r = clipped mod 256` pixels go one each to bins 0, step, 2·step, … with
///    step = max(⌊256 / r⌋, 1), until r are given.
/// 3. **Tile tables.** lut[j] = round(cdf(j) · 255 / tileArea) (single precision, half to even).
/// 4. **Interpolation.** Pixel (x, y) of the *original* image lies between the tables of the
///    tiles around it: tx = x / tileWidth − ½ (single precision), tx₁ = ⌊tx⌋, tx₂ = tx₁ + 1,
///    weight a = tx − tx₁, indices clamped to the grid (the same in y); the result is
///    round((L₁₁(v)(1 − a) + L₁₂(v) a)(1 − b) + (L₂₁(v)(1 − a) + L₂₂(v) a) b).
///
/// Pixels within half a tile of the border use the nearest tiles' tables only.
public enum CLAHE {
    /// - Parameters:
    ///   - clipLimit: the contrast limit relative to a flat histogram (OpenCV's default 40;
    ///     retina-unet uses 2); ≤ 0 turns clipping off (plain adaptive equalisation).
    ///   - tilesX: tiles across (columns), ≥ 1; `tilesY`: tiles down (rows), ≥ 1. OpenCV's
    ///     `tileGridSize` is (width, height) = (tilesX, tilesY).
    /// - Throws: `GeneratorError` when the grid is empty or the clip limit is not finite.
    public static func apply(_ image: ByteImage, clipLimit: Double = 40, tilesX: Int = 8, tilesY: Int = 8) throws -> ByteImage {
        guard tilesX >= 1, tilesY >= 1 else {
            throw GeneratorError("CLAHE: the tile grid must be at least 1×1, but got \(tilesX)×\(tilesY)")
        }
        guard clipLimit.isFinite else {
            throw GeneratorError("CLAHE: clipLimit must be a finite number, but got \(clipLimit)")
        }
        let width = image.width, height = image.height
        let divides = width % tilesX == 0 && height % tilesY == 0
        let extendedWidth = divides ? width : width + tilesX - width % tilesX
        let extendedHeight = divides ? height : height + tilesY - height % tilesY
        let tileWidth = extendedWidth / tilesX, tileHeight = extendedHeight / tilesY
        let tileArea = tileWidth * tileHeight
        let lutScale = Float(255) / Float(tileArea)
        let limit = clipLimit > 0 ? max(1, Int(clipLimit * Double(tileArea) / 256)) : 0

        // Source column/row of every extended column/row (reflect-101 beyond the edge).
        let columns = (0..<extendedWidth).map { reflect101($0, width) }
        let rows = (0..<extendedHeight).map { reflect101($0, height) }

        var luts = [UInt8](repeating: 0, count: tilesX * tilesY * 256)
        var histogram = [Int](repeating: 0, count: 256)
        for ty in 0..<tilesY {
            for tx in 0..<tilesX {
                for k in 0..<256 { histogram[k] = 0 }
                for y in (ty * tileHeight)..<((ty + 1) * tileHeight) {
                    let rowBase = rows[y] * width
                    for x in (tx * tileWidth)..<((tx + 1) * tileWidth) {
                        histogram[Int(image.pixels[rowBase + columns[x]])] += 1
                    }
                }
                if limit > 0 { clip(&histogram, at: limit) }
                let base = (ty * tilesX + tx) * 256
                var sum = 0
                for k in 0..<256 {
                    sum += histogram[k]
                    luts[base + k] = HistogramEqualization.saturatingByte(Float(sum) * lutScale)
                }
            }
        }

        // Horizontal interpolation weights and table offsets, once per column.
        let inverseTileWidth = Float(1) / Float(tileWidth)
        var left = [Int](repeating: 0, count: width), right = left
        var weightRight = [Float](repeating: 0, count: width), weightLeft = weightRight
        for x in 0..<width {
            let t = Float(x) * inverseTileWidth - 0.5
            let t1 = Int(t.rounded(.down))
            weightRight[x] = t - Float(t1)
            weightLeft[x] = 1 - weightRight[x]
            left[x] = max(t1, 0) * 256
            right[x] = min(t1 + 1, tilesX - 1) * 256
        }
        let inverseTileHeight = Float(1) / Float(tileHeight)
        var out = image
        for y in 0..<height {
            let t = Float(y) * inverseTileHeight - 0.5
            let t1 = Int(t.rounded(.down))
            let b = t - Float(t1), b1 = 1 - b
            let top = max(t1, 0) * tilesX * 256, bottom = min(t1 + 1, tilesY - 1) * tilesX * 256
            for x in 0..<width {
                let v = Int(image.pixels[y * width + x])
                let upper = Float(luts[top + left[x] + v]) * weightLeft[x] + Float(luts[top + right[x] + v]) * weightRight[x]
                let lower = Float(luts[bottom + left[x] + v]) * weightLeft[x] + Float(luts[bottom + right[x] + v]) * weightRight[x]
                out.pixels[y * width + x] = HistogramEqualization.saturatingByte(upper * b1 + lower * b)
            }
        }
        return out
    }

    /// Clips the histogram at `limit` and redistributes the excess (step 2 above).
    static func clip(_ histogram: inout [Int], at limit: Int) {
        var clipped = 0
        for k in 0..<256 where histogram[k] > limit {
            clipped += histogram[k] - limit
            histogram[k] = limit
        }
        let batch = clipped / 256
        var residual = clipped - batch * 256
        for k in 0..<256 { histogram[k] += batch }
        if residual > 0 {
            let step = max(256 / residual, 1)
            var k = 0
            while k < 256 && residual > 0 {
                histogram[k] += 1
                k += step
                residual -= 1
            }
        }
    }

    /// Index `i` of a line of `n` pixels, mirrored at the ends without repeating the edge
    /// pixel (… 2 1 | 0 1 2 … n−1 | n−2 n−3 …).
    static func reflect101(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        var p = i
        while p < 0 || p >= n { p = p < 0 ? -p : 2 * (n - 1) - p }
        return p
    }
}
