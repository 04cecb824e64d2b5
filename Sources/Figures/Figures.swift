// Figures — PNG figures through libpng; takes plain [Float] arrays (of UNetKit it uses only the atomic file writer).
//
//   RGBImage.swift, PNGFile.swift      an 8-bit RGB picture; atomic PNG write, read back
//   Color.swift, ColorMap.swift        colours, matplotlib's tab10 cycle; gray, viridis, hot
//   Canvas.swift                       drawing: rectangles, anti-aliased lines, images, text
//   Font.swift, TextBitmap.swift       FreeType + DejaVu Sans: anti-aliased text
//   Ticks.swift                        "nice" tick positions and labels
//   FigureStyle.swift                  sizes in points (matplotlib's defaults at 100 dpi)
//   ImagePanel.swift, PanelFigure.swift   imshow-like panels with colour bars, in a grid
//   LinePlot.swift, Smoothing.swift    line plots (loss curves) with legend and EMA smoothing
//   Figure.swift                       the protocol: render() → RGBImage, write(to:)
