/**
 * User text on a canvas (transcriptions of boxes and regions): drawn with fillText (never
 * parsed as HTML), in its own base direction so that right-to-left and mixed-direction text
 * read correctly, clipped to a box instead of squeezed.
 */
import { baseDirection } from "./bidi";

export interface TextBox {
  /** Left edge, top edge and width of the area (CSS px); the text is clipped to it. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Draw `text` in `area`: left-aligned when it is left-to-right, right-aligned (from the
 * area's right edge) when it is right-to-left. The context's font is used; `background`
 * (a CSS color) fills the part behind the text first.
 */
export function fillDirectedText(
  ctx: CanvasRenderingContext2D, text: string, area: TextBox, colors: { text: string; background?: string }, padding = 4,
): void {
  if (!text || area.width <= 0 || area.height <= 0) return;
  const rtl = baseDirection(text) === "rtl";
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.x, area.y, area.width, area.height);
  ctx.clip();
  ctx.direction = rtl ? "rtl" : "ltr";
  if (colors.background) {
    const width = Math.min(ctx.measureText(text).width + 2 * padding, area.width);
    ctx.fillStyle = colors.background;
    ctx.fillRect(rtl ? area.x + area.width - width : area.x, area.y, width, area.height);
  }
  ctx.fillStyle = colors.text;
  ctx.textAlign = rtl ? "right" : "left";
  ctx.textBaseline = "middle";
  ctx.fillText(text, rtl ? area.x + area.width - padding : area.x + padding, area.y + area.height / 2);
  ctx.restore();
}
