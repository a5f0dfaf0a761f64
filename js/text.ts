/**
 * TextAnnotator front end: label spans of a document by selecting text. The pieces live in
 * js/text/ (tokens, layout, spans, selection, render, viewport, toolbar, suggestions, view).
 */
import "./text.css";
import { renderText } from "./text/view";
import { withPanel } from "./session/panel";

export default { render: withPanel(renderText) };
