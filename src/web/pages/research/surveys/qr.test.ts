/**
 * The poster's QR code holds exactly the practice link's URL. The check is independent of how the
 * symbol was built: the SVG path the poster draws is painted onto a pixel grid here (parsing its
 * `M x y h w v1 h-w z` rectangles), and jsQR — another library, a decoder — reads the picture back.
 */
import fc from 'fast-check';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrPath, qrSymbol, qrViewBoxSide, QUIET_ZONE } from './qr.js';

const SCALE = 6; // pixels per module

/** Paints the path's rectangles black on white, RGBA, `SCALE` pixels per module. */
function paint(path: string, side: number): { data: Uint8ClampedArray; width: number } {
  const width = side * SCALE;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const rect = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g;
  let consumed = 0;
  for (const match of path.matchAll(rect)) {
    expect(match.index).toBe(consumed); // nothing but rectangles in the path
    consumed += match[0].length;
    const [x, y, w, back] = match.slice(1).map(Number) as [number, number, number, number];
    expect(back).toBe(w);
    for (let py = y * SCALE; py < (y + 1) * SCALE; py++)
      for (let px = x * SCALE; px < (x + w) * SCALE; px++) {
        const at = (py * width + px) * 4;
        data[at] = data[at + 1] = data[at + 2] = 0;
      }
  }
  expect(consumed).toBe(path.length);
  return { data, width };
}

function decode(text: string): string | null {
  const symbol = qrSymbol(text);
  const side = qrViewBoxSide(symbol);
  const { data, width } = paint(qrPath(symbol), side);
  return jsQR(data, width, width)?.data ?? null;
}

describe('the poster QR code', () => {
  it('decodes to exactly the practice link URL', () => {
    const url = 'https://gpdep.example.no/undersokelse/k3Jd9_aQ';
    expect(decode(url)).toBe(url);
  });

  it('keeps a quiet zone of 4 light modules on every side', () => {
    const symbol = qrSymbol('https://gpdep.example.no/undersokelse/abc');
    // A QR symbol of version v is 17 + 4v modules a side (ISO/IEC 18004), whatever version fits.
    expect((symbol.size - 17) % 4).toBe(0);
    const path = qrPath(symbol);
    for (const match of path.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
      const [x, y, w] = match.slice(1).map(Number) as [number, number, number];
      expect(x).toBeGreaterThanOrEqual(QUIET_ZONE);
      expect(y).toBeGreaterThanOrEqual(QUIET_ZONE);
      expect(x + w).toBeLessThanOrEqual(QUIET_ZONE + symbol.size);
      expect(y + 1).toBeLessThanOrEqual(QUIET_ZONE + symbol.size);
    }
  });

  it('round-trips any link the server makes (public URL + /undersokelse/ + slug)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https://gpdep.no', 'http://127.0.0.1:5173', 'https://survey.example.org'),
        fc.stringMatching(/^[A-Za-z0-9_-]{6,40}$/),
        (base, slug) => {
          const url = `${base}/undersokelse/${slug}`;
          expect(decode(url)).toBe(url);
        }
      ),
      { numRuns: 40 }
    );
  });
});
