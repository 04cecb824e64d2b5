import CVectorKernels

/// `maxPool2d`: k×k max-pooling with stride k (PyTorch's `nn.MaxPool2d(k)`, the UNet's `down`
/// uses k = 2). Input `[N, C, H, W]` → output `[N, C, ⌊H/k⌋, ⌊W/k⌋]` (odd edges dropped,
/// `ceil_mode=False`). Backward sends each output gradient to the position of its window's
/// maximum (the first one, in row-major order, on ties — as PyTorch does).

/// Forward: the pooled values and, for each, the flat index (within its `[H, W]` plane) of its maximum.
func maxPool2dForward<S: KernelScalar>(_ x: [S], planes: Int, height: Int, width: Int, kernel k: Int)
    -> (y: [S], argmax: [Int32]) {
    let (oh, ow) = (height / k, width / k)
    var y = [S](repeating: 0, count: planes * oh * ow)
    var argmax = [Int32](repeating: 0, count: y.count)
    x.withUnsafeBufferPointer { x in
        y.withSharedBuffer { y in
            argmax.withSharedBuffer { argmax in
                parallelFor(planes) { plane in
                    let base = plane * height * width
                    if k == 2, S.self == Float.self {
                        // The common case in C (`CVectorKernels`), 8 windows a vector.
                        let source = UnsafeRawPointer(x.baseAddress! + base).assumingMemoryBound(to: Float.self)
                        let target = UnsafeMutableRawPointer(y.base + plane * oh * ow).assumingMemoryBound(to: Float.self)
                        vk_max_pool_2x2(source, height, width, target, argmax.base + plane * oh * ow)
                        return
                    }
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var best = i * k * width + j * k
                            for di in 0..<k {
                                for dj in 0..<k {
                                    let at = (i * k + di) * width + (j * k + dj)
                                    if x[base + at] > x[base + best] || x[base + at].isNaN { best = at }
                                }
                            }
                            let o = (plane * oh + i) * ow + j
                            y[o] = x[base + best]
                            argmax[o] = Int32(best)
                        }
                    }
                }
            }
        }
    }
    return (y, argmax)
}

/// Backward: dx is zero except at each window's maximum, which receives that window's dy.
/// Planes on all cores: a plane's maxima lie in that plane, so each job writes only its own.
func maxPool2dBackward<S: KernelScalar>(_ dy: [S], argmax: [Int32], planes: Int, height: Int, width: Int) -> [S] {
    // Every element is written below (each plane zeroed by its own job), so no zero fill here.
    precondition(dy.count == argmax.count, "maxPool2dBackward: \(dy.count) gradients for \(argmax.count) maxima")
    var dx = uninitializedArray(planes * height * width, of: S.self)
    let perPlane = dy.count / max(1, planes)
    dy.withUnsafeBufferPointer { dy in
        argmax.withUnsafeBufferPointer { argmax in
            dx.withSharedBuffer { dx in
                parallelFor(planes) { plane in
                    let target = dx.base + plane * height * width
                    target.update(repeating: 0, count: height * width)
                    for o in plane * perPlane..<(plane + 1) * perPlane { target[Int(argmax[o])] += dy[o] }
                }
            }
        }
    }
    return dx
}

/// Differentiable k×k max-pooling with stride k. Input `[N, C, H, W]`, H and W at least k.
public func maxPool2d(_ input: Variable, kernelSize k: Int = 2) throws -> Variable {
    let x = input.value
    try requireRank(x, 4, "input", "N×C×H×W")
    guard k >= 1, x.shape[2] >= k, x.shape[3] >= k else {
        throw ShapeError("max_pool2d with kernel \(k) needs H and W of at least \(k), "
                         + "but got input of shape \(shapeString(x.shape))")
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (y, argmax) = maxPool2dForward(x.scalars, planes: n * c, height: h, width: w, kernel: k)
    return Variable(try Tensor(shape: [n, c, h / k, w / k], scalars: y), parents: [input]) { dy in
        [try Tensor(shape: x.shape, scalars: maxPool2dBackward(dy.scalars, argmax: argmax, planes: n * c,
                                                                height: h, width: w))]
    }
}
