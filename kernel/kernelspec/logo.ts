/**
 * The kernel's logo: a falling loss curve ending in an orange minimum, on a navy tile.
 * Drawn from the same shapes as SVG (for JupyterLab) and as PNG (32 and 64 pixels, for
 * the classic launcher), with a tiny PNG encoder so no image library is needed.
 */
import { deflateSync } from 'node:zlib';

const NAVY = [31, 58, 95];
const WHITE = [255, 255, 255];
const ORANGE = [245, 140, 40];

/** The loss curve in unit coordinates (0..1, y down): high at the left, flattening low at the right. */
const curve = (t: number) => 0.8 - 0.56 / (1 + 9 * t);
const X0 = 0.16;
const X1 = 0.8;

export function logoSvg(): string {
  const pts: string[] = [];
  for (let i = 0; i <= 24; i++) {
    const x = X0 + ((X1 - X0) * i) / 24;
    pts.push(`${(x * 64).toFixed(2)},${(curve((x - X0) / (X1 - X0)) * 64).toFixed(2)}`);
  }
  const end = curve(1) * 64;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <rect x="1" y="1" width="62" height="62" rx="12" fill="rgb(${NAVY})"/>
  <polyline points="${pts.join(' ')}" fill="none" stroke="rgb(${WHITE})" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="${(X1 * 64).toFixed(2)}" cy="${end.toFixed(2)}" r="6.5" fill="rgb(${ORANGE})"/>
</svg>
`;
}

/** Coverage colour of one unit-square point, or undefined outside the tile. */
function shade(x: number, y: number): number[] | undefined {
  // Rounded tile.
  const r = 12 / 64;
  const m = 1 / 64;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  if (x < m || x > 1 - m || y < m || y > 1 - m || Math.hypot(x - cx, y - cy) > r) return undefined;
  const ex = X1;
  const ey = curve(1);
  if (Math.hypot(x - ex, y - ey) <= 6.5 / 64) return ORANGE;
  // Distance to the sampled curve.
  let d = Infinity;
  for (let i = 0; i <= 64; i++) {
    const px = X0 + ((X1 - X0) * i) / 64;
    d = Math.min(d, Math.hypot(x - px, y - curve((px - X0) / (X1 - X0))));
  }
  return d <= 2.5 / 64 ? WHITE : NAVY;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // no filter
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The logo as a `size`x`size` PNG, anti-aliased by 4x4 supersampling. */
export function logoPng(size: number): Buffer {
  const px = new Uint8Array(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = shade((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size);
          if (c) {
            acc[0] += c[0];
            acc[1] += c[1];
            acc[2] += c[2];
            acc[3] += 255;
          }
        }
      }
      const n = S * S;
      const covered = acc[3] / 255;
      const i = (y * size + x) * 4;
      if (covered > 0) {
        px[i] = Math.round(acc[0] / covered);
        px[i + 1] = Math.round(acc[1] / covered);
        px[i + 2] = Math.round(acc[2] / covered);
      }
      px[i + 3] = Math.round(acc[3] / n);
    }
  }
  return encodePng(size, size, px);
}
