// CFreeType: the FreeType 2 font rasteriser (Debian: libfreetype-dev), used by Figures to
// draw anti-aliased text with DejaVu Sans (Debian: fonts-dejavu-core).
// The include path /usr/include/freetype2 comes from pkg-config (freetype2.pc).
#include <ft2build.h>
#include FT_FREETYPE_H
