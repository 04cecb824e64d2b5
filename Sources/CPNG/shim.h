// CPNG: libpng's simplified API (png_image_*), Debian: libpng-dev.
// The simplified API reports errors through return values and png_image.message,
// so no setjmp/longjmp is needed from Swift.
#include <png.h>
