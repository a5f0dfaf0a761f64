/**
 * Structured labeling session front end: the Done / Skip / Back toolbar and its keys (the
 * annotator and the rest of the session are their own widgets). Pieces in js/session/.
 */
import "./session.css";
import { renderControls } from "./session/controls";

export default { render: renderControls };
