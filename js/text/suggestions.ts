/**
 * Reviewing model suggestions: the changes that accept (suggestion -> human span, same id,
 * optionally another label), reject (drop it) or accept all of them in one undoable edit.
 */
import type { Change, Span } from "../types";

/** The human span that accepting `suggestion` makes (the model's score is dropped). */
export function acceptedSpan(suggestion: Span, label?: string): Span {
  const { score: _score, ...rest } = suggestion;
  return { ...rest, label: label ?? suggestion.label, source: "human" };
}

export function acceptChanges(suggestion: Span, label?: string): Change[] {
  return [
    { field: "suggestions", op: "remove", record: suggestion },
    { field: "spans", op: "add", record: acceptedSpan(suggestion, label) },
  ];
}

export function rejectChanges(suggestion: Span): Change[] {
  return [{ field: "suggestions", op: "remove", record: suggestion }];
}

/**
 * Accept every suggestion in one edit. A suggestion that duplicates an existing span (same
 * range and label) is only removed.
 */
export function acceptAllChanges(suggestions: readonly Span[], spans: readonly Span[]): Change[] {
  const have = new Set(spans.map((s) => `${s.start}:${s.end}:${s.label}`));
  const changes: Change[] = [];
  for (const s of suggestions) {
    changes.push({ field: "suggestions", op: "remove", record: s });
    const key = `${s.start}:${s.end}:${s.label}`;
    if (!have.has(key)) {
      have.add(key);
      changes.push({ field: "spans", op: "add", record: acceptedSpan(s) });
    }
  }
  return changes;
}
