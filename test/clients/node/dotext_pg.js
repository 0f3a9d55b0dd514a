'use strict';
/*
 * dotext tensors for node-postgres (the `pg` package): copy this file into
 * a project.  Both wire forms of dotext's `tensor` type (README, "Text and
 * binary I/O"):
 *   binary, layout 1: uint8 ndim, uint8 dtype, uint16 flags = 0,
 *                     int32 dims[ndim], elements; all big-endian
 *   text:             [dtype[(shape)]:]nested brackets
 *
 * node-postgres sends a Buffer parameter in binary format, so a tensor
 * parameter is `tensor(new Float32Array([...]))` (a Buffer in layout 1);
 * a bare Float32Array would go as raw bytes, which the server refuses as
 * "binary data is not a dotext tensor".  Results come back as text:
 * node-postgres 8 decodes every result field as UTF-8 (its protocol parser
 * has no binary mode), which would mangle binary tensors, so register()
 * installs the text parser, and fromBinary() is for bytes from elsewhere
 * (a file written by COPY ... (FORMAT binary), another driver).
 */

// dtype code of the binary form -> [name, bytes per element, TypedArray, read, write]
const DTYPES = {
  1: ['float32', 4, Float32Array, 'readFloatBE', 'writeFloatBE'],
  2: ['float64', 8, Float64Array, 'readDoubleBE', 'writeDoubleBE'],
  3: ['int32', 4, Int32Array, 'readInt32BE', 'writeInt32BE'],
  4: ['int64', 8, BigInt64Array, 'readBigInt64BE', 'writeBigInt64BE'],
};
const CODE_OF = new Map([[Float32Array, 1], [Float64Array, 2], [Int32Array, 3], [BigInt64Array, 4]]);
const MAX_NDIM = 16;

class Tensor {
  // data: a typed array in C (row-major) order; shape: array of dims
  constructor(data, shape) {
    this.data = data;
    this.shape = shape;
  }

  get dtype() {
    return DTYPES[CODE_OF.get(this.data.constructor)][0];
  }
}

function numel(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

function checkShape(data, shape) {
  if (!Array.isArray(shape) || shape.length > MAX_NDIM ||
      shape.some((d) => !Number.isInteger(d) || d < 0 || d > 2147483647))
    throw new RangeError(`a dotext tensor's shape is an array of at most ${MAX_NDIM} ` +
                         `integer dims in [0, 2^31-1]; got ${JSON.stringify(shape)}`);
  if (numel(shape) !== data.length)
    throw new RangeError(`shape ${JSON.stringify(shape)} holds ${numel(shape)} elements; ` +
                         `the data has ${data.length}`);
}

/* nested JS arrays (rectangular) -> {flat values, shape} */
function flatten(nested) {
  const shape = [];
  for (let v = nested; Array.isArray(v); v = v[0])
    shape.push(v.length);
  const flat = [];
  const walk = (v, depth, path) => {
    if (depth === shape.length) {
      if (Array.isArray(v) || (typeof v !== 'number' && typeof v !== 'bigint'))
        throw new TypeError(`a dotext tensor must be rectangular and numeric; ` +
                            `element [${path}] is ${JSON.stringify(v)}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw new TypeError(`a dotext tensor must be rectangular (every row of one length): ` +
                          `[${path}] has ${Array.isArray(v) ? v.length : 'no'} elements, ` +
                          `expected ${shape[depth]}`);
    v.forEach((x, i) => walk(x, depth + 1, path.concat(i)));
  };
  walk(nested, 0, []);
  return { flat, shape };
}

/*
 * tensor(typedArray[, shape]) or tensor(nestedArrays[, TypedArrayClass]):
 * a Tensor that node-postgres sends as a binary parameter.
 */
function tensor(data, shapeOrType) {
  let t;
  if (ArrayBuffer.isView(data)) {
    if (!CODE_OF.has(data.constructor))
      throw new TypeError('a dotext tensor holds Float32Array, Float64Array, Int32Array or ' +
                          `BigInt64Array data; got ${data.constructor.name}`);
    const shape = shapeOrType === undefined ? [data.length] : shapeOrType;
    checkShape(data, shape);
    t = new Tensor(data, shape);
  } else if (Array.isArray(data)) {
    const { flat, shape } = flatten(data);
    const Type = shapeOrType || Float32Array;
    if (!CODE_OF.has(Type))
      throw new TypeError(`unsupported element type ${Type && Type.name}`);
    t = new Tensor(Type.from(flat), shape);
  } else {
    throw new TypeError('tensor() takes a typed array or nested arrays of numbers');
  }
  // node-postgres calls toPostgres() and sends the Buffer it returns as binary
  t.toPostgres = () => toBinary(t);
  return t;
}

function toBinary(t) {
  const code = CODE_OF.get(t.data.constructor);
  const [, size, , , write] = DTYPES[code];
  const head = 4 + 4 * t.shape.length;
  const buf = Buffer.alloc(head + size * t.data.length);
  buf.writeUInt8(t.shape.length, 0);
  buf.writeUInt8(code, 1);
  buf.writeUInt16BE(0, 2);
  t.shape.forEach((d, i) => buf.writeInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < t.data.length; i++)
    buf[write](t.data[i], head + size * i);
  return buf;
}

function fromBinary(buf) {
  if (buf.length < 4)
    throw new RangeError(`dotext binary tensor: ${buf.length} bytes, a header takes at least 4`);
  const ndim = buf.readUInt8(0);
  const code = buf.readUInt8(1);
  if (ndim > MAX_NDIM || !DTYPES[code] || buf.readUInt16BE(2) !== 0)
    throw new RangeError(`not a dotext binary tensor of layout 1 (starts ${buf.subarray(0, 4).toString('hex')})`);
  const [, size, Type, read] = DTYPES[code];
  const shape = [];
  for (let i = 0; i < ndim; i++)
    shape.push(buf.readInt32BE(4 + 4 * i));
  const n = numel(shape);
  const head = 4 + 4 * ndim;
  if (buf.length !== head + n * size)
    throw new RangeError(`corrupt dotext binary tensor: shape ${JSON.stringify(shape)} needs ` +
                         `${head + n * size} bytes, got ${buf.length}`);
  const data = new Type(n);
  for (let i = 0; i < n; i++)
    data[i] = buf[read](head + size * i);
  return new Tensor(data, shape);
}

const TEXT_TYPES = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array };

/* dotext's text output -> Tensor (exact: shortest digits read back to the same bits) */
function fromText(s) {
  const m = /^([a-z0-9]+)(?:\(([0-9,]*)\))?:/.exec(s);
  let dtype = 'float32';
  let shape = null;
  let body = s;
  if (m) {
    dtype = m[1];
    if (m[2] !== undefined)
      shape = m[2] === '' ? [] : m[2].split(',').map(Number);
    body = s.slice(m[0].length);
  }
  const tokens = body.match(/[^[\],\s]+/g) || [];
  // untagged text infers as torch.tensor does: only integer tokens give int64
  if (!m && tokens.length && tokens.every((x) => /^[+-]?[0-9]+$/.test(x)))
    dtype = 'int64';
  const Type = TEXT_TYPES[dtype];
  if (!Type)
    throw new TypeError(`dotext tensor of dtype ${dtype}: this adapter reads ${Object.keys(TEXT_TYPES).join(', ')}`);
  if (shape === null) {
    // the dims along the first element's path (the server's text is rectangular)
    shape = [];
    const nested = JSON.parse(body.replace(/-?Infinity|NaN/g, (x) => `"${x}"`));
    for (let v = nested; Array.isArray(v); v = v[0])
      shape.push(v.length);
  }
  const data = dtype === 'int64'
    ? BigInt64Array.from(tokens, (x) => BigInt(x))
    : Type.from(tokens, Number);
  if (data.length !== numel(shape))
    throw new RangeError(`dotext tensor text of shape ${JSON.stringify(shape)} has ${data.length} elements`);
  return new Tensor(data, shape);
}

/* Parse the tensor results of node-postgres (every client); returns the type's oid */
async function register(client, types = require('pg').types) {
  const res = await client.query("SELECT 'tensor'::regtype::oid AS oid");
  const oid = Number(res.rows[0].oid);
  types.setTypeParser(oid, 'text', fromText);
  return oid;
}

module.exports = { Tensor, tensor, toBinary, fromBinary, fromText, register };
