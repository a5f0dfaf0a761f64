/** The synced traits of ImageAnnotator (nbannotate/image.py), as the browser reads them. */
import type { Box, Keypoint, Mask, Polygon } from "../types";
import type { Tool } from "./gestures";
import type { Suggestion } from "./records";

export interface ImageModel {
  image_data: DataView | null;
  image_mime: string;
  image_width: number;
  image_height: number;
  preview_data: DataView | null;
  preview_mime: string;
  preview_scale: number;
  /** The contrast window (display only). */
  vmin: number;
  vmax: number;
  /** The colormap's 256 RGB entries (768 bytes). */
  colormap_lut: DataView | null;
  /** The window the data gives (the "Auto" button). */
  auto_vmin: number;
  auto_vmax: number;
  /** Levels (image_mime "application/x-nbannotate-levels"): value = offset + level × step. */
  levels_offset: number;
  levels_step: number;
  /** The range of the finite values (the window sliders' range). */
  value_min: number;
  value_max: number;
  labels: string[];
  keypoint_labels: string[];
  skeleton: [string, string][];
  boxes: Box[];
  keypoints: Keypoint[];
  suggestions: Suggestion[];
  label: string;
  tool: Tool;
  /** Finishing a box opens a text field for its transcription (`text`). */
  transcribe: boolean;
  /** Within a line of boxes, Tab goes "ltr", "rtl", or "auto" (from the boxes' texts). */
  reading_direction: "auto" | "ltr" | "rtl";
  error: string;
  polygons: Polygon[];
  masks: Mask[];
  /** A model's masks, drawn translucent where nothing is painted. */
  mask_suggestions: Mask[];
  /** Radius of the brush and the eraser, in image pixels. */
  brush_radius: number;
  /** The uncertainty overlay (a PNG stretched over the image; empty: none). */
  uncertainty_png: DataView | null;
  show_uncertainty: boolean;
  [key: string]: unknown;
}

/** Browser -> kernel: send the full-resolution image (after the preview is on screen). */
export interface LoadFullMessage {
  type: "load_full";
}
