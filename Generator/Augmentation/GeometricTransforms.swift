import Foundation

/// Geometric transforms applied to image, mask and FOV together, so they stay aligned.
///
/// Masks and FOV take the value of the nearest source pixel, so they stay binary (or stay
/// class indices); the image is interpolated bilinearly. Pixels that come from outside the
/// source are 0 (image, background, outside the FOV).
public enum GeometricTransforms {
    /// Mirror left–right (columns reversed).
    public static func flipHorizontal(_ s: SegmentationSample) -> SegmentationSample {
        remap(s, nx: s.nx, ny: s.ny) { x, y in (s.nx - 1 - x, y) }
    }

    /// Mirror top–bottom (rows reversed).
    public static func flipVertical(_ s: SegmentationSample) -> SegmentationSample {
        remap(s, nx: s.nx, ny: s.ny) { x, y in (x, s.ny - 1 - y) }
    }

    /// Rotates by `quarterTurns` × 90° counter-clockwise as seen on screen (NumPy's `rot90`
    /// on the H×W axes); odd turns swap width and height. Any integer, negative included.
    public static func rotate90(_ s: SegmentationSample, quarterTurns: Int) -> SegmentationSample {
        switch ((quarterTurns % 4) + 4) % 4 {
        case 1: return remap(s, nx: s.ny, ny: s.nx) { x, y in (s.nx - 1 - y, x) }
        case 2: return remap(s, nx: s.nx, ny: s.ny) { x, y in (s.nx - 1 - x, s.ny - 1 - y) }
        case 3: return remap(s, nx: s.ny, ny: s.nx) { x, y in (y, s.ny - 1 - x) }
        default: return s
        }
    }

    /// The window of `height × width` pixels whose top-left corner is (`top`, `left`).
    /// - Throws: `GeneratorError` when the window does not lie inside the sample.
    public static func crop(_ s: SegmentationSample, top: Int, left: Int, height: Int, width: Int) throws -> SegmentationSample {
        guard height >= 1, width >= 1, top >= 0, left >= 0, top + height <= s.ny, left + width <= s.nx else {
            throw GeneratorError("crop: a \(height)×\(width) window at (\(top), \(left)) must lie inside the "
                                 + "\(s.ny)×\(s.nx) sample (rows×columns)")
        }
        return remap(s, nx: width, ny: height) { x, y in (x + left, y + top) }
    }

    /// Rotates by `angle` radians counter-clockwise as seen on screen about the centre
    /// ((nx − 1)/2, (ny − 1)/2), keeping the size: output pixel q takes the source point
    /// p = c + R(−angle)(q − c) — bilinear for the image, the nearest pixel for mask and FOV.
    public static func rotate(_ s: SegmentationSample, angle: Double) -> SegmentationSample {
        let cx = Double(s.nx - 1) / 2, cy = Double(s.ny - 1) / 2
        // On screen y points down, so a counter-clockwise turn is clockwise in (x, y) maths.
        let cosA = cos(angle), sinA = sin(angle)
        var out = s
        let c = s.channels
        for y in 0..<s.ny {
            for x in 0..<s.nx {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let sx = cx + cosA * dx - sinA * dy
                let sy = cy + sinA * dx + cosA * dy
                let i = y * s.nx + x
                let nearestX = Int((sx + 0.5).rounded(.down)), nearestY = Int((sy + 0.5).rounded(.down))
                if nearestX >= 0, nearestX < s.nx, nearestY >= 0, nearestY < s.ny {
                    out.mask[i] = s.mask[nearestY * s.nx + nearestX]
                    out.fov[i] = s.fov[nearestY * s.nx + nearestX]
                } else {
                    out.mask[i] = 0
                    out.fov[i] = 0
                }
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let ax = Float(sx - Double(x0)), ay = Float(sy - Double(y0))
                for ch in 0..<c {
                    func at(_ px: Int, _ py: Int) -> Float {
                        px >= 0 && px < s.nx && py >= 0 && py < s.ny ? s.image[(py * s.nx + px) * c + ch] : 0
                    }
                    let top = at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax
                    let bottom = at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax
                    out.image[i * c + ch] = top * (1 - ay) + bottom * ay
                }
            }
        }
        return out
    }

    /// A new `nx × ny` sample whose pixel (x, y) is the source pixel `source(x, y)`.
    static func remap(_ s: SegmentationSample, nx: Int, ny: Int,
                      _ source: (Int, Int) -> (Int, Int)) -> SegmentationSample {
        let c = s.channels
        var image = [Float](repeating: 0, count: nx * ny * c)
        var mask = [UInt8](repeating: 0, count: nx * ny), fov = mask
        for y in 0..<ny {
            for x in 0..<nx {
                let (sx, sy) = source(x, y)
                let i = y * nx + x, j = sy * s.nx + sx
                mask[i] = s.mask[j]
                fov[i] = s.fov[j]
                for ch in 0..<c { image[i * c + ch] = s.image[j * c + ch] }
            }
        }
        return SegmentationSample(unchecked: nx, ny: ny, channels: c, image: image, mask: mask, fov: fov)
    }
}
