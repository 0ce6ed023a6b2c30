/**
 * The IDX format of MNIST and its family: a 4-byte magic (two zero bytes, a type code, the number of dimensions),
 * one big-endian uint32 per dimension, then the values in row-major order, big-endian. Files are often gzipped.
 */

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const CODES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};
const CODE_OF: Record<IdxDtype, number> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

/** An IDX file that cannot be read, with what is wrong and where. */
export class IdxFormatError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

/** True for gzip data (magic bytes 1f 8b). */
export const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

async function pipeThrough(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** Gunzips with the platform's DecompressionStream (Node ≥ 18 and every current browser). */
export async function gunzip(bytes: Uint8Array, source = 'data'): Promise<Uint8Array> {
  try {
    return await pipeThrough(bytes, new DecompressionStream('gzip'));
  } catch (err) {
    throw new IdxFormatError(source, `gzip data is corrupt or truncated (${(err as Error).message})`);
  }
}

/** Gzips with the platform's CompressionStream. */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeThrough(bytes, new CompressionStream('gzip'));
}

/** Parses uncompressed IDX bytes, validating the magic number, dtype, dimensions and size. */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.length < 4)
    throw new IdxFormatError(
      source,
      `only ${bytes.length} bytes: an IDX file starts with a 4-byte magic number`,
    );
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      source,
      `wrong magic number ${hex(bytes.subarray(0, 4))}: IDX files start with 00 00 (is it gzipped? use readIdx, which gunzips)`,
    );
  }
  const type = CODES[bytes[2]!];
  if (type == null)
    throw new IdxFormatError(
      source,
      `unknown IDX type code 0x${bytes[2]!.toString(16)} (known: 08, 09, 0b, 0c, 0d, 0e)`,
    );
  const rank = bytes[3]!;
  if (rank === 0) throw new IdxFormatError(source, 'an IDX array needs at least one dimension');
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength)
    throw new IdxFormatError(source, `truncated header: ${rank} dimensions need ${headerLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerLength + count * type.bytes;
  if (bytes.length !== expected) {
    throw new IdxFormatError(
      source,
      `${bytes.length < expected ? 'truncated' : 'has trailing bytes'}: shape [${shape}] of ${type.dtype} needs ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  return { dtype: type.dtype, shape, data: decode(view, headerLength, count, type.dtype) };
}

function decode(view: DataView, offset: number, count: number, dtype: IdxDtype): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(offset + 2 * i, false));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(offset + 4 * i, false));
    case 'float32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i, false));
    case 'float64':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(offset + 8 * i, false));
  }
}

/** Reads IDX bytes, plain or gzipped. */
export async function readIdx(bytes: Uint8Array, source = 'IDX data'): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, source) : bytes, source);
}

/** Encodes an array as IDX bytes (optionally gzipped). */
export async function writeIdx(array: IdxArray, options: { gzip?: boolean } = {}): Promise<Uint8Array> {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count)
    throw new Error(`writeIdx: shape [${array.shape}] holds ${count} values, data has ${array.data.length}`);
  if (array.shape.length === 0 || array.shape.length > 255)
    throw new Error(`writeIdx: rank must be 1..255, got ${array.shape.length}`);
  const size = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 }[array.dtype];
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = CODE_OF[array.dtype];
  out[3] = array.shape.length;
  for (const [i, d] of array.shape.entries()) view.setUint32(4 + 4 * i, d, false);
  for (let i = 0; i < count; i++) {
    const v = array.data[i]!;
    const at = header + i * size;
    switch (array.dtype) {
      case 'uint8':
        view.setUint8(at, v);
        break;
      case 'int8':
        view.setInt8(at, v);
        break;
      case 'int16':
        view.setInt16(at, v, false);
        break;
      case 'int32':
        view.setInt32(at, v, false);
        break;
      case 'float32':
        view.setFloat32(at, v, false);
        break;
      case 'float64':
        view.setFloat64(at, v, false);
        break;
    }
  }
  return options.gzip ? gzip(out) : out;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** Hex SHA-256 of bytes, with WebCrypto (Node ≥ 19 and browsers). */
export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
}
