/** The synced traits of ImageAnnotator (nbannotate/image.py), as the browser reads them. */
import type { Box, Keypoint } from "../types";
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
  labels: string[];
  keypoint_labels: string[];
  skeleton: [string, string][];
  boxes: Box[];
  keypoints: Keypoint[];
  suggestions: Suggestion[];
  label: string;
  tool: Tool;
  error: string;
  [key: string]: unknown;
}

/** Browser -> kernel: send the full-resolution image (after the preview is on screen). */
export interface LoadFullMessage {
  type: "load_full";
}
