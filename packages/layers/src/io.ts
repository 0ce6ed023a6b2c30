import * as tf from '@tensorflow/tfjs-core';
import { decodeFloat16, encodeFloat16, FLOAT16_MAX } from './float16.js';
import { flattenTree } from './tree.js';
import type { ParamTree, StateTree } from './types.js';

/**
 * Parameters and state in one portable file, in the safetensors format: an 8-byte little-endian header length, a
 * JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data. Chosen over the
 * tfjs weights format (a model.json plus .bin shards) because it is one file, has no code in it, and is read by
 * Python's `safetensors` and PyTorch/JAX tooling as is.
 *
 * Keys are tree paths prefixed by `params/` or `state/`, e.g. `params/conv2d_1/kernel`. Float tensors may be stored in
 * half precision (`F16`, half the bytes: for files that travel, like a demo's weights); they read back as float32.
 */

type Dtype = 'F32' | 'F16' | 'I32';
interface Entry {
  dtype: Dtype;
  shape: number[];
  data_offsets: [number, number];
}

export interface SafetensorsFile {
  tensors: Map<string, { dtype: 'float32' | 'int32'; shape: number[]; data: Float32Array | Int32Array }>;
  metadata: Record<string, string>;
}

const DTYPES: Record<string, Dtype> = { float32: 'F32', int32: 'I32' };

export interface SaveOptions {
  /** Store float32 tensors as F16, each value rounded to the nearest half (values beyond ±65504 are refused). */
  float16?: boolean;
}

/** Serialises trees (and string metadata) to safetensors bytes. */
export async function saveTrees(
  trees: { params: ParamTree; state?: StateTree },
  metadata: Record<string, string> = {},
  options: SaveOptions = {},
): Promise<Uint8Array> {
  const entries = [
    ...flattenTree(trees.params).map(([p, t]) => [`params/${p}`, t] as const),
    ...flattenTree(trees.state ?? {}).map(([p, t]) => [`state/${p}`, t] as const),
  ];
  const header: Record<string, Entry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [key, t] of entries) {
    let dtype = DTYPES[t.dtype];
    if (dtype == null)
      throw new Error(`saveTrees: ${key} has dtype ${t.dtype}; only float32 and int32 are saved`);
    let data: ArrayBufferView = await t.data();
    if (options.float16 && dtype === 'F32') {
      const values = data as Float32Array;
      const big = values.findIndex((v) => Math.abs(v) > FLOAT16_MAX);
      if (big >= 0)
        throw new Error(
          `saveTrees: ${key} holds ${values[big]}, beyond float16's largest value ${FLOAT16_MAX}: save it in float32`,
        );
      dtype = 'F16';
      data = encodeFloat16(values);
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    header[key] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // data starts 8-byte aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Parses safetensors bytes, validating the header and every byte range. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8)
    throw new Error(`not a safetensors file: ${bytes.length} bytes is shorter than its 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    throw new Error(
      `not a safetensors file (or truncated): header of ${headerLength} bytes in a ${bytes.length}-byte file`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (err) {
    throw new Error(`not a safetensors file: its header is not JSON (${(err as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors: SafetensorsFile['tensors'] = new Map();
  for (const [key, value] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const e = value as Entry;
    if (e.dtype !== 'F32' && e.dtype !== 'F16' && e.dtype !== 'I32')
      throw new Error(`safetensors: ${key} has dtype ${e.dtype}; gankit reads F32, F16 and I32`);
    const [begin, end] = e.data_offsets ?? [];
    const count = (e.shape ?? []).reduce((a, b) => a * b, 1);
    if (
      !Number.isInteger(begin) ||
      !Number.isInteger(end) ||
      begin! < 0 ||
      end! > dataLength ||
      end! - begin! !== count * (e.dtype === 'F16' ? 2 : 4)
    ) {
      throw new Error(
        `safetensors: ${key} has byte range [${begin}, ${end}) that does not fit its shape [${e.shape}] or the file (truncated?)`,
      );
    }
    const raw = bytes.slice(dataStart + begin!, dataStart + end!);
    const data =
      e.dtype === 'F32'
        ? new Float32Array(raw.buffer)
        : e.dtype === 'F16'
          ? decodeFloat16(new Uint16Array(raw.buffer))
          : new Int32Array(raw.buffer);
    tensors.set(key, { dtype: e.dtype === 'I32' ? 'int32' : 'float32', shape: e.shape, data });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string>) ?? {} };
}

/**
 * Loads saved values into a model's variables (exactly, by `assign`) and returns its new state tensors. Every
 * parameter and state entry must be in the file with the same shape and dtype, and the file must hold nothing
 * else; otherwise nothing is changed and the error names each mismatch.
 */
export function loadTrees(
  bytes: Uint8Array,
  into: { params: ParamTree; state?: StateTree },
): { state: StateTree; metadata: Record<string, string> } {
  return loadTreesFromFile(readSafetensors(bytes), into);
}

/** {@link loadTrees} on an already parsed file (e.g. after taking out entries of one's own). */
export function loadTreesFromFile(
  file: SafetensorsFile,
  into: { params: ParamTree; state?: StateTree },
): { state: StateTree; metadata: Record<string, string> } {
  const expected = [
    ...flattenTree(into.params).map(([p, t]) => [`params/${p}`, t] as const),
    ...flattenTree(into.state ?? {}).map(([p, t]) => [`state/${p}`, t] as const),
  ];
  const problems: string[] = [];
  for (const [key, t] of expected) {
    const saved = file.tensors.get(key);
    if (saved == null) problems.push(`${key} is missing from the file`);
    else if (
      saved.dtype !== t.dtype ||
      saved.shape.length !== t.shape.length ||
      saved.shape.some((d, i) => d !== t.shape[i])
    ) {
      problems.push(
        `${key}: the file has ${saved.dtype} [${saved.shape}], the model has ${t.dtype} [${t.shape}]`,
      );
    }
  }
  const known = new Set<string>(expected.map(([k]) => k));
  for (const key of file.tensors.keys())
    if (!known.has(key)) problems.push(`${key} is in the file but not in the model`);
  if (problems.length > 0) {
    throw new Error(
      `cannot load: the file does not match the model (different architecture or config?):\n  ${problems.join('\n  ')}`,
    );
  }
  for (const [key, t] of expected) {
    if (!key.startsWith('params/')) continue;
    const saved = file.tensors.get(key)!;
    tf.tidy(() => (t as tf.Variable).assign(tf.tensor(saved.data, saved.shape, saved.dtype)));
  }
  const state = rebuild(into.state ?? {}, 'state', file);
  return { state, metadata: file.metadata };
}

function rebuild(tree: StateTree, prefix: string, file: SafetensorsFile): StateTree {
  const out: StateTree = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = `${prefix}/${key}`;
    if (value instanceof tf.Tensor) {
      const saved = file.tensors.get(path)!;
      out[key] = tf.tensor(saved.data, saved.shape, saved.dtype);
    } else out[key] = rebuild(value, path, file);
  }
  return out;
}
