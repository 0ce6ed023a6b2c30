import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes an 8-bit greyscale image (row-major, `width × height` bytes) as a PNG file. */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Buffer {
  if (pixels.length !== width * height)
    throw new Error(`expected ${width * height} pixels, got ${pixels.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** Tiles `count` square greyscale images ([0, 1] floats, `size × size` each) into rows of `perRow`, 2 px apart. */
export function tileImages(
  images: Float32Array,
  count: number,
  size: number,
  perRow: number,
): { pixels: Uint8Array; width: number; height: number } {
  const gap = 2;
  const rows = Math.ceil(count / perRow);
  const width = perRow * (size + gap) + gap;
  const height = rows * (size + gap) + gap;
  const pixels = new Uint8Array(width * height).fill(64);
  for (let i = 0; i < count; i++) {
    const ox = gap + (i % perRow) * (size + gap);
    const oy = gap + Math.floor(i / perRow) * (size + gap);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = images[i * size * size + y * size + x]!;
        pixels[(oy + y) * width + ox + x] = Math.round(255 * Math.min(1, Math.max(0, v)));
      }
    }
  }
  return { pixels, width, height };
}
