/**
 * The QR code of a practice link's poster: the `qrcode` library builds the symbol (error
 * correction M: a quarter of a printed poster can be scuffed or folded and it still scans); this
 * file only turns its module matrix into one SVG path, one unit square per dark module, inside the
 * quiet zone of 4 modules the standard asks for.
 */
import { create } from 'qrcode';

export interface QrSymbol {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Row-major, `true` for a dark module. */
  dark: boolean[];
}

export const QUIET_ZONE = 4;

export function qrSymbol(text: string): QrSymbol {
  const code = create(text, { errorCorrectionLevel: 'M' });
  const size = code.modules.size;
  const dark: boolean[] = [];
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) dark.push(code.modules.get(row, col) === 1);
  return { size, dark };
}

/** The side of the SVG's viewBox: the symbol and the quiet zone on both sides. */
export const qrViewBoxSide = (symbol: QrSymbol) => symbol.size + 2 * QUIET_ZONE;

/**
 * One path for every dark module, offset by the quiet zone: `M{x} {y}h1v1h-1z` per module, with
 * runs of dark modules in a row joined into one rectangle (`h{run}`), so a 57-module symbol is a
 * path of a few thousand characters rather than thousands of elements.
 */
export function qrPath(symbol: QrSymbol): string {
  const parts: string[] = [];
  for (let row = 0; row < symbol.size; row++) {
    let col = 0;
    while (col < symbol.size) {
      if (!symbol.dark[row * symbol.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < symbol.size && symbol.dark[row * symbol.size + col]) col++;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`);
    }
  }
  return parts.join('');
}
