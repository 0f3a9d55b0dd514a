'use strict';
/*
 * The node-postgres adapter (dotext_pg.js) against a real server: tensors
 * of every dtype go as binary parameters and come back as text with the
 * same values, and tensor_send's bytes decode to them too; a ranking query takes its query vector as a
 * parameter; wrong input gets a message that says what was expected.
 * Prints TAP lines; connection settings from the PG* environment.
 */
const { Client } = require('pg');
const dotext = require('./dotext_pg');

let n = 0;
function ok(cond, what) {
  n += 1;
  console.log(`${cond ? '' : 'not '}ok ${n} - ${what}`);
}

function same(a, b) {
  if (a.constructor !== b.constructor || a.length !== b.length)
    return false;
  for (let i = 0; i < a.length; i++)
    if (!(Object.is(a[i], b[i]) || a[i] === b[i]))
      return false;
  return true;
}

function throwsWith(fn, re) {
  try {
    fn();
  } catch (e) {
    return re.test(e.message);
  }
  return false;
}

async function main(client) {
  await dotext.register(client);

  const f32 = new Float32Array(768);
  for (let i = 0; i < f32.length; i++)
    f32[i] = Math.fround(Math.sin(i * 0.37) * 0.05);
  const samples = {
    'float32 (768)': [f32, [768]],
    'float64 (2,3)': [new Float64Array([0.1, -2.5, 1e300, 5e-324, -0, 3]), [2, 3]],
    'int32 (2,2)': [new Int32Array([-2147483648, 0, 7, 2147483647]), [2, 2]],
    'int64 extremes': [new BigInt64Array([-9223372036854775808n, 0n, 9223372036854775807n]), [3]],
    'float32 specials': [new Float32Array([NaN, Infinity, -Infinity, -0, 1e-45]), [5]],
    'rank 0': [new Float32Array([2.5]), []],
    'empty (2,0)': [new Float64Array(0), [2, 0]],
  };
  for (const [name, [data, shape]] of Object.entries(samples)) {
    const t = dotext.tensor(data, shape);
    const text = (await client.query('SELECT $1::tensor AS t', [t])).rows[0].t;
    ok(same(text.data, data) && JSON.stringify(text.shape) === JSON.stringify(shape),
       `${name}: binary parameter, text result, same values and shape`);
    const hex = (await client.query("SELECT encode(tensor_send($1::tensor), 'hex') AS h", [t])).rows[0].h;
    const bin = dotext.fromBinary(Buffer.from(hex, 'hex'));
    ok(same(bin.data, data) && JSON.stringify(bin.shape) === JSON.stringify(shape),
       `${name}: the server's binary form decodes to the same values and shape`);
  }

  const nested = dotext.tensor([[1, 2, 3], [4, 5, 6]]);
  const r = (await client.query('SELECT shape($1::tensor) AS s, dtype($1::tensor) AS d', [nested])).rows[0];
  ok(JSON.stringify(r.s) === '[2,3]' && r.d === 'float32', 'nested arrays go as a (2,3) float32 tensor');

  await client.query('CREATE TEMP TABLE items (id int, emb tensor(float32))');
  for (let id = 0; id < 50; id++) {
    const v = new Float32Array(16);
    for (let j = 0; j < 16; j++)
      v[j] = Math.fround(Math.sin(id * 1.7 + j * j * 0.31));
    await client.query('INSERT INTO items VALUES ($1, $2)', [id, dotext.tensor(v)]);
  }
  const q = (await client.query('SELECT emb FROM items WHERE id = 42')).rows[0].emb;
  const ranked = (await client.query(
    'SELECT id FROM items ORDER BY emb <=> $1 LIMIT 3', [dotext.tensor(q.data)])).rows;
  ok(ranked[0].id === 42, 'a ranking query with the query vector as a binary parameter ranks item 42 first');

  let err = null;
  try {
    await client.query('SELECT $1::tensor', [Buffer.from(new Float32Array([1, 2, 3]).buffer)]);
  } catch (e) {
    err = e;
  }
  ok(err && err.code === '22P03' && /not a dotext tensor/.test(err.message),
     'a raw Float32Array buffer is refused by the server as "not a dotext tensor" (22P03)');
  ok(throwsWith(() => dotext.tensor([[1, 2], [3]]), /rectangular.*\[1\] has 1 elements, expected 2/),
     'a ragged nested array is refused, naming the short row');
  ok(throwsWith(() => dotext.tensor(new Float32Array(6), [4, 2]), /holds 8 elements; the data has 6/),
     'a shape that does not match the data is refused with both counts');
  ok(throwsWith(() => dotext.tensor(new Uint8Array(3)), /got Uint8Array/),
     'an unsupported typed array is refused, naming it');
}

const client = new Client();
client.connect()
  .then(() => main(client))
  .then(() => console.log(`1..${n}`), (e) => {
    console.log(`not ok ${n + 1} - ${e.stack.split('\n').join(' | ')}`);
    process.exitCode = 1;
  })
  .finally(() => client.end());
