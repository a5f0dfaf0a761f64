/** A consistent, legible color per label. */

const PALETTE = [
  "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46c0c8", "#f032e6", "#9a6324",
  "#808000", "#000075", "#e6a800", "#469990", "#800000", "#7a7aff", "#2f4f4f",
];

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** The color of `label`: by its position in `labels`, else by a hash of its name. */
export function labelColor(label: string, labels: readonly string[]): string {
  const index = labels.indexOf(label);
  const pick = index >= 0 ? index : hash(label);
  return PALETTE[pick % PALETTE.length] as string;
}

/** Black or white, whichever reads better on `hex`. */
export function textColorOn(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#000" : "#fff";
}

/** `hex` with an alpha channel, as rgba(). */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
