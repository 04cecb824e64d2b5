import Foundation
import UNetKit

/// Draws one fundus-like image from a seeded random stream.
///
/// The recipe (lengths from `FundusGeometry`: FOV centre c, radius R, s the shorter side):
/// 1. optic disc on a random side (±1): centre c + (side · U(0.55, 0.7) R, U(−0.1, 0.1) R),
///    radius r_d = 0.09 R; fovea at c + (−side · U(0, 0.1) R, U(−0.05, 0.05) R);
/// 2. six trunks leave the disc's edge, with φ the direction towards the fovea:
///    φ + U(0.5, 1.1) (width w₀ and 0.75 w₀), φ − U(0.5, 1.1) (w₀ and 0.75 w₀),
///    φ + π ± U(0.2, 0.9) (0.6 w₀ each); two more vessels of 0.5 w₀ enter from the FOV's edge at
///    a random angle ψ, pointing inwards ± 0.6 rad; all grow by `VesselTreeGrowth` while they
///    stay more than 1 px inside the FOV;
/// 3. the background inside the FOV: illumination 1 − 0.45 (r/R)² plus a linear gradient
///    g ((p − c) · (cos b, sin b)) / R, g = U(0, 0.15), b = U(0, 2π); texture: four waves
///    0.03 sin(2π f·p / s + phase), |f| = U(2, 6); a bright disc + 0.35 exp(−d²/2r_d²), a darker
///    fovea − 0.08 exp(−d²/2(0.1 R)²):  bg = 0.55 · illumination · (1 + texture) + disc − fovea;
/// 4. grey = clip(bg · (1 − darkness) + N(0, σ), 0, 1) inside the FOV, 0 outside.
///
/// Vessels are darker than the background; the label is the stamped vessel pixels inside the FOV.
enum FundusDrawing {
    static func draw(geometry g: FundusGeometry, sigma: Double, using rng: inout SeededGenerator) -> VesselSample {
        let nx = g.nx, ny = g.ny, s = g.side, R = g.radius, cx = g.centerX, cy = g.centerY
        let side: Double = rng.nextUnit() < 0.5 ? 1 : -1
        let discX = cx + side * rng.uniform(0.55, 0.7) * R
        let discY = cy + rng.uniform(-0.1, 0.1) * R
        let discRadius = 0.09 * R
        let foveaX = cx - side * rng.uniform(0, 0.1) * R
        let foveaY = cy + rng.uniform(-0.05, 0.05) * R
        let w0 = g.trunkWidth * rng.uniform(0.9, 1.1)
        let phi: Double = side < 0 ? 0 : .pi
        let trunks: [(Double, Double)] = [
            (phi + rng.uniform(0.5, 1.1), w0), (phi + rng.uniform(0.5, 1.1), 0.75 * w0),
            (phi - rng.uniform(0.5, 1.1), w0), (phi - rng.uniform(0.5, 1.1), 0.75 * w0),
            (phi + .pi + rng.uniform(0.2, 0.9), 0.6 * w0), (phi + .pi - rng.uniform(0.2, 0.9), 0.6 * w0),
        ]
        var seeds = trunks.map { angle, width in
            VesselSeed(x: discX + discRadius * cos(angle), y: discY + discRadius * sin(angle), angle: angle, width: width)
        }
        for _ in 0..<2 {
            let psi = rng.uniform(0, 2 * .pi)
            seeds.append(VesselSeed(x: cx + (R - 2) * cos(psi), y: cy + (R - 2) * sin(psi),
                                    angle: psi + .pi + rng.uniform(-0.6, 0.6), width: 0.5 * w0))
        }
        var canvas = VesselCanvas(nx: nx, ny: ny)
        var growth = VesselTreeGrowth()
        let limit2 = (R - 1) * (R - 1)
        growth.grow(seeds, stopWidth: max(0.8, 0.22 * w0), budget: Int(10 * s * s),
                    inside: { x, y in (x - cx) * (x - cx) + (y - cy) * (y - cy) <= limit2 },
                    canvas: &canvas, using: &rng)

        let fov = g.fovMask()
        let gradient = rng.uniform(0, 0.15), gradientAngle = rng.uniform(0, 2 * .pi)
        var waves: [(Double, Double, Double)] = []
        for _ in 0..<4 {
            let f = rng.uniform(2, 6), direction = rng.uniform(0, 2 * .pi), phase = rng.uniform(0, 2 * .pi)
            waves.append((2 * .pi * f * cos(direction) / s, 2 * .pi * f * sin(direction) / s, phase))
        }
        let gx = gradient * cos(gradientAngle) / R, gy = gradient * sin(gradientAngle) / R
        let discScale = -1 / (2 * discRadius * discRadius)
        let foveaScale = -1 / (2 * 0.01 * R * R)
        var image = [Float](repeating: 0, count: nx * ny)
        var label = [UInt8](repeating: 0, count: nx * ny)
        for y in 0..<ny {
            let py = Double(y), dy = py - cy
            for x in 0..<nx {
                let i = y * nx + x
                guard fov[i] == 1 else { continue }
                let px = Double(x), dx = px - cx
                let illumination = 1 - 0.45 * (dx * dx + dy * dy) / (R * R) + gx * dx + gy * dy
                var texture = 0.0
                for (fx, fy, phase) in waves { texture += 0.03 * sin(fx * px + fy * py + phase) }
                let disc = 0.35 * exp(((px - discX) * (px - discX) + (py - discY) * (py - discY)) * discScale)
                let fovea = 0.08 * exp(((px - foveaX) * (px - foveaX) + (py - foveaY) * (py - foveaY)) * foveaScale)
                var v = (0.55 * illumination * (1 + texture) + disc - fovea) * (1 - Double(canvas.darkness[i]))
                if sigma > 0 { v += sigma * rng.normal() }
                image[i] = Float(min(1, max(0, v)))
                label[i] = canvas.vessel[i]
            }
        }
        let steps = Double(growth.steps)
        return VesselSample(nx: nx, ny: ny, image: image, vesselMap: label, fovMask: fov,
                            centrelineLength: steps * VesselTreeGrowth.step,
                            meanWidth: growth.widthSum / max(steps, 1),
                            thinFraction: Double(growth.thinSteps) / max(steps, 1),
                            segmentCount: growth.segments, treeCount: seeds.count)
    }
}
