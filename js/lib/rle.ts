/**
 * COCO run-length encoding, as nbannotate/formats/rle.py and nbannotate/image/mask_ops.py read it.
 *
 * The image is read column by column (index = x * height + y); `counts` alternate runs of 0
 * and 1, starting with a (possibly empty) run of 0. Here a mask is mostly handled as its
 * **toggles**: the sorted positions where the value flips (counts [3, 2, 95] are toggles
 * [3, 5]), so that a few runs cost a few numbers whatever the image size. The compressed
 * string form of the counts is COCO's (what pycocotools writes).
 */

/** Counts of a mask whose value flips at `toggles` (sorted; a last toggle at `total` is dropped). */
export function countsFromToggles(toggles: ArrayLike<number>, total: number): number[] {
  const counts: number[] = [];
  let previous = 0;
  for (let i = 0; i < toggles.length; i++) {
    const t = toggles[i] as number;
    if (t >= total) break;
    counts.push(t - previous);
    previous = t;
  }
  counts.push(total - previous);
  return counts;
}

/** Toggles of `counts`, without empty runs (a 0 in the middle merges its neighbours). */
export function togglesFromCounts(counts: readonly number[]): number[] {
  const out: number[] = [];
  let position = 0;
  for (let i = 0; i < counts.length - 1; i++) {
    position += counts[i] as number;
    if (out.length > 0 && out[out.length - 1] === position) out.pop();
    else out.push(position);
  }
  return out;
}

/** Toggles of a set of pixel indices given sorted ascending without duplicates. */
export function togglesFromSorted(indices: ArrayLike<number>, length = indices.length): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < length) {
    const start = indices[i] as number;
    let end = start + 1;
    i++;
    while (i < length && indices[i] === end) {
      end++;
      i++;
    }
    out.push(start, end);
  }
  return out;
}

/** Call `fn(start, end)` for every run of ones ([start, end) indices) of `toggles`. */
export function forEachRun(toggles: ArrayLike<number>, total: number, fn: (start: number, end: number) => void): void {
  for (let i = 0; i < toggles.length; i += 2) {
    const start = toggles[i] as number;
    const end = i + 1 < toggles.length ? (toggles[i + 1] as number) : total;
    if (end > start) fn(start, end);
  }
}

/** COCO's compressed string of `counts` (5-bit groups, the difference to the count two before). */
export function encodeCounts(counts: readonly number[]): string {
  let out = "";
  for (let i = 0; i < counts.length; i++) {
    // Numbers stay below 2^31 (image pixels), so 32-bit shifts are exact.
    let value = i > 2 ? (counts[i] as number) - (counts[i - 2] as number) : (counts[i] as number);
    let more = true;
    while (more) {
      const group = value & 0x1f;
      value >>= 5;
      more = group & 0x10 ? value !== -1 : value !== 0;
      out += String.fromCharCode((more ? group | 0x20 : group) + 48);
    }
  }
  return out;
}

/** The counts of a COCO compressed string (the inverse of `encodeCounts`). */
export function decodeCounts(text: string): number[] {
  const counts: number[] = [];
  let position = 0;
  while (position < text.length) {
    let value = 0;
    let shift = 0;
    let more = true;
    while (more) {
      if (position >= text.length) throw new Error("compressed counts end inside a number");
      const group = text.charCodeAt(position) - 48;
      if (group < 0 || group >= 64) throw new Error(`invalid character in compressed counts at ${position}`);
      value |= (group & 0x1f) << shift;
      more = (group & 0x20) !== 0;
      position++;
      shift += 5;
      if (!more && group & 0x10) value |= -1 << shift;
    }
    if (counts.length > 2) value += counts[counts.length - 2] as number;
    counts.push(value);
  }
  return counts;
}

/** The counts of an RLE whose counts may be a list or a compressed string. */
export function countsOf(rle: { counts: number[] | string }): number[] {
  return typeof rle.counts === "string" ? decodeCounts(rle.counts) : rle.counts;
}
