"""Writes Tests/Fixtures/hostile/: small safetensors and PNG files, each one a trap seen with
the release binary (issue 15) or a valid seed for the fuzz tests' mutations.

Only the standard library (struct, zlib, json): no torch, nothing random, so the files are
byte-identical on every machine. `make hostile-corpus` runs this; `make check-hostile-corpus`
regenerates into a temporary folder and compares.

Every file name says what it holds; `README.txt` in the folder lists what each must give
(`valid` files decode; every other file must be refused with an error, never a trap).

    python3 Fixtures/make_hostile_corpus.py [OUT_DIR]
"""
import json
import os
import struct
import sys
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "hostile")

I64_MIN = -(2 ** 63)
I64_MAX = 2 ** 63 - 1

files = {}      # name -> bytes
expect = {}     # name -> what the reader must do


def safetensors(header, data=b"", length=None):
    """A safetensors file from a header dict (or raw header bytes) and data bytes; `length`
    overrides the 8-byte header length."""
    raw = header if isinstance(header, bytes) else json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    n = len(raw) if length is None else length
    return struct.pack("<Q", n & (2 ** 64 - 1)) + raw + data


def f32(*values):
    return struct.pack("<%df" % len(values), *values)


def add(name, content, what):
    files[name] = content
    expect[name] = what


# --- safetensors: valid seeds -------------------------------------------------------------
add("valid_two_tensors.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                 "b": {"dtype": "I64", "shape": [1], "data_offsets": [16, 24]},
                 "__metadata__": {"note": "valid"}}, f32(1, 2, 3, 4) + struct.pack("<q", 7)),
    "valid")
add("valid_all_dtypes.safetensors",
    safetensors({"f64": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]},
                 "i32": {"dtype": "I32", "shape": [2], "data_offsets": [8, 16]},
                 "u8": {"dtype": "U8", "shape": [2, 2], "data_offsets": [16, 20]},
                 "bool": {"dtype": "BOOL", "shape": [], "data_offsets": [20, 21]},
                 "empty": {"dtype": "F32", "shape": [0, 3], "data_offsets": [21, 21]}},
                struct.pack("<d", 0.5) + struct.pack("<ii", -1, 2) + bytes([1, 2, 3, 4]) + bytes([1])),
    "valid")
add("valid_escaped_names.safetensors",
    safetensors(b'{"caf\\u00e9 \\ud83d\\ude00":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)),
    "valid")

# --- safetensors: the traps of issue 15 ---------------------------------------------------
add("header_length_int64_max.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, f32(1), length=I64_MAX),
    "error: header length")
add("header_length_uint64_max.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, f32(1), length=2 ** 64 - 1),
    "error: header length")
add("offsets_int64_min.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [8], "data_offsets": [I64_MIN, 32]}}, f32(*range(8))),
    "error: data_offsets")
add("offsets_near_int64_max.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [I64_MAX - 3, I64_MAX + 1 - 1]}}, f32(1)),
    "error: data_offsets")
add("shape_2e32_squared.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [2 ** 32, 2 ** 32], "data_offsets": [0, 0]}}),
    "error: shape overflows")
add("shape_product_wraps_to_4.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [2 ** 62 + 1, 4], "data_offsets": [0, 16]}}, f32(1, 2, 3, 4)),
    "error: shape overflows")
add("shape_negative_reversed_offsets.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [8, 4]}}, f32(1, 2, 3)),
    "error: negative dimension")
add("offsets_reversed.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}, f32(1)),
    "error: data_offsets")
add("offsets_overlapping.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                 "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, f32(1, 2, 3)),
    "error: overlap")
add("offsets_gap.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                 "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}, f32(1, 2, 3)),
    "error: gap")
add("offsets_past_end.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, f32(1, 2)),
    "error: data_offsets")
add("trailing_bytes.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, f32(1, 2)),
    "error: not covered")
add("duplicate_keys.safetensors",
    safetensors(b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                b'"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)),
    "error: duplicate key")
add("duplicate_field.safetensors",
    safetensors(b'{"a":{"dtype":"F32","shape":[1],"shape":[2],"data_offsets":[0,4]}}', f32(1)),
    "error: duplicate key")
add("unknown_dtype.safetensors",
    safetensors({"a": {"dtype": "F8_E9M9", "shape": [1], "data_offsets": [0, 1]}}, b"\0"),
    "error: dtype")
add("float_offsets.safetensors",
    safetensors(b'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}', f32(1)),
    "error: integers")
add("huge_integer.safetensors",
    safetensors(b'{"a":{"dtype":"F32","shape":[100000000000000000000000],"data_offsets":[0,4]}}', f32(1)),
    "error: 64-bit range")
add("deep_nesting.safetensors", safetensors(b"[" * 5000 + b"]" * 5000), "error: nested")
add("header_not_object.safetensors", safetensors(b"[1,2,3]"), "error: not an object")
add("header_not_json.safetensors", safetensors(b"\xff\xfe not json"), "error: not JSON")
add("header_not_utf8_key.safetensors",
    safetensors(b'{"\xff":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)), "error: UTF-8")
add("metadata_not_strings.safetensors",
    safetensors({"__metadata__": {"base": 64}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, f32(1)),
    "error: metadata")
add("truncated_7_bytes.safetensors", b"\x08\0\0\0\0\0\0", "error: too short")
add("empty.safetensors", b"", "error: too short")
add("rank_9.safetensors",
    safetensors({"a": {"dtype": "F32", "shape": [1] * 9, "data_offsets": [0, 4]}}, f32(1)), "error: dimensions")

# Values the reader accepts but loading weights refuses.
add("nan_weight.safetensors",
    safetensors({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, f32(float("nan"), 1)),
    "valid (loading weights refuses NaN)")
add("inf_weight.safetensors",
    safetensors({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, f32(float("inf"), 1)),
    "valid (loading weights refuses infinity)")


# Metadata that asks for an impossible network (valid files; the catalogue must refuse them).
def unet_metadata(**overrides):
    m = {"model": "unet", "course_name": "UNet", "n_channels": "1", "n_classes": "2", "base": "64"}
    m.update(overrides)
    return safetensors({"__metadata__": m, "x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, f32(0))


for key, value in [("base", "0"), ("base", "-1"), ("base", "100000"), ("n_channels", "0"), ("n_channels", "-1"),
                   ("n_classes", "0"), ("n_classes", "-1"), ("n_classes", "100000"), ("base", "abc")]:
    add("metadata_%s_%s.safetensors" % (key, value.replace("-", "minus")), unet_metadata(**{key: value}),
        "valid (the network catalogue refuses %s=%s)" % (key, value))

vessel_meta = {"network": "unet", "in_channels": "1", "classes": "1", "width": "100000", "activation": "sigmoid",
               "preprocess": "none", "data": "vessels"}
add("vessel_metadata_width_100000.safetensors",
    safetensors({"__metadata__": vessel_meta, "x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, f32(0)),
    "valid (the network catalogue refuses width=100000)")

# A PyTorch-style state_dict without metadata whose first convolution is 100000 wide.
add("inc_weight_100000_wide.safetensors",
    safetensors({"inc.conv.conv.0.weight": {"dtype": "U8", "shape": [100000, 1, 1, 1], "data_offsets": [0, 100000]},
                 "outc.conv.weight": {"dtype": "U8", "shape": [2, 1, 1, 1], "data_offsets": [100000, 100002]}},
                bytes(100002)),
    "valid (the network catalogue refuses base 100000)")


# --- PNG ----------------------------------------------------------------------------------
def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def png(width, height, rows=None, colour=0, bad_crc=False):
    """An 8-bit PNG (colour type 0 grey or 2 RGB); `rows` the raw filtered scanlines, or a
    tiny IDAT (one empty zlib stream) when None — what a hostile 68-byte file holds."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    data = zlib.compress(rows if rows is not None else b"", 9)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    if bad_crc:
        out = out[:29] + bytes([out[29] ^ 0xFF]) + out[30:]
    return out


grey16 = b"".join(b"\0" + bytes((x * 16 + y) % 256 for x in range(16)) for y in range(16))
add("valid_grey_16x16.png", png(16, 16, grey16), "valid")
rgb16 = b"".join(b"\0" + bytes(v for x in range(16) for v in ((x * 16) % 256, (y * 16) % 256, 128))
                 for y in range(16))
add("valid_rgb_16x16.png", png(16, 16, rgb16, colour=2), "valid")
add("huge_header_100000x100000.png", png(100000, 100000), "error: too large")
add("huge_header_40000x40000.png", png(40000, 40000), "error: too large")
add("huge_header_1x2000000000.png", png(1, 2000000000), "error: too large")
add("zero_width.png", png(0, 16), "error: invalid")
add("bad_crc.png", png(16, 16, grey16, bad_crc=True), "error: CRC")
add("truncated.png", png(16, 16, grey16)[:40], "error: truncated")
add("not_png.png", b"GIF89a" + bytes(20), "error: not a PNG")

os.makedirs(OUT, exist_ok=True)
for name in sorted(files):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(files[name])
with open(os.path.join(OUT, "README.txt"), "w") as f:
    f.write("Written by Fixtures/make_hostile_corpus.py (do not edit): each file and what the readers must do.\n")
    for name in sorted(files):
        f.write("%s\t%s\n" % (name, expect[name]))
print("wrote %d files to %s" % (len(files), OUT))
