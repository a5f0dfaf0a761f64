/**
 * DOM helpers. User text (documents, label names, file names) is only ever set with
 * `textContent` or text nodes, never parsed as HTML.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, options: ElementOptions = {}, children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** An inline message bar: `show(text)` displays an error or notice; `clear()` hides it. */
export function messageBar(parent: HTMLElement): { show(text: string): void; clear(): void } {
  const bar = el("div", { className: "nba-message", attrs: { role: "alert" } });
  bar.hidden = true;
  const text = el("span");
  const close = el("button", { className: "nba-message-close", text: "×", title: "Dismiss" });
  close.addEventListener("click", () => (bar.hidden = true));
  bar.append(text, close);
  parent.append(bar);
  return {
    show(message: string) {
      text.textContent = message;
      bar.hidden = false;
    },
    clear() {
      text.textContent = "";
      bar.hidden = true;
    },
  };
}
