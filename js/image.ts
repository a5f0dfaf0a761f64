/**
 * ImageAnnotator front end (entry of the bundle): boxes and keypoints on an image, drawn on
 * canvases at frame rate. The pieces live in js/image/; a finished gesture crosses to the
 * kernel once, as a change.
 */
import "./image.css";
import { render } from "./image/widget";

export default { render };
