"""Tensor <-> numpy conversion shared by the dotext client adapters.

Both wire forms of dotext's `tensor` type (README, "Text and binary I/O"):
  binary, layout 1: uint8 ndim, uint8 dtype, uint16 flags = 0,
                    int32 dims[ndim], elements; all big-endian
  text:             [dtype[(shape)]:]nested brackets, e.g. float64:[[1.0,2.5]]
Copy this file (and the adapter for your driver) into your project.
"""
import json
import re
import struct

import numpy as np

# dtype codes of the binary form, and the tags of the text form
CODES = {np.dtype(np.float32): 1, np.dtype(np.float64): 2,
         np.dtype(np.int32): 3, np.dtype(np.int64): 4, np.dtype(np.float16): 5}
NAMES = {1: "float32", 2: "float64", 3: "int32", 4: "int64", 5: "float16", 6: "bfloat16"}
# numpy has no bfloat16: such tensors read as float32 (exactly: a bfloat16
# is the top half of a float32), and an array cannot be sent as one
BFLOAT16 = 6
BY_NAME = {"float32": np.float32, "float64": np.float64, "int32": np.int32, "int64": np.int64,
           "float16": np.float16, "half": np.float16, "bfloat16": np.float32,
           "float4": np.float32, "real": np.float32, "float": np.float32,
           "float8": np.float64, "double": np.float64,
           "int4": np.int32, "int": np.int32, "integer": np.int32,
           "int8": np.int64, "bigint": np.int64, "long": np.int64}
MAX_NDIM = 16


def bfloat16_round(values):
    """values rounded to bfloat16 (nearest, ties to even) and widened back to
    float32.  Through float32 first: for the shortest digits dotext prints,
    which lie well inside the bfloat16 value's rounding interval, the two
    roundings give the nearest bfloat16."""
    u = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    u = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) << 16
    return u.astype(np.uint32).view(np.float32)


def as_tensor_array(obj):
    """obj as a C-ordered numpy array of a dtype dotext stores, or a
    TypeError/ValueError saying what was expected."""
    try:
        a = np.asarray(obj)
    except ValueError as e:  # ragged nested lists
        raise ValueError("a dotext tensor must be rectangular (every row of one length), "
                         "as numpy.asarray would make it: %s" % e) from None
    if a.dtype == object:
        raise ValueError("a dotext tensor must be rectangular (every row of one length) "
                         "and numeric; got an array of Python objects of shape %s" % (a.shape,))
    if a.dtype == np.bool_ or a.dtype.kind in "iu" and a.dtype.itemsize < 4:
        a = a.astype(np.int32)  # lossless; other dtypes are refused below, not converted behind your back
    if a.dtype.newbyteorder("=") not in CODES:
        raise TypeError("a dotext tensor holds float32, float64, int32, int64 or float16; got %s "
                        "(convert with .astype(numpy.float32) or another of these)" % a.dtype)
    if a.ndim > MAX_NDIM:
        raise ValueError("a dotext tensor has at most %d dimensions; got %d" % (MAX_NDIM, a.ndim))
    if any(d > 2**31 - 1 for d in a.shape):
        raise ValueError("a dotext tensor's dimensions are at most 2^31-1; got shape %s" % (a.shape,))
    # (not ascontiguousarray: it makes a rank-0 array rank 1)
    return a if a.flags.c_contiguous else a.copy(order="C")


def to_binary(obj):
    a = as_tensor_array(obj)
    code = CODES[a.dtype.newbyteorder("=")]
    head = struct.pack(">BBH%di" % a.ndim, a.ndim, code, 0, *a.shape)
    return head + a.astype(a.dtype.newbyteorder(">"), copy=False).tobytes()


def from_binary(data):
    data = bytes(data)
    if len(data) < 4:
        raise ValueError("dotext binary tensor: %d bytes, a header takes at least 4" % len(data))
    ndim, code, flags = struct.unpack_from(">BBH", data)
    if ndim > MAX_NDIM or code not in NAMES or flags:
        raise ValueError("not a dotext binary tensor of layout 1 (starts %s)" % data[:4].hex())
    dims = struct.unpack_from(">%di" % ndim, data, 4)
    if code == BFLOAT16:
        bits = np.frombuffer(data, dtype=">u2", offset=4 + 4 * ndim).astype(np.uint32) << 16
        return bits.view(np.float32).reshape(dims)
    dt = np.dtype(NAMES[code]).newbyteorder(">")
    a = np.frombuffer(data, dtype=dt, offset=4 + 4 * ndim).reshape(dims)
    return a.astype(dt.newbyteorder("="))


def _text_values(a):
    """Each element as text: numpy prints floats with their shortest digits
    (float32's own), spelled as dotext prints NaN and infinities."""
    s = a.astype(str)
    if a.dtype.kind == "f":
        s[np.isnan(a)] = "NaN"
        s[np.isposinf(a)] = "Infinity"
        s[np.isneginf(a)] = "-Infinity"
    return s


def to_text(obj):
    """The tagged text form, so that the dtype survives whatever the column."""
    a = as_tensor_array(obj)
    name = NAMES[CODES[a.dtype.newbyteorder("=")]]
    if a.size == 0 and a.ndim >= 2:
        return "%s(%s):[]" % (name, ",".join(str(d) for d in a.shape))
    if a.ndim == 0:
        return "%s:%s" % (name, _text_values(a.reshape(1))[0])
    s = _text_values(a.reshape(-1, a.shape[-1]) if a.size else a.reshape(0))
    rows = ["[" + ",".join(r) + "]" for r in s] if a.size else ["[]"]
    # regroup the rows level by level, innermost first
    for d in reversed(a.shape[:-1]):
        rows = ["[" + ",".join(rows[i:i + d]) + "]" for i in range(0, len(rows), d)]
    return "%s:%s" % (name, rows[0])


_SPECIAL = re.compile(r"[+-]?(?:infinity|inf|nan)\b|\+", re.IGNORECASE)
_SPELL = {"": "", "nan": "NaN", "inf": "Infinity", "infinity": "Infinity",
          "-inf": "-Infinity", "-infinity": "-Infinity", "-nan": "NaN"}
_TAG = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([0-9,\s]*)\))?\s*:")


def from_text(text):
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = bytes(text).decode()
    m = _TAG.match(text)
    dtype, body = None, text
    if m:
        dtype = BY_NAME[m.group(1).lower()]
        body = text[m.end():]
        if m.group(2) is not None:
            return np.zeros([int(x) for x in m.group(2).split(",") if x.strip()], dtype=dtype)
    # JSON to Python, with NaN, Infinity and -Infinity; dotext also accepts
    # other spellings (nan, inf, +1.5) on input, so take them too
    body = _SPECIAL.sub(lambda m: _SPELL[m.group(0).lower().lstrip("+")], body)
    values = json.loads(body)
    if dtype is None:
        # untagged: float32 if any number has a point or an exponent, else int64
        dtype = np.float32 if re.search(r"[.eEnNI]", body) or body.strip() == "[]" else np.int64
    if m and m.group(1).lower() == "bfloat16":
        return bfloat16_round(np.array(values, dtype=np.float64))
    return np.array(values, dtype=dtype)
