"""CSS of the ipywidgets-based parts (Session shell, dashboard).

ipywidgets has no style for ``image-rendering`` or ``white-space``, so the rules live in one
``<style>`` element (our own constant, never user text) inside a hidden HTML widget.

Examples
--------
>>> "image-rendering: pixelated" in CSS
True
"""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["CSS", "style_widget"]

CSS = """
.nba-pixelated img, img.nba-pixelated { image-rendering: pixelated; }
.nba-item-text { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 320px;
  overflow-y: auto; max-width: 640px; padding: 6px 8px; border: 1px solid #ddd;
  border-radius: 4px; background: #fafafa; font-size: 14px; line-height: 1.45; }
.nba-item-row table { border-collapse: collapse; font-size: 13px; }
.nba-item-row th { text-align: right; padding: 2px 10px 2px 4px; color: #555;
  font-weight: 600; vertical-align: top; }
.nba-item-row td { padding: 2px 4px; white-space: pre-wrap; overflow-wrap: anywhere;
  max-width: 420px; }
.nba-note { color: #444; font-size: 13px; min-height: 18px; }
.nba-message { color: #a00; font-size: 13px; min-height: 18px; }
.nba-message.nba-info { color: #225; }
.nba-dash-error { color: #a00; font-size: 12px; }
.nba-message:has(> .widget-html-content:empty), .nba-dash-error:has(> .widget-html-content:empty),
.nba-note:has(> .widget-html-content:empty) { display: none; }
.nba-classify .nba-label-button.mod-active { font-weight: 700; }
.nba-done { font-size: 15px; padding: 12px; color: #235; }
.nba-dash-counts { font-size: 13px; }
.nba-dash-counts b { font-size: 15px; }
.nba-dash-text { font-size: 12px; color: #333; max-width: 340px; }
.nba-training { color: #a60; font-size: 12px; min-height: 16px; }
.nba-flat { color: #075; font-size: 12px; font-weight: 600; min-height: 16px; }
.nba-note .widget-html-content, .nba-message .widget-html-content,
.nba-dash-text .widget-html-content, .nba-dash-counts .widget-html-content,
.nba-training .widget-html-content, .nba-flat .widget-html-content {
  line-height: 1.4; }
"""


def style_widget() -> widgets.HTML:
    """A hidden HTML widget holding the ``<style>`` element (one per labeler or session).

    Examples
    --------
    >>> style_widget().layout.display
    'none'
    """
    return widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(display="none"))
