/**
 * ClassLabeler front end (entry of the bundle): one whole item (image, text, audio clip, table
 * row), one button and key per label, and the session panel when the widget has one. Pieces in
 * js/classify/ and js/session/panel.ts.
 */
import "./classify.css";
import { renderLabeler } from "./classify/view";

export default { render: renderLabeler };
