// PNG figures through libpng (issue 3) live in this target.
import CPNG
