/**
 * SHA-256 compression (FIPS 180-4, 6.2.2) as a WebAssembly module assembled here from its
 * instructions: the message schedule and all 64 rounds unrolled into locals, the round constants
 * immediates. A keyed hash per identity key runs a few million times an import; V8's optimized
 * JavaScript of the same function took ~2.5× as long.
 *
 * Memory layout (one 64 KiB page), byte offsets:
 */
export const LAYOUT = {
  /** The working state, 8 native-order words. */
  state: 0,
  /** The state after the key's inner pad block, and after its outer pad block. */
  innerStart: 32,
  outerStart: 64,
  /** The outer hash's one block: the inner digest (written here), then fixed padding. */
  outerBlock: 128,
  /** The HMAC, 32 bytes. */
  digest: 192,
  /** The padded message, whole blocks. */
  message: 256,
} as const;
export const MESSAGE_BYTES = 65536 - LAYOUT.message;

const ROUND = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

export interface Sha256Wasm {
  memory: { buffer: ArrayBuffer };
  /** Compresses the 64-byte block at `block` into the state at `state`. */
  compress(state: number, block: number): void;
  /**
   * HMAC of the message's `blocks` padded blocks: starts from `innerStart`, then hashes the
   * inner digest in `outerBlock` from `outerStart`; the result, big-endian, at `digest`.
   */
  hmac(blocks: number): void;
}

/** The part of the WebAssembly API used here (Node has it; this project's type libraries do not). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export function instantiateSha256(): Sha256Wasm {
  const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  const { exports } = new wasm.Instance(new wasm.Module(assemble()), {});
  return exports as Sha256Wasm;
}

// Opcodes (WebAssembly core specification, 5.4).
const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  load: 0x28,
  store: 0x36,
  const: 0x41,
  geU: 0x4f,
  add: 0x6a,
  and: 0x71,
  or: 0x72,
  xor: 0x73,
  shl: 0x74,
  shrU: 0x76,
  rotl: 0x77,
  rotr: 0x78,
} as const;
const I32 = 0x7f;
const VOID_BLOCK = 0x40;

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signed(value: number): number[] {
  const bytes: number[] = [];
  value |= 0;
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

/** A function body being written: instructions as bytes. */
class Code {
  readonly bytes: number[] = [];
  get(local: number): this {
    this.bytes.push(OP.get, ...unsigned(local));
    return this;
  }
  set(local: number): this {
    this.bytes.push(OP.set, ...unsigned(local));
    return this;
  }
  tee(local: number): this {
    this.bytes.push(OP.tee, ...unsigned(local));
    return this;
  }
  const(value: number): this {
    this.bytes.push(OP.const, ...signed(value));
    return this;
  }
  /** i32.load / i32.store with the address on the stack, 4-byte alignment, a constant offset. */
  load(offset: number): this {
    this.bytes.push(OP.load, 2, ...unsigned(offset));
    return this;
  }
  store(offset: number): this {
    this.bytes.push(OP.store, 2, ...unsigned(offset));
    return this;
  }
  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }
  /** x ↦ x with its bytes reversed (x on the stack, `scratch` a free local). */
  swapBytes(scratch: number): this {
    return this.tee(scratch)
      .const(8)
      .op(OP.rotl)
      .const(0x00ff00ff)
      .op(OP.and)
      .get(scratch)
      .const(8)
      .op(OP.rotr)
      .const(0xff00ff00 | 0)
      .op(OP.and, OP.or);
  }
  /** rotr(x, a) ^ rotr(x, b) ^ (rotr(x, c) or x >>> c), x a local. */
  sigma(x: number, a: number, b: number, c: number, shiftLast: boolean): this {
    return this.get(x)
      .const(a)
      .op(OP.rotr)
      .get(x)
      .const(b)
      .op(OP.rotr, OP.xor)
      .get(x)
      .const(c)
      .op(shiftLast ? OP.shrU : OP.rotr, OP.xor);
  }
}

/** compress(state, block): locals 0 and 1 the parameters, then a..h, w0..w63, t1, scratch. */
function compressBody(): number[] {
  const [state, block] = [0, 1];
  const v = [2, 3, 4, 5, 6, 7, 8, 9];
  const w = (t: number) => 10 + t;
  const t1 = 74;
  const scratch = 75;
  const code = new Code();
  for (let t = 0; t < 16; t++)
    code
      .get(block)
      .load(t * 4)
      .swapBytes(scratch)
      .set(w(t));
  for (let t = 16; t < 64; t++) {
    code
      .sigma(w(t - 2), 17, 19, 10, true)
      .get(w(t - 7))
      .op(OP.add)
      .sigma(w(t - 15), 7, 18, 3, true)
      .op(OP.add)
      .get(w(t - 16))
      .op(OP.add)
      .set(w(t));
  }
  for (let i = 0; i < 8; i++)
    code
      .get(state)
      .load(i * 4)
      .set(v[i]!);
  // The eight variables are renamed each round instead of moved: `names[i]` holds a..h's local.
  let names = [...v];
  for (let t = 0; t < 64; t++) {
    const [a, b, c, d, e, f, g, h] = names as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    // t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t], Ch = g ^ (e & (f ^ g))
    code
      .get(h)
      .sigma(e, 6, 11, 25, false)
      .op(OP.add)
      .get(g)
      .get(e)
      .get(f)
      .get(g)
      .op(OP.xor, OP.and, OP.xor, OP.add)
      .const(ROUND[t]!)
      .op(OP.add)
      .get(w(t))
      .op(OP.add)
      .set(t1);
    // d += t1; h = t1 + Σ0(a) + Maj(a, b, c), Maj = (a & b) | (c & (a | b))
    code.get(d).get(t1).op(OP.add).set(d);
    code
      .get(t1)
      .sigma(a, 2, 13, 22, false)
      .op(OP.add)
      .get(a)
      .get(b)
      .op(OP.and)
      .get(c)
      .get(a)
      .get(b)
      .op(OP.or, OP.and, OP.or, OP.add)
      .set(h);
    names = [h, a, b, c, d, e, f, g];
  }
  for (let i = 0; i < 8; i++) {
    code
      .get(state)
      .get(state)
      .load(i * 4)
      .get(names[i]!)
      .op(OP.add)
      .store(i * 4);
  }
  return code.bytes;
}

/** hmac(blocks): local 0 the parameter, 1 the block counter, 2 scratch. */
function hmacBody(): number[] {
  const [blocks, index, scratch] = [0, 1, 2];
  const code = new Code();
  const copyState = (from: number) => {
    for (let i = 0; i < 8; i++)
      code
        .const(0)
        .const(0)
        .load(from + i * 4)
        .store(LAYOUT.state + i * 4);
  };
  const writeState = (to: number) => {
    for (let i = 0; i < 8; i++) {
      code
        .const(0)
        .const(0)
        .load(LAYOUT.state + i * 4)
        .swapBytes(scratch)
        .store(to + i * 4);
    }
  };
  copyState(LAYOUT.innerStart);
  code.const(0).set(index);
  code.op(OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK);
  code.get(index).get(blocks).op(OP.geU, OP.brIf, 1);
  code.const(LAYOUT.state).get(index).const(6).op(OP.shl).const(LAYOUT.message).op(OP.add, OP.call, 0);
  code.get(index).const(1).op(OP.add).set(index);
  code.op(OP.br, 0, OP.end, OP.end);
  writeState(LAYOUT.outerBlock);
  copyState(LAYOUT.outerStart);
  code.const(LAYOUT.state).const(LAYOUT.outerBlock).op(OP.call, 0);
  writeState(LAYOUT.digest);
  return code.bytes;
}

function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

function name(text: string): number[] {
  return vector([...text].map((ch) => [ch.charCodeAt(0)]));
}

function body(locals: number, code: number[]): number[] {
  const content = [...vector(locals > 0 ? [[...unsigned(locals), I32]] : []), ...code, OP.end];
  return [...unsigned(content.length), ...content];
}

function assemble(): Uint8Array {
  const types = section(
    1,
    vector([
      [0x60, ...vector([[I32], [I32]]), ...vector([])],
      [0x60, ...vector([[I32]]), ...vector([])],
    ]),
  );
  const functions = section(3, vector([[0], [1]]));
  const memory = section(5, vector([[0x00, 1]]));
  const exports = section(
    7,
    vector([
      [...name('memory'), 0x02, 0],
      [...name('compress'), 0x00, 0],
      [...name('hmac'), 0x00, 1],
    ]),
  );
  const code = section(10, vector([body(74, compressBody()), body(2, hmacBody())]));
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...functions,
    ...memory,
    ...exports,
    ...code,
  ]);
}
