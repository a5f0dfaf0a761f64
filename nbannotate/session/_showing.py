"""Which item a structured session shows next, how it is shown, and how a refit's
suggestions reach the item on screen.

Before the first refit, items come in pool order ("cold"); afterwards, the item the model
is least sure of among those scored ("model"); items not scored yet come after. An item
that cannot be shown (a broken file) is skipped with a message. When a refit finishes while
an item is on screen and the person has not touched it yet, its suggestions are replaced by
the newer model's.

A mixin of :class:`~nbannotate.session._structured.StructuredSession`.
"""

from __future__ import annotations

import html
import threading
from typing import Any

from ._review import Visit

__all__ = ["ShowingMixin"]


class ShowingMixin:
    """The queue, :meth:`_show` and the refit hand-over."""

    _lock: threading.RLock
    _closed: bool
    _main: Any
    _pool: Any
    _ids: list[Any]
    _labeled: set[int]
    _auto: set[int]
    _skipped: set[int]
    _history: list[Any]
    _answers: dict[int, list[dict[str, Any]]]
    _reviews: dict[int, dict[str, Any]]
    _current: int | None
    _reason: str
    _visit: Visit
    _runner: Any
    _task: Any
    _note: Any
    _status: Any
    _finished: Any
    controls: Any

    def _blocked(self, pos: int) -> bool:
        return pos in self._labeled or pos in self._auto or pos in self._skipped

    def _pick(self) -> tuple[int, str] | None:
        left = [p for p in range(len(self._pool)) if not self._blocked(p)]
        if not left:
            return None
        predictions = self._runner.predictions()
        scored = [p for p in left if p in predictions]
        if scored:
            return max(scored, key=lambda p: (predictions[p].uncertainty, -p)), "model"
        return left[0], "cold"

    def _advance(self) -> None:
        for _ in range(len(self._pool)):
            picked = self._pick()
            if picked is None:
                break
            if self._show(*picked):
                self._refresh_panel()
                return
        self._current = None
        self._task.hide()
        message = "All items are done. session.labels has every annotation."
        if self._skipped:
            message += f" {len(self._skipped)} skipped item(s) were not labeled."
        self._finished.value = html.escape(message)
        self._finished.layout.display = None
        self._note.value = ""
        self.controls.next_item()
        self.controls.enabled = False
        self.controls.can_back = bool(self._history)
        self._refresh_panel()

    def _show(self, pos: int, reason: str, *, records: list[dict[str, Any]] | None = None,
              suggestions: list[dict[str, Any]] | None = None,
              visit: Visit | None = None) -> bool:
        """Show item ``pos``; False (and the item skipped) when it cannot be shown."""
        prediction = self._runner.prediction(pos)
        from_model = False
        if records is None:
            records = [] if pos in self._auto else list(self._answers.get(pos, []))
        if suggestions is None:
            if pos in self._auto:  # review: the auto-accepted records, to accept or reject
                suggestions = [{**r, "source": "model"} for r in self._answers.get(pos, [])]
            elif pos in self._labeled or prediction is None:
                suggestions = []
            else:
                suggestions, from_model = list(prediction.records), True
        item, problem = self._pool.get(pos), ""
        try:
            try:
                self._task.show(item, records=records, suggestions=suggestions)
            except (TypeError, ValueError) as error:
                if not suggestions:
                    raise
                problem = f" · the model's suggestions do not fit this item: {error}"
                self._task.show(item, records=records, suggestions=[])
        except (TypeError, ValueError, OSError) as error:
            self._skipped.add(pos)
            self._save_skipped()
            self._status.value = html.escape(f"item {self._ids[pos]!r} cannot be shown and was "
                                             f"skipped: {error}")
            return False
        visit = visit if visit is not None else Visit()
        prior = self._reviews.get(pos) or {}
        visit.shown = {**(prior.get("suggested") or {}), **visit.shown}
        visit.remember(self._task.suggestions())
        if from_model and prediction is not None:
            visit.round = prediction.round
        self._visit, self._current, self._reason = visit, pos, reason
        self._finished.layout.display = "none"
        self.controls.next_item()
        self.controls.enabled = True
        self.controls.can_back = bool(self._history)
        self._runner.set_priority([pos])
        self._note.value = html.escape(self._note_for(pos, reason, prediction) + problem)
        return True

    def _note_for(self, pos: int, reason: str, prediction: Any) -> str:
        where = f"item {self._ids[pos]!r}"
        count = len(self._task.suggestions())
        found = f"{count} suggestion{'s' if count != 1 else ''}" if count else "no suggestions"
        if reason == "again":
            return f"back: {where} as it was when you submitted it"
        if reason == "review":
            state = {"done": "done", "auto": "auto-accepted: its annotations are drawn as "
                     "suggestions", "new": "not labeled yet"}[self._state_of(pos)]
            return f"review of {where} ({state})"
        if reason == "model" and prediction is not None:
            return (f"why this item: the model is least sure of it (uncertainty "
                    f"{prediction.uncertainty:.2f}) · {found} · {where}")
        if count:  # picked before the first refit, suggestions drawn in since
            return (f"why this item: next in pool order (picked before the model was ready) · "
                    f"{found} from the model · {where}")
        waiting = " (the model is learning from what you submitted)" \
            if self._runner.busy else ""
        return f"why this item: no model yet, items in pool order · {found}{waiting} · {where}"

    # -- edits and refits ------------------------------------------------------------------------
    def _touched(self) -> None:
        self._visit.touched = True

    def _model_update(self, final: bool) -> None:
        """Called by the model runner in its thread: hand the work to the main thread."""
        if not self._closed:
            self._main.call(self._after_model, final)

    def _after_model(self, final: bool) -> None:
        with self._lock:
            if self._closed:
                return
            pos = self._current
            if pos is not None and not self._visit.touched and pos not in self._labeled \
                    and pos not in self._auto and self._reason in ("cold", "model"):
                prediction = self._runner.prediction(pos)
                if prediction is not None and prediction.round > self._visit.round:
                    try:
                        self._task.set_suggestions(prediction.records)
                    except (TypeError, ValueError) as error:
                        self._status.value = html.escape(
                            f"the model's suggestions do not fit item {self._ids[pos]!r}: "
                            f"{error}")
                    else:
                        self._visit = Visit(round=prediction.round)
                        self._visit.remember(self._task.suggestions())
                        self._note.value = html.escape(self._note_for(pos, self._reason,
                                                                      prediction))
            if final:
                self._refresh_panel()
