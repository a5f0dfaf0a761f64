/**
 * ImageAnnotator front end (entry of the bundle): boxes and keypoints on an image, drawn on
 * canvases at frame rate. The pieces live in js/image/; a finished gesture crosses to the
 * kernel once, as a change. The model starts decoding its image as soon as the bytes arrive,
 * before a view asks for it.
 */
import "./image.css";
import type { AnyModel } from "@anywidget/types";
import { prefetchImage } from "./image/decode";
import type { ImageModel } from "./image/model";
import { render } from "./image/widget";
import { withPanel } from "./session/panel";

function initialize({ model }: { model: AnyModel<ImageModel> }): void {
  prefetchImage(model);
}

export default { initialize, render: withPanel(render) };
